/**
 * Normalization (pure): an observation as a page states it becomes a
 * canonical claim — canonical model id via aliases, canonical route, prices in
 * canonical units (per 1M tokens, per image) as exact decimals — validated by
 * zod. Whatever fails is returned as an issue, never dropped.
 */
import type { Extraction } from '../../extractors/contract.js';
import { attributeBehaviour, type Normalization } from '../../schema/attribute-behaviour.js';
import { VALUE_KINDS } from '../../schema/attributes.js';
import { DecimalError, meantProduct, multiply, shift } from '../../schema/decimal.js';
import { parseOrThrow, SchemaError } from '../../schema/errors.js';
import { z } from 'zod';
import { Claim, Provenance, type ExtractionIssue, type Observation } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { MoneyValue, Value } from '../../schema/values.js';
import { findUnstorableText, storableCopy } from '../../schema/text.js';
import { hostThatCounts, resolveModel, resolveRoute, type ModelRef, type Resolved } from './identity.js';
import { claimCoreChecker } from './claim-core.js';

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
  /** Every raw model name the page used: what it resolved to (or why not), and how often. */
  names: Map<string, NameUse>;
}

/** One raw name of a page and its resolution, for the stored name → id table (`modelfacts aliases`). */
export interface NameUse {
  name: string;
  resolved: Resolved;
  count: number;
}

/** What identity sees of an observation: the name, the creator the page states, where it is listed. */
export function refOf(obs: Pick<Observation, 'model' | 'creator' | 'via' | 'qualifiers'>): ModelRef {
  const host = obs.via ?? obs.qualifiers.route;
  return { name: obs.model, ...(obs.creator ? { creator: obs.creator } : {}), ...(host ? { host } : {}) };
}

/**
 * An offering tier read from the name (`:free`, `:thinking`) qualifies the
 * listing's prices, joined before the tier the page states (`free_reasoning`,
 * as the OpenRouter reader writes it). Facts that are not prices stay the model's.
 */
function withNameTier(q: Qualifiers, attribute: Observation['attribute'], tier: string | undefined): Qualifiers {
  if (!tier || !attributeBehaviour(attribute).tieredByName) return q;
  return { ...q, tier: [tier, q.tier].filter(Boolean).join('_') };
}

/** shift(usd, 6), remembered by text: a catalog states the same few hundred per-token prices thousands of times. */
const perMillionOf = new Map<string, string>();
function perMillion(usd: string): string {
  let out = perMillionOf.get(usd);
  if (out === undefined) {
    out = shift(usd, 6);
    if (perMillionOf.size >= 100_000) perMillionOf.clear();
    perMillionOf.set(usd, out);
  }
  return out;
}

/**
 * Converts a stated unit to the canonical one: per token → per 1M tokens
 * (exact: a shift); per pixel at a size → per image. A per-pixel price has
 * the significant digits its publisher wrote (2.0345052083e-09: 11), so the
 * per-image product is published at that many (0.0032, not
 * 0.0031999999999475712) and the exact product is kept as its derivation.
 */
function canonicalPrice(money: MoneyValue, q: Qualifiers): { value: MoneyValue; qualifiers: Qualifiers } {
  if (q.unit === 'per_token') return { value: { ...money, usd: perMillion(money.usd) }, qualifiers: { ...q, unit: 'per_1m_tokens' } };
  if (q.unit === 'per_pixel' && q.size) {
    const [w, h] = q.size.split('x');
    const pixels = multiply(w!, h!);
    const exact = multiply(money.usd, pixels);
    const usd = meantProduct(money.usd, pixels);
    const value: MoneyValue = { ...money, usd, ...(usd === exact ? {} : { derivation: { exact, formula: `${money.usd} per pixel × ${pixels} pixels (${q.size})` } }) };
    return { value, qualifiers: { ...q, unit: 'per_image' } };
  }
  return { value: money, qualifiers: q };
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

/** Each attribute's normalization choice (schema/attribute-behaviour.ts) as a function of the stated value. */
const NORMALIZATIONS: Readonly<Record<Normalization, (value: Value) => Value>> = {
  'as-stated': (value) => value,
  'openness-vocabulary': (value) => (value.kind === 'text' ? { kind: 'text', text: canonicalOpenness(value.text) } : value),
  // "/v1/images/edits" (LiteLLM) and "v1/images/edits" (OpenAI's docs) are one endpoint
  'endpoint-paths': (value) =>
    value.kind === 'list'
      ? { kind: 'list', items: [...new Set(value.items.map((i) => i.trim().replace(/^\/+/, '').toLowerCase()))].sort() }
      : value,
};

/**
 * The page's qualifiers without the route (resolved separately) and without
 * keys left undefined: copied key by key rather than spread and then deleted
 * from, which leaves V8 a slow dictionary-mode object for every claim.
 */
function statedQualifiers(q: Observation['qualifiers']): Qualifiers {
  const out: Record<string, string> = {};
  for (const k in q) {
    const v = q[k as keyof typeof q];
    if (v !== undefined && k !== 'route') out[k] = v;
  }
  return out as Qualifiers;
}

type One = { type: 'claim'; claim: Claim } | { type: 'unmatched'; name: string } | { type: 'issue'; message: string };

function normalizeOne(
  obs: Observation,
  ctx: PageContext,
  page: PageProvenance,
  resolve: (obs: Observation) => Resolved,
  routeOf: (name: string) => string | undefined,
): One {
  const resolved = resolve(obs);
  if ('unmatched' in resolved) return { type: 'unmatched', name: resolved.unmatched };
  let qualifiers: Qualifiers = withNameTier(statedQualifiers(obs.qualifiers), obs.attribute, resolved.tier);
  const statedRoute = obs.qualifiers.route ?? resolved.route;
  if (statedRoute !== undefined) {
    const route = routeOf(statedRoute);
    if (!route) return { type: 'issue', message: `unknown provider/route name ${JSON.stringify(statedRoute)}` };
    qualifiers.route = route;
  }
  let value: Value = obs.value;
  if (value.kind === 'money') {
    const canon = canonicalPrice(value, qualifiers);
    value = canon.value;
    qualifiers = canon.qualifiers;
  }
  value = NORMALIZATIONS[attributeBehaviour(obs.attribute).normalization](value);
  if (!VALUE_KINDS[obs.attribute].includes(value.kind)) {
    return { type: 'issue', message: `attribute ${obs.attribute} cannot hold a ${value.kind} value` };
  }
  const core = checkClaimCore(
    { modelId: resolved.modelId, attribute: obs.attribute, qualifiers, value, excerpt: obs.excerpt, locator: obs.locator },
    `claim from ${ctx.sourceId} at ${obs.locator}`,
  );
  const claim: Claim = {
    modelId: core.modelId,
    attribute: core.attribute,
    qualifiers: core.qualifiers,
    value: core.value,
    // the page's fields, then the claim's: as `{ ...page, excerpt, locator, via?, derived? }`, without the spreads
    provenance:
      page.statedAsOf === undefined
        ? { sourceId: page.sourceId, url: page.url, fetchedAt: page.fetchedAt, extractorVersion: page.extractorVersion, pageHash: page.pageHash, excerpt: core.excerpt, locator: core.locator }
        : { sourceId: page.sourceId, url: page.url, fetchedAt: page.fetchedAt, extractorVersion: page.extractorVersion, pageHash: page.pageHash, statedAsOf: page.statedAsOf, excerpt: core.excerpt, locator: core.locator },
  };
  if (obs.via) claim.provenance.via = obs.via;
  if (obs.derived) claim.provenance.derived = obs.derived;
  return { type: 'claim', claim };
}

/** A claim without its provenance, plus the two provenance fields that vary per claim. */
const ClaimCore = Claim.omit({ provenance: true }).extend({ excerpt: z.string(), locator: z.string() });
/** parseOrThrow(ClaimCore, …), with zod run once per distinct model id, qualifier set and value (claim-core.ts). */
const checkClaimCore = claimCoreChecker(ClaimCore);
/** The provenance fields shared by every claim of one page, validated once per page. */
const PageProvenance = Provenance.omit({ excerpt: true, locator: true, via: true, derived: true });
type PageProvenance = z.infer<typeof PageProvenance>;

/** A NUL or any surrogate: what every unstorable string holds (most strings hold neither: no full check for them). */
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\ud800-\udfff]/;

/** Whether some string or key in `value` might be unstorable (findUnstorableText then says which and why). */
function mayBeUnstorable(value: unknown): boolean {
  if (typeof value === 'string') return SUSPECT.test(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const v of value) if (mayBeUnstorable(v)) return true;
    return false;
  }
  for (const k in value) if (SUSPECT.test(k) || mayBeUnstorable((value as Record<string, unknown>)[k])) return true;
  return false;
}

export function normalize(extraction: Extraction, ctx: PageContext, aliases: ReadonlyMap<string, string>): Normalized {
  const out: Normalized = { claims: [], issues: [], unmatched: new Map(), names: new Map() };
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
  const cache = new Map<string, Resolved>();
  const resolve = (obs: Observation) => {
    // refOf's creator and the part of its host resolution reads, as its key (a catalog lists one name on
    // many hosts): the ref itself is only built for a name not resolved yet
    const key = `${obs.creator || ''}\u0000${hostThatCounts((obs.via ?? obs.qualifiers.route) || undefined) ?? ''}\u0000${obs.model}`;
    let r = cache.get(key);
    if (!r) {
      r = resolveModel(refOf(obs), aliases);
      cache.set(key, r);
    }
    const use = out.names.get(obs.model);
    if (use) use.count++;
    else out.names.set(obs.model, { name: obs.model, resolved: r, count: 1 });
    return r;
  };
  // a route is named on every price of a catalog: resolved once per name and page too
  const routes = new Map<string, string | undefined>();
  const routeOf = (name: string) => {
    if (routes.has(name)) return routes.get(name);
    const route = resolveRoute(name);
    routes.set(name, route);
    return route;
  };
  for (const obs of extraction.observations) {
    const bad = mayBeUnstorable(obs) ? findUnstorableText(obs) : undefined;
    if (bad) {
      // one unstorable character refuses this value only, as an issue naming source, URL and field
      out.issues.push({
        sourceId: ctx.sourceId,
        url: ctx.url,
        message: `${ctx.sourceId}: ${ctx.url}: field ${bad.path} holds ${bad.problem}; the value is refused`,
        detail: { observation: storableCopy(obs) },
      });
      continue;
    }
    try {
      const r = normalizeOne(obs, ctx, page, resolve, routeOf);
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
    out.issues.push(storableCopy({ sourceId: ctx.sourceId, url: ctx.url, message: `${p.locator}: ${p.message}`, detail: p }));
  }
  return out;
}
