/**
 * OpenRouter's model list, GET https://openrouter.ai/api/v1/models.
 * The live response is `{"data": [...]}`; archived copies are often the bare
 * array, so both are accepted.
 *
 * Quirks handled here:
 * - Prices are strings in USD per token (per request / per search where the field says so).
 * - `"-1"` means the price is decided per request (routers such as `openrouter/auto`):
 *   nothing is emitted, a problem note says why.
 * - `"0"`: for `prompt` and `completion` it is a real price (free models, `:free` variants);
 *   for the optional fields (`image`, `audio`, `request`, `web_search`, `internal_reasoning`,
 *   `input_cache_read`, `input_cache_write`, `image_output`) it means "not charged separately /
 *   not offered" and is not emitted.
 * - `created` is when the model was added to OpenRouter, not a release date: never emitted.
 * - `image` and `audio` are input prices per token of that modality in the listings we have
 *   seen (Gemini's `image` equals its prompt price); a value above $0.001 (older per-image
 *   listings) is reported instead of being read with the wrong unit.
 * - Offering variants `<id>:free`, `<id>:thinking`: the model is `<id>`, the variant is the
 *   price tier; model facts come from the base entry unless the listing only has the variant.
 * - The creator is the display-name prefix ("OpenAI: GPT-4o") or else the id prefix.
 */
import { compare } from '../schema/decimal.js';
import type { Observation } from '../schema/observation.js';
import type { Direction, Modality, PriceUnit } from '../schema/qualifiers.js';
import type { Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { jsonText, modelList, numberText, parseJsonPage, statedMoney } from './json.js';
import { stringList, tokenLimit, truncate } from './parse.js';

const SOURCE_ID = 'openrouter-api';
const PAGE_URL = 'https://openrouter.ai/api/v1/models';
const ROUTE = 'openrouter';

type Quals = Observation['qualifiers'];
type Problem = NonNullable<Extraction['problems']>[number];

interface PriceMeaning {
  direction: Direction;
  unit: PriceUnit;
  modality?: Modality;
  tier?: string;
  /** Only a real price when not "0" (see the file comment). */
  optional: boolean;
  /** Above this a per-token reading is implausible: report instead of emit. */
  perTokenCeiling?: string;
}

/**
 * The OpenRouter pricing vocabulary, shared with Vercel's `/endpoints` responses which
 * use the same field names.
 */
const OPENROUTER_PRICE_FIELDS: Record<string, PriceMeaning | null> = {
  prompt: { direction: 'input', unit: 'per_token', optional: false },
  completion: { direction: 'output', unit: 'per_token', optional: false },
  input_cache_read: { direction: 'cache_read', unit: 'per_token', optional: true },
  input_cache_write: { direction: 'cache_write', unit: 'per_token', optional: true },
  image: { direction: 'input', unit: 'per_token', modality: 'image', optional: true, perTokenCeiling: '0.001' },
  audio: { direction: 'input', unit: 'per_token', modality: 'audio', optional: true, perTokenCeiling: '0.001' },
  image_output: { direction: 'output', unit: 'per_token', modality: 'image', optional: true, perTokenCeiling: '0.001' },
  internal_reasoning: { direction: 'output', unit: 'per_token', tier: 'reasoning', optional: true },
  web_search: { direction: 'input', unit: 'per_request', tier: 'web_search', optional: true },
  request: { direction: 'input', unit: 'per_request', optional: true },
  // a number (a discount fraction), not a price
  discount: null,
};

interface PriceEmit {
  field: string;
  raw: unknown;
  usd: string;
  /** The stated text when it carried a binary-float artifact (usd is then the short decimal it means). */
  floatArtifact?: string;
  qualifiers: Quals;
}

/**
 * Reads an OpenRouter-style `pricing` object. Returns the prices to emit and the
 * problems; `base` carries the route and tier shared by every price.
 */
export function readOpenRouterPricing(
  pricing: Record<string, unknown>,
  base: { route: string; tier?: string },
): { prices: PriceEmit[]; problems: { field: string; message: string; raw: unknown }[] } {
  const prices: PriceEmit[] = [];
  const problems: { field: string; message: string; raw: unknown }[] = [];
  for (const [field, raw] of Object.entries(pricing)) {
    if (!(field in OPENROUTER_PRICE_FIELDS)) {
      problems.push({ field, message: 'unrecognised price field', raw });
      continue;
    }
    const meaning = OPENROUTER_PRICE_FIELDS[field];
    if (!meaning) continue;
    if (raw === null || raw === undefined || raw === '') continue;
    const text = numberText(raw);
    if (text === undefined) {
      problems.push({ field, message: 'price is not a decimal number', raw });
      continue;
    }
    const stated = statedMoney(text);
    const usd = stated.usd;
    if (usd === '-1') {
      problems.push({ field, message: 'price is -1: decided per request (variable), not stated', raw });
      continue;
    }
    if (usd.startsWith('-')) {
      problems.push({ field, message: 'negative price', raw });
      continue;
    }
    if (usd === '0' && meaning.optional) continue;
    if (meaning.perTokenCeiling && compare(usd, meaning.perTokenCeiling) > 0) {
      problems.push({ field, message: `unit not stated and too high for a per-token price (> ${meaning.perTokenCeiling})`, raw });
      continue;
    }
    const tier = [base.tier, meaning.tier].filter(Boolean).join('_') || undefined;
    prices.push({
      field,
      raw,
      usd,
      ...(stated.floatArtifact ? { floatArtifact: stated.floatArtifact } : {}),
      qualifiers: {
        route: base.route,
        unit: meaning.unit,
        direction: meaning.direction,
        ...(meaning.modality ? { modality: meaning.modality } : {}),
        ...(tier ? { tier } : {}),
      },
    });
  }
  return { prices, problems };
}

const VARIANT = /^(.+?):([a-z0-9-]+)$/;

function extractOpenRouter(page: Page): Extraction {
  const doc = parseJsonPage(SOURCE_ID, page);
  const models = modelList(doc);
  if (!models) throw new LayoutError(SOURCE_ID, page.url, 'the data array of models');
  const root = Array.isArray(doc) ? '$' : '$.data';
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  const ids = new Set(models.map((m) => (m && typeof m === 'object' ? (m as { id?: unknown }).id : undefined)));
  let valid = 0;

  models.forEach((m, i) => {
    const at = `${root}[${i}]`;
    if (!m || typeof m !== 'object' || typeof (m as { id?: unknown }).id !== 'string') {
      problems.push({ locator: at, message: 'model entry without an id', excerpt: JSON.stringify(m).slice(0, 200) || 'null' });
      return;
    }
    valid++;
    const entry = m as Record<string, unknown>;
    const id = entry.id as string;
    const variant = VARIANT.exec(id);
    const model = variant ? variant[1]! : id;
    const tier = variant ? variant[2]! : undefined;
    const name = typeof entry.name === 'string' ? entry.name : undefined;
    const namePrefix = name && /^([^:]{1,40}):\s/.exec(name)?.[1]?.trim();
    const creator = namePrefix || (model.includes('/') ? model.slice(0, model.indexOf('/')) : undefined);
    const ex = (field: string, raw: unknown): string => truncate(`${id}: "${field}": ${jsonText(raw)}`);
    const push = (attribute: Observation['attribute'], value: Value, qualifiers: Quals, path: string, field: string, raw: unknown): void => {
      observations.push({ model, ...(creator ? { creator } : {}), attribute, value, qualifiers, locator: `${at}${path}`, excerpt: ex(field, raw) });
    };
    const problem = (path: string, message: string, field: string, raw: unknown): void => {
      problems.push({ locator: `${at}${path}`, message, excerpt: ex(field, raw) });
    };

    const pricing = entry.pricing;
    if (pricing && typeof pricing === 'object' && !Array.isArray(pricing)) {
      const read = readOpenRouterPricing(pricing as Record<string, unknown>, { route: ROUTE, ...(tier ? { tier } : {}) });
      for (const p of read.prices) push('price', { kind: 'money', usd: p.usd, ...(p.floatArtifact ? { floatArtifact: p.floatArtifact } : {}) }, p.qualifiers, `.pricing.${p.field}`, p.field, p.raw);
      for (const p of read.problems) problem(`.pricing.${p.field}`, p.message, p.field, p.raw);
    } else {
      problem('.pricing', 'no pricing object', 'pricing', pricing);
    }
    push('provider_model_id', { kind: 'text', text: id }, { route: ROUTE, ...(tier ? { tier } : {}) }, '.id', 'id', id);

    // Model facts come from the base listing; a variant speaks for them only when it is alone.
    if (variant && ids.has(model)) return;
    const ctx = tokenLimit(entry.context_length);
    if (ctx === 'invalid') problem('.context_length', 'not a token count', 'context_length', entry.context_length);
    else if (ctx) push('context_window', ctx, {}, '.context_length', 'context_length', entry.context_length);
    const top = entry.top_provider as Record<string, unknown> | null | undefined;
    const maxOut = tokenLimit(top?.max_completion_tokens);
    if (maxOut === 'invalid') problem('.top_provider.max_completion_tokens', 'not a token count', 'max_completion_tokens', top?.max_completion_tokens);
    else if (maxOut) push('max_output_tokens', maxOut, {}, '.top_provider.max_completion_tokens', 'max_completion_tokens', top?.max_completion_tokens);
    const arch = entry.architecture as Record<string, unknown> | null | undefined;
    for (const [field, attribute] of [
      ['input_modalities', 'input_modalities'],
      ['output_modalities', 'output_modalities'],
    ] as const) {
      const raw = arch?.[field];
      if (raw === undefined) continue;
      const items = stringList(raw);
      if (items) push(attribute, { kind: 'list', items }, {}, `.architecture.${field}`, field, raw);
      else problem(`.architecture.${field}`, 'not a list of modalities', field, raw);
    }
    // `created` is the date the model was added to OpenRouter, not its release: not read.
  });
  if (valid === 0) throw new LayoutError(SOURCE_ID, page.url, 'model entries with an id');
  return { observations, problems };
}

export const openrouterApi = {
  id: SOURCE_ID,
  description: "OpenRouter's model list API: per-token prices on the openrouter route, context length, modalities",
  kind: 'catalog',
  fetchMode: 'http',
  hosts: ['openrouter.ai'],
  version: '2',
  authority: 'gateway',
  ownRoute: ROUTE,
  requiredAttributes: ['price'],
  pages: [PAGE_URL],
  extract: extractOpenRouter,
} satisfies SourceModule;
