/**
 * Normalization (pure): an observation as a page states it becomes a
 * canonical claim — canonical model id via aliases, canonical route, prices in
 * canonical units (per 1M tokens, per image) as exact decimals — validated by
 * zod. Whatever fails is returned as an issue, never dropped.
 */
import type { Extraction } from '../../extractors/contract.js';
import { VALUE_KINDS } from '../../schema/attributes.js';
import { DecimalError, multiply, shift } from '../../schema/decimal.js';
import { parseOrThrow, SchemaError } from '../../schema/errors.js';
import { z } from 'zod';
import { Claim, Provenance, type ExtractionIssue, type Observation } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import { resolveModel, resolveRoute } from './identity.js';

export interface PageContext {
  sourceId: string;
  url: string;
  fetchedAt: string;
  extractorVersion: string;
  pageHash: string;
}

export interface Normalized {
  claims: Claim[];
  issues: ExtractionIssue[];
  /** Model names no alias or rule matched, with how often each appeared. */
  unmatched: Map<string, number>;
}

/** Converts a stated unit to the canonical one: per token → per 1M tokens; per pixel at a size → per image. */
function canonicalPrice(usd: string, q: Qualifiers): { usd: string; qualifiers: Qualifiers } {
  if (q.unit === 'per_token') return { usd: shift(usd, 6), qualifiers: { ...q, unit: 'per_1m_tokens' } };
  if (q.unit === 'per_pixel' && q.size) {
    const [w, h] = q.size.split('x');
    return { usd: multiply(usd, multiply(w!, h!)), qualifiers: { ...q, unit: 'per_image' } };
  }
  return { usd, qualifiers: q };
}

/**
 * One vocabulary for openness: sites say "Proprietary", models.dev says
 * "closed weights"; both mean the weights are not published.
 */
export function canonicalOpenness(text: string): string {
  if (/\bopen[- ]?(weights?|source)\b/i.test(text)) return 'open weights';
  if (/\b(proprietary|closed)\b/i.test(text)) return 'closed weights';
  return text;
}

type One = { type: 'claim'; claim: Claim } | { type: 'unmatched'; name: string } | { type: 'issue'; message: string };

function normalizeOne(
  obs: Observation,
  ctx: PageContext,
  page: PageProvenance,
  resolve: (name: string, creator: string | undefined) => ReturnType<typeof resolveModel>,
): One {
  const resolved = resolve(obs.model, obs.creator);
  if ('unmatched' in resolved) return { type: 'unmatched', name: resolved.unmatched };
  let qualifiers: Qualifiers = { ...obs.qualifiers, route: undefined };
  const statedRoute = obs.qualifiers.route ?? resolved.route;
  if (statedRoute !== undefined) {
    const route = resolveRoute(statedRoute);
    if (!route) return { type: 'issue', message: `unknown provider/route name ${JSON.stringify(statedRoute)}` };
    qualifiers.route = route;
  }
  let value: Value = obs.value;
  if (value.kind === 'money') {
    const canon = canonicalPrice(value.usd, qualifiers);
    value = { kind: 'money', usd: canon.usd };
    qualifiers = canon.qualifiers;
  }
  if (obs.attribute === 'openness' && value.kind === 'text') value = { kind: 'text', text: canonicalOpenness(value.text) };
  if (obs.attribute === 'endpoints' && value.kind === 'list') {
    // "/v1/images/edits" (LiteLLM) and "v1/images/edits" (OpenAI's docs) are one endpoint
    value = { kind: 'list', items: [...new Set(value.items.map((i) => i.trim().replace(/^\/+/, '').toLowerCase()))].sort() };
  }
  if (!VALUE_KINDS[obs.attribute].includes(value.kind)) {
    return { type: 'issue', message: `attribute ${obs.attribute} cannot hold a ${value.kind} value` };
  }
  for (const k of Object.keys(qualifiers) as (keyof Qualifiers)[]) if (qualifiers[k] === undefined) delete qualifiers[k];
  const core = parseOrThrow(
    ClaimCore,
    { modelId: resolved.modelId, attribute: obs.attribute, qualifiers, value, excerpt: obs.excerpt, locator: obs.locator },
    `claim from ${ctx.sourceId} at ${obs.locator}`,
  );
  const claim: Claim = {
    modelId: core.modelId,
    attribute: core.attribute,
    qualifiers: core.qualifiers,
    value: core.value,
    provenance: {
      ...page,
      excerpt: core.excerpt,
      locator: core.locator,
      ...(obs.via ? { via: obs.via } : {}),
    },
  };
  return { type: 'claim', claim };
}

/** A claim without its provenance, plus the two provenance fields that vary per claim. */
const ClaimCore = Claim.omit({ provenance: true }).extend({ excerpt: z.string(), locator: z.string() });
/** The provenance fields shared by every claim of one page, validated once per page. */
const PageProvenance = Provenance.omit({ excerpt: true, locator: true, via: true });
type PageProvenance = z.infer<typeof PageProvenance>;

export function normalize(extraction: Extraction, ctx: PageContext, aliases: ReadonlyMap<string, string>): Normalized {
  const out: Normalized = { claims: [], issues: [], unmatched: new Map() };
  const page = parseOrThrow(
    PageProvenance,
    {
      sourceId: ctx.sourceId,
      url: ctx.url,
      fetchedAt: ctx.fetchedAt,
      extractorVersion: ctx.extractorVersion,
      pageHash: ctx.pageHash,
      ...(extraction.statedAsOf ? { statedAsOf: extraction.statedAsOf } : {}),
    },
    `provenance of ${ctx.url}`,
  );
  // a catalog names the same model on many entries: resolve each name once per page
  const cache = new Map<string, ReturnType<typeof resolveModel>>();
  const resolve = (name: string, creator: string | undefined) => {
    const key = `${creator ?? ''}\u0000${name}`;
    let r = cache.get(key);
    if (!r) {
      r = resolveModel({ name, creator }, aliases);
      cache.set(key, r);
    }
    return r;
  };
  for (const obs of extraction.observations) {
    try {
      const r = normalizeOne(obs, ctx, page, resolve);
      if (r.type === 'claim') out.claims.push(r.claim);
      else if (r.type === 'unmatched') out.unmatched.set(r.name, (out.unmatched.get(r.name) ?? 0) + 1);
      else out.issues.push({ sourceId: ctx.sourceId, url: ctx.url, message: r.message, detail: { observation: obs } });
    } catch (error) {
      // data that does not fit the schema is an issue to record; anything else is a bug and stops the run
      if (!(error instanceof SchemaError || error instanceof DecimalError)) throw error;
      out.issues.push({
        sourceId: ctx.sourceId,
        url: ctx.url,
        message: error.message,
        detail: { observation: obs, ...(error instanceof SchemaError ? { problems: error.problems } : {}) },
      });
    }
  }
  for (const p of extraction.problems ?? []) {
    out.issues.push({ sourceId: ctx.sourceId, url: ctx.url, message: `${p.locator}: ${p.message}`, detail: p });
  }
  return out;
}
