/**
 * models.dev's catalog, https://models.dev/api.json: providers keyed by id, each
 * with `models` keyed by the provider's model id.
 *
 * Every observation carries `via: <provider id>` — the listing that states it —
 * so that two providers disagreeing on a model's release date become two
 * candidates of one fact (gpt-image-1-mini: openai 2025-09-26, poe 2025-08-26).
 * Prices also carry the provider as their route; model facts carry no route.
 *
 * Quirks handled here:
 * - `cost` is USD per 1M tokens (numbers): input, output, cache_read, cache_write,
 *   reasoning, input_audio, output_audio, and `context_over_200k: {...}` with the same keys
 *   (tier above_200k). Spelling variants seen in the data (`cached_input`, `cache_input`,
 *   `cached_read` → cache_read; `cached_write` → cache_write) are read as such; cost fields
 *   without a stated unit or meaning are reported.
 * - `release_date` is `YYYY-MM-DD` or `YYYY-MM`: kept at that precision.
 *   `last_updated` is when the entry's model was last revised (not a release date and not the
 *   page's freshness); `knowledge` is a training cutoff — neither has an attribute, neither is read.
 * - `limit.context` / `limit.output` of 0 mean "not applicable" (image models).
 * - `extends: { from: "<provider>/<model>", omit: [...] }` (models.dev's TOML inheritance,
 *   present in copies built from the source tree) is resolved against the referenced entry:
 *   the entry's own fields win, `omit` paths are removed. The live api.json ships it resolved.
 * - Bedrock geo profiles (`us.anthropic...`) price a regional offering: their prices get the
 *   geo word as tier.
 */
import { isNegative } from '../schema/decimal.js';
import type { Observation } from '../schema/observation.js';
import type { Direction, Modality } from '../schema/qualifiers.js';
import type { Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { isJsonNumber, jsonText, numberText, parseJsonPage, statedMoney } from './json.js';
import { BEDROCK_GEO, ParseError, parseDate, isRecord, stringList, tokenLimit, truncate } from './parse.js';

const SOURCE_ID = 'models-dev';
const PAGE_URL = 'https://models.dev/api.json';

type Quals = Observation['qualifiers'];
type Problem = NonNullable<Extraction['problems']>[number];
type Obj = Record<string, unknown>;

const COST_FIELDS: Record<string, { direction: Direction; modality?: Modality; tier?: string }> = {
  input: { direction: 'input' },
  output: { direction: 'output' },
  cache_read: { direction: 'cache_read' },
  cache_write: { direction: 'cache_write' },
  reasoning: { direction: 'output', tier: 'reasoning' },
  input_audio: { direction: 'input', modality: 'audio' },
  output_audio: { direction: 'output', modality: 'audio' },
  // spelling variants found in provider files
  cached_input: { direction: 'cache_read' },
  cache_input: { direction: 'cache_read' },
  cached_read: { direction: 'cache_read' },
  cached_write: { direction: 'cache_write' },
};

/** Nested cost bands: `context_over_200k: { input, output, ... }`. */
const COST_BANDS: Record<string, string> = { context_over_200k: 'above_200k' };

function deepMerge(base: Obj, own: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = isRecord(v) && isRecord(out[k]) ? deepMerge(out[k] as Obj, v) : v;
  return out;
}

function omitPath(obj: Obj, path: string): void {
  const keys = path.split('.');
  let cur: unknown = obj;
  for (const k of keys.slice(0, -1)) {
    if (!isRecord(cur)) return;
    // copy on the way down: merged objects may share nested objects with their source
    const next = cur[k];
    if (!isRecord(next)) return;
    cur[k] = { ...next };
    cur = cur[k];
  }
  if (isRecord(cur)) delete cur[keys[keys.length - 1]!];
}

/** Resolves `extends` (one level at a time, cycles refused). */
function resolveModel(doc: Obj, model: Obj, seen: Set<string>): { model: Obj; error?: string } {
  const ext = model.extends;
  if (!isRecord(ext)) return { model };
  const from = typeof ext.from === 'string' ? ext.from : undefined;
  if (!from) return { model, error: 'extends without a "from"' };
  if (seen.has(from)) return { model, error: `extends cycle through ${from}` };
  const slash = from.indexOf('/');
  const target = slash > 0 ? (doc[from.slice(0, slash)] as Obj | undefined)?.models : undefined;
  const parent = isRecord(target) ? target[from.slice(slash + 1)] : undefined;
  if (!isRecord(parent)) return { model, error: `extends an entry that is not listed: ${from}` };
  const resolvedParent = resolveModel(doc, parent, new Set([...seen, from]));
  const { extends: _ext, ...own } = model;
  void _ext;
  const merged = deepMerge(resolvedParent.model, own);
  if (Array.isArray(ext.omit)) for (const p of ext.omit) if (typeof p === 'string') omitPath(merged, p);
  merged.id = model.id;
  return { model: merged, ...(resolvedParent.error ? { error: resolvedParent.error } : {}) };
}

const ISO_DATE = /^\d{4}-\d{2}(?:-\d{2})?$/;

function extractModelsDev(page: Page): Extraction {
  const doc = parseJsonPage(SOURCE_ID, page);
  if (!isRecord(doc)) throw new LayoutError(SOURCE_ID, page.url, 'a JSON object of providers');
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  let listed = 0;

  for (const [providerId, provider] of Object.entries(doc)) {
    if (!isRecord(provider) || !isRecord(provider.models)) continue;
    for (const [modelKey, rawModel] of Object.entries(provider.models)) {
      const at = `$[${JSON.stringify(providerId)}].models[${JSON.stringify(modelKey)}]`;
      const ex = (field: string, raw: unknown): string => truncate(`${providerId}/${modelKey}: "${field}": ${jsonText(raw)}`);
      if (!isRecord(rawModel)) {
        problems.push({ locator: at, message: 'model entry is not an object', excerpt: ex('model', rawModel) });
        continue;
      }
      listed++;
      const resolved = resolveModel(doc, rawModel, new Set([`${providerId}/${modelKey}`]));
      if (resolved.error) problems.push({ locator: `${at}.extends`, message: resolved.error, excerpt: ex('extends', rawModel.extends) });
      const m = resolved.model;
      const model = modelKey;
      const push = (attribute: Observation['attribute'], value: Value, qualifiers: Quals, path: string, field: string, raw: unknown): void => {
        observations.push({ model, attribute, value, qualifiers, locator: `${at}${path}`, excerpt: ex(field, raw), via: providerId });
      };
      const problem = (path: string, message: string, field: string, raw: unknown): void => {
        problems.push({ locator: `${at}${path}`, message, excerpt: ex(field, raw) });
      };

      push('provider_model_id', { kind: 'text', text: modelKey }, { route: providerId }, '', 'id', modelKey);

      if (m.release_date !== undefined) {
        const raw = m.release_date;
        if (typeof raw === 'string' && ISO_DATE.test(raw)) {
          try {
            push('release_date', parseDate(raw), {}, '.release_date', 'release_date', raw);
          } catch (e) {
            if (!(e instanceof ParseError)) throw e;
            problem('.release_date', e.message, 'release_date', raw);
          }
        } else {
          problem('.release_date', 'not a YYYY-MM or YYYY-MM-DD date', 'release_date', raw);
        }
      }
      if (typeof m.family === 'string' && m.family !== '') push('family', { kind: 'text', text: m.family }, {}, '.family', 'family', m.family);
      if (typeof m.open_weights === 'boolean') {
        push('openness', { kind: 'text', text: m.open_weights ? 'open weights' : 'closed weights' }, {}, '.open_weights', 'open_weights', m.open_weights);
      }
      const lim = isRecord(m.limit) ? m.limit : undefined;
      for (const [field, attribute] of [
        ['context', 'context_window'],
        ['output', 'max_output_tokens'],
      ] as const) {
        const v = tokenLimit(lim?.[field]);
        if (v === 'invalid') problem(`.limit.${field}`, 'not a token count', field, lim?.[field]);
        else if (v) push(attribute, v, {}, `.limit.${field}`, `limit.${field}`, lim?.[field]);
      }
      const mods = isRecord(m.modalities) ? m.modalities : undefined;
      for (const [field, attribute] of [
        ['input', 'input_modalities'],
        ['output', 'output_modalities'],
      ] as const) {
        if (mods?.[field] === undefined) continue;
        const items = stringList(mods[field]);
        if (items) push(attribute, { kind: 'list', items }, {}, `.modalities.${field}`, `modalities.${field}`, mods[field]);
        else problem(`.modalities.${field}`, 'not a list of modalities', field, mods[field]);
      }

      if (m.cost !== undefined) {
        if (!isRecord(m.cost)) {
          problem('.cost', 'cost is not an object', 'cost', m.cost);
        } else {
          const geo = BEDROCK_GEO.exec(modelKey)?.[1];
          const costs = (cost: Obj, path: string, bandTier?: string): void => {
            for (const [field, raw] of Object.entries(cost)) {
              if (field in COST_BANDS && isRecord(raw)) {
                costs(raw, `${path}.${field}`, COST_BANDS[field]);
                continue;
              }
              const meaning = COST_FIELDS[field];
              if (!meaning) {
                problem(`${path}.${field}`, 'cost field without a known meaning or unit', field, raw);
                continue;
              }
              const text = isJsonNumber(raw) ? numberText(raw) : undefined;
              if (text === undefined || isNegative(text)) {
                problem(`${path}.${field}`, 'price is not a non-negative number', field, raw);
                continue;
              }
              const tier = [geo, bandTier, meaning.tier].filter(Boolean).join('_') || undefined;
              const q: Quals = {
                route: providerId,
                unit: 'per_1m_tokens',
                direction: meaning.direction,
                ...(meaning.modality ? { modality: meaning.modality } : {}),
                ...(tier ? { tier } : {}),
              };
              push('price', statedMoney(text), q, `${path}.${field}`, `cost.${field}`, raw);
            }
          };
          costs(m.cost, '.cost');
        }
      }
    }
  }
  if (listed === 0) throw new LayoutError(SOURCE_ID, page.url, 'providers with models');
  return { observations, problems };
}

export const modelsDev = {
  id: SOURCE_ID,
  description: 'models.dev: every provider listing of a model, with release dates, limits, modalities and per-1M-token prices',
  kind: 'catalog',
  fetchMode: 'http',
  hosts: ['models.dev'],
  version: '2',
  authority: 'aggregator',
  requiredAttributes: ['release_date'],
  pages: [PAGE_URL],
  extract: extractModelsDev,
} satisfies SourceModule;
