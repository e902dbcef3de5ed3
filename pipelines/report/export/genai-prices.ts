/**
 * `--format genai-prices`: pydantic/genai-prices' data.json (v2: a list of
 * providers, each with models matched by id and prices per million tokens).
 * It is the one consumer format that carries history: a model's prices over
 * the stored weeks become dated prices, each later set under a `start_date`
 * constraint (the Monday of the week it took effect), the first one
 * unconstrained.
 */
import { weekStart } from '../../../schema/week.js';
import { byModel, countUnchosen, creatorOf, jsonNumber, routesOf, slugOf, toJsonText, tokenPrices, mainTokenPrices, type ExportFact, type ExportResult } from './common.js';
import type { LosslessNumber } from 'lossless-json';

type Versioned = ExportFact & { factKey: string; validTo: string | null };
type PriceSet = Record<string, LosslessNumber>;

/** genai-prices price keys for modelfacts' (direction, modality) per 1M tokens. */
const KEYS: Record<'text' | 'image', Record<string, string>> = {
  text: { input: 'input_mtok', output: 'output_mtok', cache_read: 'cache_read_mtok', cache_write: 'cache_write_mtok' },
  image: { input: 'input_image_mtok', output: 'output_image_mtok', cache_read: 'cache_image_read_mtok' },
};

/**
 * genai-prices reads an image-token price as a refinement of the plain one
 * (`output_image_mtok` needs `output_mtok`): the plain keys take the text
 * price or, without one, the image price; image keys are added only beside a
 * text price.
 */
function priceSet(facts: readonly ExportFact[], route: string): PriceSet {
  const out: PriceSet = {};
  const text = tokenPrices(facts, route, 'text');
  for (const [direction, usd] of Object.entries(mainTokenPrices(facts, route))) {
    const key = KEYS.text[direction];
    if (key) out[key] = jsonNumber(usd);
  }
  for (const [direction, usd] of Object.entries(tokenPrices(facts, route, 'image'))) {
    const key = KEYS.image[direction];
    if (key && text[direction as keyof typeof text] !== undefined) out[key] = jsonNumber(usd);
  }
  return out;
}

const sameSet = (a: PriceSet, b: PriceSet) =>
  JSON.stringify(Object.entries(a).map(([k, v]) => [k, v.value])) === JSON.stringify(Object.entries(b).map(([k, v]) => [k, v.value]));

const heldAt = (v: Versioned, week: string) => v.validFrom <= week && (v.validTo === null || week < v.validTo);

/** A regular expression that matches the text exactly (genai-prices reads `api_pattern` as one). */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `versions`: every stored version of the price facts (for the history);
 * `current`: the facts as of the export week; `weeks`: stored weeks up to it.
 */
export function buildGenaiPrices(current: readonly ExportFact[], versions: readonly Versioned[], weeks: readonly string[], week: string): ExportResult {
  const history = byModel(versions.filter((v) => v.attribute === 'price'));
  const providers = new Map<string, { id: string; name: string; api_pattern: string; models: unknown[] }>();
  let models = 0;
  for (const [id, list] of byModel(current)) {
    const context = list.find((f) => f.attribute === 'context_window' && Object.keys(f.qualifiers).length === 0)?.chosen;
    let listed = false;
    for (const route of routesOf(list)) {
      const now = priceSet(list, route);
      if (Object.keys(now).length === 0) continue;
      // the price set each stored week held, kept where it changed
      const dated: { start?: string; prices: PriceSet }[] = [];
      for (const w of weeks) {
        const held = (history.get(id) ?? []).filter((v) => heldAt(v, w));
        const set = priceSet(held, route);
        if (Object.keys(set).length === 0) continue;
        if (dated.length === 0 || !sameSet(dated[dated.length - 1]!.prices, set)) dated.push({ start: w, prices: set });
      }
      if (dated.length === 0 || !sameSet(dated[dated.length - 1]!.prices, now)) dated.push({ start: week, prices: now });
      const slug = route === creatorOf(id) ? slugOf(id) : id;
      const p = providers.get(route) ?? {
        id: route,
        name: route,
        // modelfacts knows routes, not API hosts: select the provider by id (providerId)
        api_pattern: escapeRegExp(`modelfacts-route:${route}`),
        models: [],
      };
      providers.set(route, p);
      p.models.push({
        id: slug,
        name: slug,
        match: { equals: slug },
        ...(context?.kind === 'count' && context.count > 0 ? { context_window: context.count } : {}),
        prices:
          dated.length === 1
            ? dated[0]!.prices
            : dated.map((d, i) =>
                i === 0 ? { prices: d.prices } : { constraint: { start_date: weekStart(d.start!).toISOString().slice(0, 10), type: 'start_date' }, prices: d.prices },
              ),
      });
      listed = true;
    }
    if (listed) models += 1;
  }
  const doc = [...providers.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  return {
    text: toJsonText(doc),
    summary: { format: 'genai-prices', week, models, omittedUnchosen: countUnchosen(current), entries: doc.reduce((n, p) => n + p.models.length, 0) },
  };
}
