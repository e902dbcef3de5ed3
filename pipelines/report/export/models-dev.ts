/**
 * `--format models-dev`: the shape of models.dev's api.json — providers keyed
 * by id (a modelfacts route), each with models keyed by the id that provider
 * uses (the slug on the creator's own route, else `creator/slug`), `cost` in
 * USD per 1M tokens, `limit`, `modalities`, `release_date`. What that shape
 * cannot hold (per-image and tiered prices, date precision, status,
 * confidence, sources) goes under each model's `modelfacts` key, which
 * models.dev consumers ignore.
 */
import {
  byModel,
  countOf,
  countUnchosen,
  creatorOf,
  dateOf,
  jsonNumber,
  listOf,
  modelValue,
  routesOf,
  slugOf,
  textOf,
  toJsonText,
  mainTokenPrices,
  type ExportFact,
  type ExportResult,
} from './common.js';
import { sourcesOf } from '../../store/rows.js';
import { qualifiersKey } from '../../../schema/qualifiers.js';

const COST_KEYS = { input: 'input', output: 'output', cache_read: 'cache_read', cache_write: 'cache_write' } as const;

function modelEntry(id: string, route: string, facts: ExportFact[], routeFacts: ExportFact[], withProvenance: boolean) {
  const key = route === creatorOf(id) ? slugOf(id) : id;
  const cost = Object.fromEntries(Object.entries(mainTokenPrices(routeFacts, route)).map(([d, usd]) => [COST_KEYS[d as keyof typeof COST_KEYS], jsonNumber(usd)]));
  const release = modelValue(facts, 'release_date');
  const input = listOf(modelValue(facts, 'input_modalities'));
  const output = listOf(modelValue(facts, 'output_modalities'));
  const context = countOf(modelValue(facts, 'context_window'));
  const maxOut = countOf(modelValue(facts, 'max_output_tokens'));
  const openness = textOf(modelValue(facts, 'openness'));
  const extra = routeFacts
    .filter((f) => f.chosen !== undefined)
    .map((f) => ({
      key: qualifiersKey(f.qualifiers),
      ...(f.chosen?.kind === 'money' ? { usd: f.chosen.usd } : { value: f.chosen }),
      status: f.status,
      confidence: f.confidence,
      sources: withProvenance ? f.candidates.map((c) => c.provenance) : sourcesOf(f),
    }));
  return [
    key,
    {
      id: key,
      name: slugOf(id),
      ...(release?.kind === 'date' ? { release_date: dateOf(release) } : {}),
      ...(openness ? { open_weights: openness === 'open weights' } : {}),
      modalities: { input: input ?? ['text'], output: output ?? ['text'] },
      ...(Object.keys(cost).length ? { cost } : {}),
      // models.dev writes 0 where a limit does not apply (an image model's context)
      limit: { context: context ?? 0, output: maxOut ?? 0 },
      modelfacts: {
        modelId: id,
        ...(release?.kind === 'date' ? { releaseDatePrecision: release.precision } : {}),
        prices: extra,
      },
    },
  ] as const;
}

export function buildModelsDev(facts: readonly ExportFact[], week: string, withProvenance: boolean): ExportResult {
  const providers: Record<string, { id: string; name: string; models: Record<string, unknown> }> = {};
  let models = 0;
  for (const [id, list] of byModel(facts)) {
    models += 1;
    for (const route of routesOf(list)) {
      const routeFacts = list.filter((f) => f.qualifiers.route === route);
      const [key, entry] = modelEntry(id, route, list, routeFacts, withProvenance);
      const p = (providers[route] ??= { id: route, name: route, models: {} });
      p.models[key] = entry;
    }
  }
  return {
    text: toJsonText(providers),
    summary: { format: 'models-dev', week, models, omittedUnchosen: countUnchosen(facts), entries: Object.values(providers).reduce((n, p) => n + Object.keys(p.models).length, 0) },
  };
}
