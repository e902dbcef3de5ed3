/** Helpers for the creator price page tests: the fixture page, its extraction and its normalized claims by key. */
import type { Extraction, Page, SourceModule } from '../../extractors/contract.js';
import { DEFAULT_ALIAS_MAP } from '../../pipelines/normalize/identity.js';
import { normalize } from '../../pipelines/normalize/normalize.js';
import type { Claim } from '../../schema/observation.js';
import { qualifiersKey } from '../../schema/qualifiers.js';
import { replayBody } from './extraction.js';

/** The page a creator source reads: a bundled week's copy (W17, its contract fixture, by default). */
export function creatorPage(source: SourceModule, opts: { week?: '2026-W16' | '2026-W17'; body?: string } = {}): Page {
  const url = source.pages![0]!;
  const body = opts.body ?? replayBody(opts.week ?? '2026-W17', url);
  return { url, body, contentType: 'text/html; charset=utf-8', fetchedAt: '2026-04-20T06:00:00.000Z' };
}

/** Normalized claims of an extraction, as the pipeline makes them (identity rules included). */
export function claimsOf(source: SourceModule, x: Extraction): Claim[] {
  const n = normalize(x, { sourceId: source.id, url: source.pages![0]!, fetchedAt: '2026-04-20T06:00:00.000Z', extractorVersion: source.version, pageHash: '0'.repeat(64) }, DEFAULT_ALIAS_MAP);
  if (n.issues.length > 0 || n.unmatched.size > 0) throw new Error(`normalize: ${JSON.stringify(n.issues)} unmatched ${[...n.unmatched.keys()].join(', ')}`);
  return n.claims;
}

/** `<model id> <qualifiers key>` → amount, for the price claims; derived ones are suffixed ` (derived)`. */
export function priceMap(claims: Claim[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of claims) {
    if (c.attribute !== 'price' || c.value.kind !== 'money') continue;
    const key = `${c.modelId} ${qualifiersKey(c.qualifiers)}`;
    if (out[key] !== undefined) throw new Error(`duplicate price ${key}`);
    out[key] = c.provenance.derived ? `${c.value.usd} (derived)` : c.value.usd;
  }
  return out;
}

/** The prices of one model, keyed by qualifiers only. */
export function pricesOf(claims: Claim[], modelId: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(priceMap(claims))
      .filter(([k]) => k.startsWith(`${modelId} `))
      .map(([k, v]) => [k.slice(modelId.length + 1), v]),
  );
}
