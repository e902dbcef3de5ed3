/**
 * Vercel AI Gateway's public model API (ai-gateway.vercel.sh).
 *
 * Two response shapes, told apart by the URL:
 * - `GET /v1/models` → `{"object":"list","data":[...]}`: the gateway's own prices (route vercel),
 *   strings in USD per token (`input`, `output`, `input_cache_read`, `input_cache_write`);
 *   image models price per generated image (`image`) or per size/quality
 *   (`image_dimension_quality_pricing: [{size, quality?, cost}]`); `input_tiers`/`output_tiers`
 *   bands (`{cost, min, max?}`: the band from 0 is the base price, later ones `above_<min>`);
 *   `regional: {us: {...}}` surcharges (tier = region); `web_search` per search.
 *   `released` (Unix seconds) is the release date; `created` (added to the gateway) is not read.
 *   `context_window` / `max_tokens` of 0 (image models) mean "not applicable".
 *   The index step discovers `/v1/models/{creator}/{model}/endpoints` from the same list.
 * - `GET /v1/models/{creator}/{model}/endpoints` → `{"data":{..., "endpoints":[...]}}`: one entry per
 *   upstream provider the gateway routes to, with OpenRouter-style pricing (`prompt`,
 *   `completion`, "0" = not charged for the optional fields). These are the providers' prices
 *   behind the gateway: route = `provider_name`, plus that provider's context and output limits.
 */
import type { Observation } from '../schema/observation.js';
import type { Direction } from '../schema/qualifiers.js';
import type { MoneyValue, Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { jsonText, modelList, numberText, parseJsonPage, statedMoney } from './json.js';
import { readOpenRouterPricing } from './openrouter-api.js';
import { ParseError, dateFromUnix, parseQuality, parseSize, shortCount, stringList, isRecord, tokenLimit, truncate } from './parse.js';

const SOURCE_ID = 'vercel-gateway-api';
const HOST = 'ai-gateway.vercel.sh';
const MODELS_URL = `https://${HOST}/v1/models`;
const ROUTE = 'vercel';

type Quals = Observation['qualifiers'];
type Problem = NonNullable<Extraction['problems']>[number];
type Obj = Record<string, unknown>;

/** Per-token price fields of `/v1/models` pricing (and of its `regional` blocks). */
const TOKEN_FIELDS: Record<string, Direction> = {
  input: 'input',
  output: 'output',
  input_cache_read: 'cache_read',
  input_cache_write: 'cache_write',
};

const TIER_FIELDS: Record<string, Direction> = {
  input_tiers: 'input',
  output_tiers: 'output',
  input_cache_read_tiers: 'cache_read',
  input_cache_write_tiers: 'cache_write',
};

const ENDPOINTS_PATH = /^\/v1\/models\/([^/]+)\/([^/]+)\/endpoints\/?$/;

function money(raw: unknown): MoneyValue | undefined {
  const text = numberText(raw);
  if (text === undefined) return undefined;
  const m = statedMoney(text);
  return m.usd.startsWith('-') ? undefined : m;
}

class Out {
  readonly observations: Observation[] = [];
  readonly problems: Problem[] = [];
}

function extractModels(page: Page, doc: unknown): Extraction {
  const models = modelList(doc);
  if (!models) throw new LayoutError(SOURCE_ID, page.url, 'the data array of models');
  const root = Array.isArray(doc) ? '$' : '$.data';
  const out = new Out();
  let valid = 0;
  models.forEach((m, i) => {
    const at = `${root}[${i}]`;
    if (!isRecord(m) || typeof m.id !== 'string') {
      out.problems.push({ locator: at, message: 'model entry without an id', excerpt: JSON.stringify(m)?.slice(0, 200) || 'null' });
      return;
    }
    valid++;
    const id = m.id;
    const creator = typeof m.owned_by === 'string' && m.owned_by !== '' ? m.owned_by : undefined;
    const ex = (field: string, raw: unknown): string => truncate(`${id}: "${field}": ${jsonText(raw)}`);
    const push = (attribute: Observation['attribute'], value: Value, qualifiers: Quals, path: string, field: string, raw: unknown): void => {
      out.observations.push({ model: id, ...(creator ? { creator } : {}), attribute, value, qualifiers, locator: `${at}${path}`, excerpt: ex(field, raw) });
    };
    const problem = (path: string, message: string, field: string, raw: unknown): void => {
      out.problems.push({ locator: `${at}${path}`, message, excerpt: ex(field, raw) });
    };
    const price = (usdRaw: unknown, q: Omit<Quals, 'route'>, path: string, field: string): void => {
      const value = money(usdRaw);
      if (value === undefined) return problem(path, 'price is not a non-negative decimal', field, usdRaw);
      push('price', value, { route: ROUTE, ...q }, path, field, usdRaw);
    };

    push('provider_model_id', { kind: 'text', text: id }, { route: ROUTE }, '.id', 'id', id);

    if (m.released !== undefined && m.released !== null) {
      try {
        push('release_date', dateFromUnix(Number(m.released)), {}, '.released', 'released', m.released);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        problem('.released', e.message, 'released', m.released);
      }
    }
    for (const [field, attribute] of [
      ['context_window', 'context_window'],
      ['max_tokens', 'max_output_tokens'],
    ] as const) {
      const v = tokenLimit(m[field]);
      if (v === 'invalid') problem(`.${field}`, 'not a token count', field, m[field]);
      else if (v) push(attribute, v, {}, `.${field}`, field, m[field]);
    }
    if (isRecord(m.modalities)) {
      for (const [field, attribute] of [
        ['input', 'input_modalities'],
        ['output', 'output_modalities'],
      ] as const) {
        const raw = m.modalities[field];
        if (raw === undefined) continue;
        const items = stringList(raw);
        if (items) push(attribute, { kind: 'list', items }, {}, `.modalities.${field}`, `modalities.${field}`, raw);
        else problem(`.modalities.${field}`, 'not a list of modalities', field, raw);
      }
    }

    const pricing = m.pricing;
    if (pricing === undefined) return;
    if (!isRecord(pricing)) return problem('.pricing', 'pricing is not an object', 'pricing', pricing);
    const tokenPrices = (block: Obj, path: string, tier?: string): void => {
      for (const [field, direction] of Object.entries(TOKEN_FIELDS)) {
        if (block[field] === undefined) continue;
        price(block[field], { unit: 'per_token', direction, ...(tier ? { tier } : {}) }, `${path}.${field}`, field);
      }
    };
    tokenPrices(pricing, '.pricing');
    for (const [field, raw] of Object.entries(pricing)) {
      const path = `.pricing.${field}`;
      if (field in TOKEN_FIELDS) continue;
      if (field === 'image') {
        price(raw, { unit: 'per_image', direction: 'output', modality: 'image' }, path, field);
      } else if (field === 'web_search') {
        price(raw, { unit: 'per_request', direction: 'input', tier: 'web_search' }, path, field);
      } else if (field === 'image_dimension_quality_pricing') {
        if (!Array.isArray(raw)) {
          problem(path, 'not a list of image prices', field, raw);
          continue;
        }
        raw.forEach((item: unknown, j) => {
          const p = `${path}[${j}]`;
          if (!isRecord(item)) return problem(p, 'not an image price', field, item);
          const extra = Object.keys(item).filter((k) => !['size', 'quality', 'cost'].includes(k));
          if (extra.length) return problem(p, `image price by ${extra.join(', ')}: no such qualifier`, field, item);
          let size: string | undefined;
          let quality: ReturnType<typeof parseQuality> | undefined;
          try {
            if (item.size !== undefined) size = parseSize(String(item.size));
            if (item.quality !== undefined) quality = parseQuality(String(item.quality));
          } catch (e) {
            if (!(e instanceof ParseError)) throw e;
            return problem(p, e.message, field, item);
          }
          return price(item.cost, { unit: 'per_image', direction: 'output', modality: 'image', ...(quality ? { quality } : {}), ...(size ? { size } : {}) }, `${p}.cost`, field);
        });
      } else if (field in TIER_FIELDS) {
        if (!Array.isArray(raw)) {
          problem(path, 'not a list of price bands', field, raw);
          continue;
        }
        raw.forEach((band: unknown, j) => {
          const p = `${path}[${j}]`;
          if (!isRecord(band) || typeof band.min !== 'number') return problem(p, 'price band without a min', field, band);
          if (band.min === 0) return undefined; // the base band repeats the flat price
          return price(band.cost, { unit: 'per_token', direction: TIER_FIELDS[field]!, tier: `above_${shortCount(band.min)}` }, `${p}.cost`, field);
        });
      } else if (field === 'regional') {
        if (!isRecord(raw)) {
          problem(path, 'regional pricing is not an object', field, raw);
          continue;
        }
        for (const [region, block] of Object.entries(raw)) {
          if (isRecord(block) && /^[a-z0-9-]+$/.test(region)) tokenPrices(block, `${path}.${region}`, region);
          else problem(`${path}.${region}`, 'not a regional price block', field, block);
        }
      } else {
        problem(path, 'price field without a known meaning or unit', field, raw);
      }
    }
  });
  if (valid === 0) throw new LayoutError(SOURCE_ID, page.url, 'model entries with an id');
  return { observations: out.observations, problems: out.problems };
}

function extractEndpoints(page: Page, doc: unknown): Extraction {
  const data = isRecord(doc) ? doc.data : undefined;
  if (!isRecord(data) || !Array.isArray(data.endpoints)) throw new LayoutError(SOURCE_ID, page.url, 'data.endpoints list');
  const model = typeof data.id === 'string' ? data.id : undefined;
  if (!model) throw new LayoutError(SOURCE_ID, page.url, 'data.id');
  const creator = model.includes('/') ? model.slice(0, model.indexOf('/')) : undefined;
  const out = new Out();
  data.endpoints.forEach((e: unknown, i) => {
    const at = `$.data.endpoints[${i}]`;
    if (!isRecord(e) || typeof e.provider_name !== 'string' || e.provider_name === '') {
      out.problems.push({ locator: at, message: 'endpoint without a provider_name', excerpt: JSON.stringify(e)?.slice(0, 200) || 'null' });
      return;
    }
    const route = e.provider_name;
    const ex = (field: string, raw: unknown): string => truncate(`${model} via ${route}: "${field}": ${jsonText(raw)}`);
    const push = (attribute: Observation['attribute'], value: Value, qualifiers: Quals, path: string, field: string, raw: unknown): void => {
      out.observations.push({ model, ...(creator ? { creator } : {}), attribute, value, qualifiers, locator: `${at}${path}`, excerpt: ex(field, raw) });
    };
    if (isRecord(e.pricing)) {
      const read = readOpenRouterPricing(e.pricing, { route });
      for (const p of read.prices) push('price', { kind: 'money', usd: p.usd }, p.qualifiers, `.pricing.${p.field}`, p.field, p.raw);
      for (const p of read.problems) out.problems.push({ locator: `${at}.pricing.${p.field}`, message: p.message, excerpt: ex(p.field, p.raw) });
    } else {
      out.problems.push({ locator: `${at}.pricing`, message: 'no pricing object', excerpt: ex('pricing', e.pricing) });
    }
    for (const [field, attribute] of [
      ['context_length', 'context_window'],
      ['max_completion_tokens', 'max_output_tokens'],
    ] as const) {
      const v = tokenLimit(e[field]);
      if (v === 'invalid') out.problems.push({ locator: `${at}.${field}`, message: 'not a token count', excerpt: ex(field, e[field]) });
      else if (v) push(attribute, v, { route }, `.${field}`, field, e[field]);
    }
  });
  return { observations: out.observations, problems: out.problems };
}

function extract(page: Page): Extraction {
  const doc = parseJsonPage(SOURCE_ID, page);
  const path = new URL(page.url).pathname;
  if (ENDPOINTS_PATH.test(path)) return extractEndpoints(page, doc);
  return extractModels(page, doc);
}

/** `/v1/models` → one `/v1/models/{creator}/{model}/endpoints` URL per listed model. */
function discover(page: Page): string[] {
  const models = modelList(parseJsonPage(SOURCE_ID, page));
  if (!models) throw new LayoutError(SOURCE_ID, page.url, 'the data array of models');
  const urls: string[] = [];
  for (const m of models) {
    if (!isRecord(m) || typeof m.id !== 'string') continue;
    const parts = m.id.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) continue;
    urls.push(`https://${HOST}/v1/models/${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}/endpoints`);
  }
  return [...new Set(urls)];
}

export const vercelGatewayApi = {
  id: SOURCE_ID,
  description: "Vercel AI Gateway's model API: the gateway's own prices and release dates, and each upstream provider's prices behind it",
  kind: 'catalog',
  fetchMode: 'http',
  hosts: [HOST],
  version: '2',
  authority: 'gateway',
  ownRoute: ROUTE,
  requiredAttributes: ['price'],
  pages: [MODELS_URL],
  index: { urls: [MODELS_URL], discover },
  extract,
} satisfies SourceModule;
