/**
 * Lookup by any name a user knows (pure): a canonical id, a bare name
 * (`gpt-image-1-mini`), a LiteLLM key, an OpenRouter id
 * (`anthropic/claude-sonnet-4.5`, `x-ai/grok-4`), a models.dev id, in any case
 * → the one known model id; otherwise the nearest known ids to suggest.
 */
import { canonicalSlug, resolveModel } from './identity.js';

export type NameMatch =
  | { modelId: string; via: 'id' | 'raw-name' | 'rules' | 'bare-name' }
  | { ambiguous: string[] }
  | { unknown: string; suggestions: string[] };

export interface KnownModels {
  /** Every known canonical id. */
  ids: ReadonlySet<string>;
  /** Ids the sources' raw names resolved to, for a lower-case raw name. */
  byRawName: (lowerName: string) => readonly string[];
}

/** Levenshtein distance, capped: names further apart than `cap` are not worth suggesting. */
export function editDistance(a: string, b: string, cap = 8): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]!);
    }
    if (best > cap) return cap + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The nearest known ids to a name, comparing with the whole id and with its slug. */
export function nearestIds(name: string, ids: Iterable<string>, n = 3): string[] {
  const q = name.trim().toLowerCase();
  const qSlug = canonicalSlug(q.slice(q.lastIndexOf('/') + 1));
  const cap = Math.max(2, Math.ceil(qSlug.length / 3));
  const scored: [number, string][] = [];
  for (const id of ids) {
    const d = Math.min(editDistance(q, id, cap), editDistance(qSlug, id.slice(id.indexOf('/') + 1), cap));
    if (d <= cap) scored.push([d, id]);
  }
  return scored
    .sort((a, b) => a[0] - b[0] || a[1].length - b[1].length || a[1].localeCompare(b[1]))
    .slice(0, n)
    .map(([, id]) => id);
}

export function matchModelName(name: string, known: KnownModels, aliases: ReadonlyMap<string, string>): NameMatch {
  const q = name.trim();
  const lower = q.toLowerCase();
  if (known.ids.has(lower)) return { modelId: lower, via: 'id' };
  const raw = [...new Set(known.byRawName(lower))];
  if (raw.length === 1) return { modelId: raw[0]!, via: 'raw-name' };
  if (raw.length > 1) return { ambiguous: raw.sort() };
  const r = resolveModel({ name: q }, aliases);
  if ('modelId' in r && known.ids.has(r.modelId)) return { modelId: r.modelId, via: 'rules' };
  // a bare name whose family the rules do not know: the one known id with that slug
  const slug = canonicalSlug(lower);
  if (!slug.includes('/')) {
    const bare = [...known.ids].filter((id) => id.slice(id.indexOf('/') + 1) === slug);
    if (bare.length === 1) return { modelId: bare[0]!, via: 'bare-name' };
    if (bare.length > 1) return { ambiguous: bare.sort() };
  }
  return { unknown: q, suggestions: nearestIds(q, known.ids) };
}
