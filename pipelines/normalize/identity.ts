/**
 * Model identity: the names pages use ("GPT-Image-1-Mini", "azure/gpt-image-1-mini",
 * "us.anthropic.claude-3-5-haiku-20241022-v1:0") → a canonical model id
 * (`creator/slug`), the route it was listed on when the name carries one, the
 * offering tier when it names one (`:free`), and the rules that decided.
 *
 * Pure and driven by the tables in `identity-data/`: every rule is a row there,
 * so a new provider prefix, model family or spelling is one line. It runs on
 * ~14k names a week, so it does Map lookups and anchored regexes per name.
 *
 * Never guesses: a name whose creator is neither stated (a `creator` hint, a
 * creator or publisher prefix, a first-party host) nor implied by a well-known
 * family is unmatched, with a reason class; so is a name whose stated creators
 * disagree (ambiguous, with the candidates).
 */
import { ModelId, RouteId } from '../../schema/ids.js';
import { SEED_ALIASES } from './identity-data/aliases.js';
import { CREATORS, FIRST_PARTY_HOSTS, REPACKAGERS, VENDOR_WORDS } from './identity-data/creators.js';
import { FAMILIES } from './identity-data/families.js';
import { HOST_PATHS, PROVIDER_PREFIXES, ROUTE_DETAIL_SEGMENT, ROUTE_NAMES } from './identity-data/routes.js';
import {
  CREATOR_SPELLING,
  ORDER_RULES,
  PREFIX_REWRITES,
  SUFFIX_RULES,
  VERSION_FAMILIES,
  type SpellingRow,
  type VersionFamily,
} from './identity-data/spelling.js';
import { FINE_TUNED_PREFIX, VARIANT_OF_SUFFIXES, VARIANT_SUFFIXES, type VariantRow } from './identity-data/variants.js';

/** A name as a page states it; `creator` when the page names one, `host` the route or provider it is listed on. */
export type ModelRef = { name: string; creator?: string; host?: string };

/** Why a name stayed unmatched: which table row is missing, or that the evidence disagrees. */
export type UnmatchedReason = 'unknown-family' | 'unknown-creator' | 'ambiguous' | 'empty';

export type Matched = { modelId: string; route?: string; tier?: string; rule: string };
export type Unmatched = { unmatched: string; reason: UnmatchedReason; candidates?: string[] };
export type Resolved = Matched | Unmatched;

/* ------------------------------------------------------------------ routes */

/** LiteLLM's `vertex_ai-language-models`, `fireworks_ai-embedding-models`: one route, many model kinds. */
const ROUTE_KIND_SUFFIX = /^([a-z0-9_]+)-[a-z0-9_-]*models?$/;

/** Provider display names and slugs → route id; undefined when the name is not a provider we can name. */
export function resolveRoute(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  if (key === '') return undefined;
  const known = ROUTE_NAMES[key];
  if (known) return known;
  const kind = ROUTE_KIND_SUFFIX.exec(key);
  if (kind) return resolveRoute(kind[1]!);
  // A lower-case slug is already a route id; a display name we do not know is not guessed.
  if (name.trim() === key && RouteId.safeParse(key).success) return key;
  return undefined;
}

/** Image-variant path segments (LiteLLM `low/1024-x-1024/...`): qualifiers, never part of the model. */
const VARIANT_SEGMENT = /^(?:low|medium|high|hd|standard|auto|\d+-x-\d+|(?:\d+|max)-steps)$/;

/** Bedrock model ids: `us.anthropic.claude-3-5-haiku-20241022-v1:0` = geo profile, vendor, model, version:revision. */
const BEDROCK_ID = /^(?:(?:us|eu|apac|global|au|jp|ca|us-gov)\.)?([a-z0-9-]+)\.([a-z0-9][a-z0-9._-]*?)(-v\d+)?(:\d+)?$/;

/* ---------------------------------------------------------------- aliases */

/** Seed aliases (identity-data/aliases.ts); callers overlay stored reviewer decisions on a copy. */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = Object.freeze({ ...SEED_ALIASES });
export const DEFAULT_ALIAS_MAP: ReadonlyMap<string, string> = new Map(Object.entries(DEFAULT_ALIASES));
/** The seed aliases overlaid with stored ones (lower-cased alias → id): stored decisions win. */
export function withStoredAliases(stored: ReadonlyMap<string, string>): Map<string, string> {
  const map = new Map<string, string>(DEFAULT_ALIAS_MAP);
  for (const [alias, modelId] of stored) map.set(alias.toLowerCase(), modelId);
  return map;
}

/** The seed table as the refresh takes it, for runs without a database (recording fixtures). */
export const SEED_ALIAS_TABLE = { map: DEFAULT_ALIAS_MAP, fingerprint: 'seed' } as const;

/* ------------------------------------------------------------------- slugs */

/** "GPT-Image-1-Mini" / "GPT Image 1 Mini" / "gpt_image_1_mini" → "gpt-image-1-mini". */
export function canonicalSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9.:@+/-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/** Dated snapshot suffixes: -2024-08-06, -20241022, -0613 / -2411 (MMDD, YYMM). */
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/**
 * The alias a dated snapshot belongs to: `openai/gpt-4o-2024-08-06` → `openai/gpt-4o`.
 * Undefined when the id is not a dated snapshot.
 */
export function snapshotOf(modelId: string): string | undefined {
  const slash = modelId.indexOf('/');
  const slug = modelId.slice(slash + 1);
  const m = SNAPSHOT_SUFFIX.exec(slug);
  if (!m || m.index === 0) return undefined;
  return `${modelId.slice(0, slash + 1)}${slug.slice(0, m.index)}`;
}

/** The base of a distinct variant product: `xai/grok-4-fast` → `xai/grok-4` (identity-data/variants.ts). */
export function variantOf(modelId: string): string | undefined {
  const slash = modelId.indexOf('/');
  const slug = modelId.slice(slash + 1);
  for (const re of VARIANT_OF_SUFFIXES) {
    const m = re.exec(slug);
    if (m && m.index > 0) return `${modelId.slice(0, slash + 1)}${slug.slice(0, m.index)}`;
  }
  return undefined;
}

/** One spelling row applied; its id is recorded when it changed the slug. */
function applyRow(row: SpellingRow, slug: string, applied: string[]): string {
  const out = typeof row.replace === 'string' ? slug.replace(row.pattern, row.replace) : slug.replace(row.pattern, row.replace);
  if (out !== slug) applied.push(row.id);
  return out;
}

const VERSION_RES = VERSION_FAMILIES.map((f) => ({
  f,
  re: new RegExp(`^(${f.family})[-.]?(\\d{1,2})(?:[.-](0|[1-9]\\d?))?(?=$|[-:])`),
}));

/** `qwen-2-5-72b` → `qwen2.5-72b`, `llama3-1-8b` → `llama-3.1-8b` (identity-data/spelling.ts VERSION_FAMILIES). */
export function versionSpelling(slug: string, f: VersionFamily, re: RegExp): string {
  const m = re.exec(slug);
  if (!m) return slug;
  let major = m[2]!;
  let minor = m[3];
  if (minor === undefined && f.squash && major.length === 2) [major, minor] = [major[0]!, major[1]!];
  const word = f.canonical || m[1]!.replace(/[-.]$/, '');
  return `${word}${f.join}${major}${minor !== undefined ? `.${minor}` : ''}${slug.slice(m[0].length)}`;
}

function familyOf(slug: string): { id: string; creator: string } | undefined {
  for (const row of FAMILIES) if (row.pattern.test(slug)) return row;
  return undefined;
}

/** The creator a stated name or org slug stands for (`Meta`, `meta-llama`, `x-ai` → meta, meta, xai). */
export function creatorOf(hint: string | undefined): string | undefined {
  if (!hint) return undefined;
  const key = hint.trim().toLowerCase();
  return CREATORS[key] ?? CREATORS[canonicalSlug(key)];
}

/**
 * `anthropic-claude-4.5-sonnet`, `azure-gpt-4o`, `zai-org-glm-4.6` → the known
 * family behind the vendor word; unchanged when what follows is no family.
 */
function dropVendorWord(slug: string, applied: string[]): string {
  for (const row of PREFIX_REWRITES) slug = applyRow(row, slug, applied);
  for (const word of VENDOR_WORDS) {
    if (!slug.startsWith(`${word}-`)) continue;
    const rest = slug.slice(word.length + 1);
    if (familyOf(rest)) {
      applied.push(`vendor-word:${word}`);
      return rest;
    }
  }
  return slug;
}

/** `anthropic.claude-3-5-haiku-20241022-v1:0` → vendor `anthropic`, slug `claude-3-5-haiku-20241022`. */
function readBedrockId(slug: string): { vendor: string; slug: string } | undefined {
  const m = BEDROCK_ID.exec(slug);
  const vendor = m && CREATORS[m[1]!];
  if (!m || !vendor) return undefined;
  const [, vendorWord, model, version = '', revision] = m;
  // the `-vN:R` version is Bedrock's, except on names without a number of their own (`claude-v2:1` is Claude 2.1)
  let out = revision && /\d/.test(model!) ? model! : `${model}${version}`;
  if (!familyOf(out) && /^[a-z]?\d/.test(out)) out = `${vendorWord}-${out}`;
  return { vendor, slug: out };
}

function takeVariants(slug: string, rows: readonly VariantRow[], tiers: string[], applied: string[]): string {
  for (const row of rows) {
    const m = row.pattern.exec(slug);
    if (!m) continue;
    slug = slug.slice(0, m.index);
    applied.push(`variant:${row.id}`);
    if (row.kind === 'tier' && row.tier) {
      tiers.push(row.tier.replace(/\$(\d)/g, (_x, n: string) => (m[Number(n)] ? `_${m[Number(n)]}` : '')).replace(/^_/, ''));
    }
  }
  return slug;
}

/**
 * An unknown org in `org/model` publishes a model of its own — unless it
 * re-packages others' models, is a host, or is a model family itself and the
 * "model" a bare version or word (`flux-pro/v1.1`, `flux/dev` are host paths).
 */
function isPublisher(org: string, slug: string): boolean {
  if (REPACKAGERS.has(org) || PROVIDER_PREFIXES.has(org) || familyOf(org)) return false;
  return /[-\d]/.test(slug) && !/^v?\d[\d.]*$/.test(slug);
}

const GENERAL_VARIANTS = VARIANT_SUFFIXES.filter((r) => !r.creator);

function lookupAlias(aliases: ReadonlyMap<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const hit = aliases.get(k);
    if (hit) return hit;
  }
  return undefined;
}

/** Strips provider prefixes (they become the route) and host paths; what is left is `[org/]model`. */
function readPath(raw: string, applied: string[]): { rest: string; route?: string } {
  const parts = hostPaths(raw, applied).split('/').filter((s) => s !== '');
  let segs = parts.filter((s, i) => i === parts.length - 1 || !VARIANT_SEGMENT.test(s.toLowerCase()));
  let route: string | undefined;
  while (segs.length > 1) {
    const head = segs[0]!.toLowerCase();
    const isCreator = CREATORS[head] !== undefined;
    if (!PROVIDER_PREFIXES.has(head) || (isCreator && segs.length <= 2)) break;
    route ??= resolveRoute(head);
    applied.push(`provider-prefix:${head}`);
    segs = segs.slice(1);
    while (segs.length > 1 && ROUTE_DETAIL_SEGMENT.test(segs[0]!.toLowerCase())) segs = segs.slice(1);
  }
  const rest = hostPaths(segs.join('/'), applied);
  return route ? { rest, route } : { rest };
}

/** Host account and catalog paths (identity-data/routes.ts HOST_PATHS) → `org/model` or `model`. */
function hostPaths(text: string, applied: string[]): string {
  for (const hp of HOST_PATHS) {
    const m = hp.pattern.exec(text);
    if (m) {
      text = m.slice(1).join('/');
      applied.push(hp.id);
    }
  }
  return text;
}

/**
 * The part of a ref's host that `resolveModel` reads: a first-party host (it may name the creator),
 * else nothing. Two refs alike but for hosts that are not first-party resolve alike.
 */
export function hostThatCounts(host: string | undefined): string | undefined {
  return host !== undefined && FIRST_PARTY_HOSTS[host] !== undefined ? host : undefined;
}

/**
 * Resolves a model name as a page states it. Order: alias table on the whole
 * name → provider prefixes and host paths → variant suffixes (tier) → creator
 * from the hint, a creator or publisher prefix, a Bedrock vendor, the family
 * table or a first-party host → version spelling and token order → alias
 * table on the result.
 */
export function resolveModel(ref: ModelRef, aliases: ReadonlyMap<string, string>): Resolved {
  const raw = ref.name.trim();
  if (raw === '') return { unmatched: ref.name, reason: 'empty' };
  const direct = lookupAlias(aliases, raw.toLowerCase(), canonicalSlug(raw));
  if (direct) return { modelId: direct, rule: 'alias' };

  const applied: string[] = [];
  const tiers: string[] = [];
  let text = raw;
  if (FINE_TUNED_PREFIX.pattern.test(text)) {
    text = text.replace(FINE_TUNED_PREFIX.pattern, '');
    tiers.push(FINE_TUNED_PREFIX.tier);
    applied.push(`variant:${FINE_TUNED_PREFIX.id}`);
  }
  const path: string[] = [];
  const { rest, route } = readPath(text, path);

  let org: string | undefined;
  let slugText = rest;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    org = rest.slice(0, slash);
    slugText = rest.slice(slash + 1);
    if (slugText.includes('/')) return { unmatched: ref.name, reason: 'unknown-creator' };
  }

  let slug = takeVariants(canonicalSlug(slugText), GENERAL_VARIANTS, tiers, applied);
  // a Bedrock id is read before the suffix rules (its `-v2:1` may be the model's own version), and after them
  // when a suffix hid it (`anthropic.claude-haiku-4-5@20251001`)
  let bedrock = readBedrockId(slug);
  for (const row of SUFFIX_RULES) slug = bedrock ? slug : applyRow(row, slug, applied);
  bedrock ??= readBedrockId(slug);
  if (bedrock) {
    slug = bedrock.slug;
    applied.push('bedrock-id');
  }
  if (slug === '') return { unmatched: ref.name, reason: 'unknown-family' };
  slug = dropVendorWord(slug, applied);

  // creator evidence, strongest first; two stated creators that disagree make the name ambiguous
  const orgCreator = org ? creatorOf(org) : undefined;
  const hinted = creatorOf(ref.creator);
  const stated = [...new Set([orgCreator, hinted, bedrock?.vendor].filter((c): c is string => c !== undefined))];
  if (stated.length > 1) {
    return { unmatched: ref.name, reason: 'ambiguous', candidates: stated.map((c) => `${c}/${slug}`).sort() };
  }
  const family = familyOf(slug);
  const orgSlug = org ? canonicalSlug(org) : undefined;
  const publisher = orgSlug && !orgCreator && isPublisher(orgSlug, slug) ? orgSlug : undefined;
  const hostKey = hostThatCounts(route) ?? hostThatCounts(ref.host);
  let creator: string | undefined;
  applied.unshift(...path);
  if (stated[0]) {
    creator = stated[0];
    applied.unshift(orgCreator ? `creator-prefix:${orgSlug}` : hinted ? 'creator-hint' : 'bedrock-vendor');
  } else if (publisher) {
    creator = publisher;
    applied.unshift('publisher-org');
  } else if (family) {
    creator = family.creator;
    applied.unshift(`family:${family.id}`);
  } else if (hostKey) {
    creator = FIRST_PARTY_HOSTS[hostKey];
    applied.unshift(`first-party-host:${hostKey}`);
  } else if (ref.creator && canonicalSlug(ref.creator) !== '') {
    creator = canonicalSlug(ref.creator);
    applied.unshift('creator-hint-new');
  }
  if (!creator) return { unmatched: ref.name, reason: org ? 'unknown-creator' : 'unknown-family' };

  slug = takeVariants(slug, VARIANT_SUFFIXES.filter((r) => r.creator === creator), tiers, applied);
  for (const { f, re } of VERSION_RES) {
    const out = versionSpelling(slug, f, re);
    if (out !== slug) {
      applied.push(`version:${f.id}`);
      slug = out;
      break;
    }
  }
  for (const row of ORDER_RULES) if (!row.creator || row.creator === creator) slug = applyRow(row, slug, applied);
  const spelling = CREATOR_SPELLING[creator];
  if (spelling) slug = applyRow(spelling, slug, applied);

  const candidate = `${creator}/${slug}`;
  const aliased = lookupAlias(aliases, candidate, slug);
  if (aliased) applied.push('alias');
  const modelId = aliased ?? candidate;
  if (!ModelId.safeParse(modelId).success) return { unmatched: ref.name, reason: 'unknown-family' };
  return {
    modelId,
    ...(route ? { route } : {}),
    ...(tiers.length > 0 ? { tier: tiers.join('_') } : {}),
    rule: applied.join(' + '),
  };
}
