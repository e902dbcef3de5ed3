/**
 * LiteLLM's price map (model_prices_and_context_window.json): one JSON object,
 * keyed by LiteLLM's model name, prices in USD per unit as floats.
 *
 * Quirks handled here, all read from the key or field names, none hard-coded per model:
 * - `sample_spec` documents the format; it is not a model.
 * - Image variants live in their own keys: `[provider/]<quality>/<W>-x-<H>/[<n>-steps/]<model>`.
 *   The segments become quality/size (steps become a tier); the model name is the key without them.
 * - In image-generation entries `input_cost_per_image` / `input_cost_per_pixel` is what a
 *   generated image costs (an output price under an input name) unless the entry also states
 *   an output_cost_per_image; the `output_cost_per_pixel: 0` next to it is a placeholder.
 * - Variant keys only carry image prices; their token fields are 0 placeholders and are not read.
 * - Per-pixel prices (Azure, dall-e-2) are emitted per_pixel with the size from the key;
 *   normalization multiplies by width × height.
 * - Token prices split by modality (`*_image_token*`, `*_audio_token*`); when an entry has such
 *   fields its plain token prices are the text ones (modality text), otherwise they carry none.
 * - Field-name suffixes are pricing tiers: `_batches` → batch, `_flex`, `_priority`,
 *   `_above_200k_tokens` → above_200k, `_above_1hr` (cache TTL) → ttl_1h; they combine
 *   (`above_200k_priority`). Region/commitment path segments (`azure/eu/`, `bedrock/us-east-1/`,
 *   `1-month-commitment/`) and Bedrock geo profiles (`us.anthropic...`) are tiers too, so a
 *   regional surcharge never collides with the base price of the same route.
 * - `tiered_pricing: [{range:[a,b], ...}]`: the band starting at 0 is the base price, later bands
 *   are `above_<a>`; `max_results_range` bands (search APIs) are `results_<a>-<b>`.
 * - `max_input_tokens` / `max_output_tokens`: 0 means "not applicable"; the legacy `max_tokens`
 *   is ambiguous (input or output by LiteLLM's own description) and is not read.
 * - The route is `litellm_provider` as stated (`vertex_ai-language-models`); prices carry it.
 * - The copy's top-level `last_updated` string is the file's own freshness (statedAsOf).
 * Price fields with no unit in our vocabulary are listed in IGNORED_COST_FIELDS; any other
 * unrecognised `*cost*` field is reported as a problem, never dropped silently.
 */
import { compare, isNegative, shift } from '../schema/decimal.js';
import type { Observation } from '../schema/observation.js';
import type { Direction, Modality, PriceUnit, Quality } from '../schema/qualifiers.js';
import type { DateValue, Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { isJsonNumber, jsonText, numberText, parseJsonPage, statedMoney } from './json.js';
import { BEDROCK_GEO, ParseError, excerpt, parseDate, parseSize, shortCount, stringList, tokenLimit, truncate } from './parse.js';

const SOURCE_ID = 'litellm';
const PAGE_URL = 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

type Quals = Observation['qualifiers'];
type Problem = NonNullable<Extraction['problems']>[number];

interface PriceField {
  direction: Direction;
  unit: PriceUnit;
  modality?: Modality;
  tier?: string;
  /** A plain per-token field: gets modality text when the entry prices other modalities separately. */
  plainToken?: boolean;
  /** Multiply the stated number by 10^scale to reach `unit` (per character → per 1k characters). */
  scale?: number;
}

/** Field-name bases, longest first so `input_cost_per_image_token` wins over `input_cost_per_image`. */
const BASES: [string, PriceField][] = (
  [
    ['cache_creation_input_audio_token_cost', { direction: 'cache_write', unit: 'per_token', modality: 'audio' }],
    ['cache_read_input_audio_token_cost', { direction: 'cache_read', unit: 'per_token', modality: 'audio' }],
    ['cache_read_input_image_token_cost', { direction: 'cache_read', unit: 'per_token', modality: 'image' }],
    ['cache_creation_input_token_cost', { direction: 'cache_write', unit: 'per_token', plainToken: true }],
    ['cache_read_input_token_cost', { direction: 'cache_read', unit: 'per_token', plainToken: true }],
    // DeepSeek's name for the cache-read price; read only when cache_read_input_token_cost is absent
    ['input_cost_per_token_cache_hit', { direction: 'cache_read', unit: 'per_token', plainToken: true }],
    ['input_cost_per_audio_per_second', { direction: 'input', unit: 'per_second', modality: 'audio' }],
    ['input_cost_per_video_per_second', { direction: 'input', unit: 'per_second', modality: 'video' }],
    ['output_cost_per_video_per_second', { direction: 'output', unit: 'per_second', modality: 'video' }],
    ['input_cost_per_audio_token', { direction: 'input', unit: 'per_token', modality: 'audio' }],
    ['output_cost_per_audio_token', { direction: 'output', unit: 'per_token', modality: 'audio' }],
    ['input_cost_per_image_token', { direction: 'input', unit: 'per_token', modality: 'image' }],
    ['output_cost_per_image_token', { direction: 'output', unit: 'per_token', modality: 'image' }],
    ['output_cost_per_reasoning_token', { direction: 'output', unit: 'per_token', tier: 'reasoning' }],
    ['citation_cost_per_token', { direction: 'input', unit: 'per_token', tier: 'citation' }],
    ['input_cost_per_character', { direction: 'input', unit: 'per_1k_characters', scale: 3 }],
    ['output_cost_per_character', { direction: 'output', unit: 'per_1k_characters', scale: 3 }],
    ['input_cost_per_pixel', { direction: 'input', unit: 'per_pixel', modality: 'image' }],
    ['output_cost_per_pixel', { direction: 'output', unit: 'per_pixel', modality: 'image' }],
    ['input_cost_per_image', { direction: 'input', unit: 'per_image', modality: 'image' }],
    ['output_cost_per_image', { direction: 'output', unit: 'per_image', modality: 'image' }],
    ['input_cost_per_second', { direction: 'input', unit: 'per_second' }],
    ['output_cost_per_second', { direction: 'output', unit: 'per_second' }],
    ['input_cost_per_request', { direction: 'input', unit: 'per_request' }],
    ['input_cost_per_query', { direction: 'input', unit: 'per_request' }],
    ['input_cost_per_token', { direction: 'input', unit: 'per_token', plainToken: true }],
    ['output_cost_per_token', { direction: 'output', unit: 'per_token', plainToken: true }],
  ] as [string, PriceField][]
).sort((a, b) => b[0].length - a[0].length);

/** Name suffixes after a base: each adds a tier word (or changes the modality). */
const SUFFIXES: [RegExp, (m: RegExpExecArray) => { tier?: string; modality?: Modality }][] = [
  [/^_above_(\d+)k_tokens/, (m) => ({ tier: `above_${m[1]}k` })],
  [/^_above_(\d+)_tokens/, (m) => ({ tier: `above_${m[1]}` })],
  [/^_above_(\d+)hr/, (m) => ({ tier: `ttl_${m[1]}h` })],
  [/^_above_(\d+)s_interval/, (m) => ({ tier: `above_${m[1]}s` })],
  [/^_above_(\d+)_and_(\d+)_pixels/, (m) => ({ tier: `above_${m[1]}x${m[2]}` })],
  [/^_(?:and_)?premium_image/, () => ({ tier: 'premium' })],
  [/^_(?:batches|batch_requests)/, () => ({ tier: 'batch' })],
  [/^_(flex|priority)/, (m) => ({ tier: m[1] })],
  [/^_(\d{3,4}p)/, (m) => ({ tier: m[1] })],
  [/^_per_audio_token/, () => ({ modality: 'audio' })],
];

/**
 * Cost fields with no unit in our vocabulary or not in US dollars; read on purpose as "not
 * extracted" so that any other unknown cost field is reported.
 */
const IGNORED_COST_FIELDS: Record<string, string> = {
  input_dbu_cost_per_token: 'Databricks DBUs, not US dollars',
  output_dbu_cost_per_token: 'Databricks DBUs, not US dollars',
  annotation_cost_per_page: 'per page: no such price unit',
  ocr_cost_per_page: 'per page: no such price unit',
  code_interpreter_cost_per_session: 'tool session, not the model',
  computer_use_input_cost_per_1k_tokens: 'tool pricing, not the model',
  computer_use_output_cost_per_1k_tokens: 'tool pricing, not the model',
  file_search_cost_per_1k_calls: 'tool pricing, not the model',
  file_search_cost_per_gb_per_day: 'storage, not the model',
  vector_store_cost_per_gb_per_day: 'storage, not the model',
};

const QUALITY_SEGMENT = /^(low|medium|high|hd|standard|auto)$/;
const SIZE_SEGMENT = /^\d+-x-\d+$/;
const STEPS_SEGMENT = /^(?:\d+|max)-steps$/;
const REGION_SEGMENT = /^(?:eu|us|global|global-standard|apac|[a-z]{2}(?:-gov)?-[a-z]+-\d)$/;
const COMMITMENT_SEGMENT = /^\d+-month-commitment$/;

const IMAGE_MODES = new Set(['image_generation', 'image_edit']);

interface KeyParts {
  /** The key without variant/region segments: the model as LiteLLM names it. */
  model: string;
  quality?: Quality;
  size?: string;
  /** Tier words from the path: steps, region, commitment, Bedrock geo profile. */
  tiers: string[];
  variant: boolean;
}

function parseKey(key: string): KeyParts {
  const segs = key.split('/');
  const last = segs.length - 1;
  const kept: string[] = [];
  const tiers: string[] = [];
  let quality: KeyParts['quality'];
  let size: string | undefined;
  segs.forEach((seg, i) => {
    if (i === last) return kept.push(seg);
    const s = seg.toLowerCase();
    if (QUALITY_SEGMENT.test(s)) quality = s as KeyParts['quality'];
    else if (SIZE_SEGMENT.test(s)) size = parseSize(s);
    else if (STEPS_SEGMENT.test(s)) tiers.push(s);
    else if (i > 0 && (REGION_SEGMENT.test(s) || COMMITMENT_SEGMENT.test(s))) tiers.push(s);
    else if (i > 0 && s === '*') return undefined;
    else kept.push(seg);
    return undefined;
  });
  const geo = BEDROCK_GEO.exec(segs[last]!);
  if (geo) tiers.push(geo[1]!);
  return { model: kept.join('/'), quality, size, tiers, variant: quality !== undefined || size !== undefined };
}

type ParsedField = { field: PriceField; tiers: string[] } | { unknownSuffix: string } | undefined;

/** Field names repeat across thousands of entries: parse each name once. */
const FIELD_CACHE = new Map<string, ParsedField>();

function parseField(name: string): ParsedField {
  if (FIELD_CACHE.has(name)) return FIELD_CACHE.get(name);
  const parsed = parseFieldName(name);
  FIELD_CACHE.set(name, parsed);
  return parsed;
}

function parseFieldName(name: string): ParsedField {
  const base = BASES.find(([b]) => name.startsWith(b));
  if (!base) return undefined;
  let rest = name.slice(base[0].length);
  const field: PriceField = { ...base[1] };
  const tiers: string[] = field.tier ? [field.tier] : [];
  while (rest !== '') {
    let matched = false;
    for (const [re, apply] of SUFFIXES) {
      const m = re.exec(rest);
      if (!m) continue;
      const got = apply(m);
      if (got.tier) tiers.push(got.tier);
      if (got.modality) {
        field.modality = got.modality;
        field.plainToken = false;
      }
      rest = rest.slice(m[0].length);
      matched = true;
      break;
    }
    if (!matched) return { unknownSuffix: rest };
  }
  return { field, tiers };
}

function tierOf(words: string[]): string | undefined {
  return words.length ? words.join('_').toLowerCase() : undefined;
}

/** The stated amount as money, scaled to the field's unit (per character → per 1k characters) after the artifact check. */
function toMoney(text: string, scale = 0): Value {
  const m = statedMoney(text);
  return scale ? { ...m, usd: shift(m.usd, scale) } : m;
}

type Entry = Record<string, unknown>;

class Emitter {
  readonly observations: Observation[] = [];
  readonly problems: Problem[] = [];
  constructor(private readonly key: string) {}

  private locator(path: string): string {
    return `$[${JSON.stringify(this.key)}]${path}`;
  }

  private ex(field: string, value: unknown): string {
    // JSON text has no runs of whitespace to clean: only trim it to a readable length.
    return truncate(`${this.key}: "${field}": ${jsonText(value)}`);
  }

  emit(model: string, attribute: Observation['attribute'], value: Value, qualifiers: Quals, field: string, raw: unknown, path = `.${field}`): void {
    this.observations.push({ model, attribute, value, qualifiers, locator: this.locator(path), excerpt: this.ex(field, raw) });
  }

  problem(field: string, message: string, raw: unknown): void {
    this.problems.push({ locator: this.locator(`.${field}`), message, excerpt: this.ex(field, raw) });
  }
}

/** A stated limit as a token count; unlike other catalogs, LiteLLM's null is reported, not read as unstated. */
function count(value: unknown): Value | undefined {
  const v = value === null ? 'invalid' : tokenLimit(value);
  return v === 'invalid' ? undefined : v;
}

function extractEntry(key: string, entry: Entry, out: Emitter): void {
  const parts = parseKey(key);
  const provider = typeof entry.litellm_provider === 'string' ? entry.litellm_provider : undefined;
  const mode = typeof entry.mode === 'string' ? entry.mode : undefined;
  const imageMode = mode !== undefined && IMAGE_MODES.has(mode);
  const fields = Object.keys(entry);
  const hasModalTokens = fields.some((f) => /_(?:image|audio)_token|_per_audio_token/.test(f));
  const statesOutputImage = fields.some((f) => f.startsWith('output_cost_per_image') && !f.includes('token'));
  const model = parts.model;

  const price = (field: string, raw: unknown, f: PriceField, tiers: string[], path?: string): void => {
    const text = isJsonNumber(raw) ? numberText(raw) : undefined;
    if (text === undefined || isNegative(text)) {
      out.problem(field, 'price is not a non-negative number', raw);
      return;
    }
    let direction = f.direction;
    // An image generator's "input" per-image/per-pixel price is what the generated image costs.
    if (imageMode && (f.unit === 'per_image' || f.unit === 'per_pixel') && direction === 'input' && !statesOutputImage) {
      direction = 'output';
    } else if (imageMode && f.unit === 'per_pixel' && direction === 'output' && compare(text, '0') === 0) {
      return; // placeholder next to the real (input-named) per-pixel price
    }
    let modality = f.modality;
    if (!modality && f.plainToken && hasModalTokens) modality = 'text';
    if (!modality && f.unit === 'per_second') {
      if (mode === 'audio_transcription') modality = 'audio';
      else if (mode === 'audio_speech') modality = 'audio';
      else if (mode === 'video_generation') modality = 'video';
    }
    const isImagePrice = f.unit === 'per_image' || f.unit === 'per_pixel';
    const q: Quals = {
      ...(provider ? { route: provider } : {}),
      unit: f.unit,
      direction,
      ...(modality ? { modality } : {}),
      ...(isImagePrice && parts.quality ? { quality: parts.quality } : {}),
      ...(isImagePrice && parts.size ? { size: parts.size } : {}),
    };
    const tier = tierOf([...parts.tiers, ...tiers]);
    if (tier) q.tier = tier;
    out.emit(model, 'price', toMoney(text, f.scale), q, field, raw, path);
  };

  for (const field of fields) {
    const raw = entry[field];
    if (field === 'tiered_pricing' || field === 'search_context_cost_per_query') continue;
    if (!field.includes('cost')) continue;
    if (field in IGNORED_COST_FIELDS) continue;
    if (field === 'input_cost_per_token_cache_hit' && 'cache_read_input_token_cost' in entry) continue;
    const parsed = parseField(field);
    if (!parsed) {
      out.problem(field, 'unrecognised price field', raw);
      continue;
    }
    if ('unknownSuffix' in parsed) {
      out.problem(field, `unrecognised price qualifier "${parsed.unknownSuffix}"`, raw);
      continue;
    }
    const isImagePrice = parsed.field.unit === 'per_image' || parsed.field.unit === 'per_pixel';
    // Variant keys (quality/size in the key) state image prices; their token fields are 0 placeholders.
    if (parts.variant && !isImagePrice) continue;
    price(field, raw, parsed.field, parsed.tiers);
  }

  if (!parts.variant) {
    tieredPricing(entry.tiered_pricing, price, out);
    searchContext(entry.search_context_cost_per_query, price, out);
  }

  if (parts.variant) return; // limits, modalities and listing belong to the base entry

  const ctx = entry.max_input_tokens;
  if (ctx !== undefined) {
    const v = count(ctx);
    if (v) out.emit(model, 'context_window', v, {}, 'max_input_tokens', ctx);
    else out.problem('max_input_tokens', 'not a token count', ctx);
  }
  const maxOut = entry.max_output_tokens;
  if (maxOut !== undefined) {
    const v = count(maxOut);
    if (v) out.emit(model, 'max_output_tokens', v, {}, 'max_output_tokens', maxOut);
    else out.problem('max_output_tokens', 'not a token count', maxOut);
  }
  for (const [field, attribute] of [
    ['supported_modalities', 'input_modalities'],
    ['supported_output_modalities', 'output_modalities'],
  ] as const) {
    if (entry[field] === undefined) continue;
    const items = stringList(entry[field]);
    if (items) out.emit(model, attribute, { kind: 'list', items }, {}, field, entry[field]);
    else out.problem(field, 'not a list of modalities', entry[field]);
  }
  if (entry.supported_endpoints !== undefined) {
    const items = stringList(entry.supported_endpoints);
    if (items) out.emit(model, 'endpoints', { kind: 'list', items }, {}, 'supported_endpoints', entry.supported_endpoints);
  }
  if (provider) {
    // The listing itself: this route serves the model under this id.
    const segs = key.split('/');
    const head = segs[0]!;
    const providerModelId = segs.length > 1 && provider.startsWith(head) ? segs.slice(1).join('/') : key;
    out.emit(model, 'provider_model_id', { kind: 'text', text: providerModelId }, { route: provider }, 'litellm_provider', provider);
  }
}

type PriceFn = (field: string, raw: unknown, f: PriceField, tiers: string[], path?: string) => void;

/** `tiered_pricing: [{ range: [a, b], input_cost_per_token, ... }]` — bands of context length or result count. */
function tieredPricing(value: unknown, price: PriceFn, out: Emitter): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return out.problem('tiered_pricing', 'not a list of price bands', value);
  value.forEach((band: unknown, i) => {
    if (!band || typeof band !== 'object') return out.problem(`tiered_pricing[${i}]`, 'not a price band', band);
    const b = band as Entry;
    const tokens = Array.isArray(b.range) ? (b.range as unknown[]) : undefined;
    const results = Array.isArray(b.max_results_range) ? (b.max_results_range as unknown[]) : undefined;
    let tier: string | undefined;
    if (tokens && typeof tokens[0] === 'number') tier = tokens[0] === 0 ? undefined : `above_${shortCount(tokens[0])}`;
    else if (results && typeof results[0] === 'number' && typeof results[1] === 'number') tier = `results_${results[0]}-${results[1]}`;
    else return out.problem(`tiered_pricing[${i}]`, 'price band without a range', band);
    for (const [field, raw] of Object.entries(b)) {
      if (field === 'range' || field === 'max_results_range') continue;
      const parsed = parseField(field);
      if (!parsed || 'unknownSuffix' in parsed) {
        out.problem(`tiered_pricing[${i}].${field}`, 'unrecognised price field', raw);
        continue;
      }
      price(field, raw, parsed.field, [...(tier ? [tier] : []), ...parsed.tiers], `.tiered_pricing[${i}].${field}`);
    }
    return undefined;
  });
}

/** `search_context_cost_per_query: { search_context_size_low: 0.01, ... }` — web search per query by context size. */
function searchContext(value: unknown, price: PriceFn, out: Emitter): void {
  if (value === undefined) return;
  if (!value || typeof value !== 'object') return out.problem('search_context_cost_per_query', 'not an object', value);
  for (const [size, raw] of Object.entries(value as Entry)) {
    const m = /^search_context_size_([a-z]+)$/.exec(size);
    if (!m) {
      out.problem(`search_context_cost_per_query.${size}`, 'unrecognised search context size', raw);
      continue;
    }
    if (raw === 0) continue; // 0 next to a model without web search means "not offered", not "free"
    price(
      'search_context_cost_per_query',
      raw,
      { direction: 'input', unit: 'per_request' },
      [`web_search_${m[1]}`],
      `.search_context_cost_per_query.${size}`,
    );
  }
}

/** The copy's `last_updated`: a date or an ISO timestamp (which parseDate reads as its day). */
function statedAsOf(value: unknown): DateValue | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parseDate(value);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return undefined; // reported by the caller as a problem
  }
}

function extractLitellm(page: Page): Extraction {
  const doc = parseJsonPage(SOURCE_ID, page);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new LayoutError(SOURCE_ID, page.url, 'a JSON object keyed by model name');
  }
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  let asOf: DateValue | undefined;
  let entries = 0;
  for (const [key, entry] of Object.entries(doc as Entry)) {
    if (key === 'sample_spec') continue; // the format's documentation, not a model
    if (key === 'last_updated') {
      asOf = statedAsOf(entry);
      if (!asOf) problems.push({ locator: '$.last_updated', message: 'not a date', excerpt: excerpt(String(entry)) });
      continue;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ locator: `$[${JSON.stringify(key)}]`, message: 'entry is not an object', excerpt: excerpt(`${key}: ${jsonText(entry)}`) });
      continue;
    }
    entries++;
    const out = new Emitter(key);
    extractEntry(key, entry as Entry, out);
    observations.push(...out.observations);
    problems.push(...out.problems);
  }
  if (entries === 0) throw new LayoutError(SOURCE_ID, page.url, 'model entries');
  return { observations, ...(asOf ? { statedAsOf: asOf } : {}), problems };
}

export const litellm = {
  id: SOURCE_ID,
  description: "LiteLLM's model price map: per-token, per-image and per-pixel prices and limits for every route LiteLLM supports",
  kind: 'catalog',
  fetchMode: 'http',
  hosts: ['raw.githubusercontent.com'],
  version: '2',
  authority: 'aggregator',
  requiredAttributes: ['price'],
  pages: [PAGE_URL],
  extract: extractLitellm,
} satisfies SourceModule;
