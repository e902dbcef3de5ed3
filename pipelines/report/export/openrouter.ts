/**
 * `--format openrouter`: the `data` list of OpenRouter's `/api/v1/models`
 * for the `openrouter` route — ids `creator/slug`, prices as decimal strings
 * in USD per token (`prompt`, `completion`, `input_cache_read`,
 * `input_cache_write`, per-image `image`), limits and modalities.
 */
import { shift } from '../../../schema/decimal.js';
import { weekStart } from '../../../schema/week.js';
import { byModel, countOf, countUnchosen, dateOf, listOf, modelValue, slugOf, toJsonText, mainTokenPrices, usdOf, type ExportFact, type ExportResult } from './common.js';

const ROUTE = 'openrouter';
const PRICE_KEYS = { input: 'prompt', output: 'completion', cache_read: 'input_cache_read', cache_write: 'input_cache_write' } as const;

export function buildOpenrouter(facts: readonly ExportFact[], week: string): ExportResult {
  const data: unknown[] = [];
  for (const [id, list] of byModel(facts)) {
    const route = list.filter((f) => f.qualifiers.route === ROUTE);
    const tokens = mainTokenPrices(route, ROUTE);
    if (!tokens.input && !tokens.output) continue;
    const pricing: Record<string, string> = { prompt: '0', completion: '0' };
    for (const [d, usd] of Object.entries(tokens)) pricing[PRICE_KEYS[d as keyof typeof PRICE_KEYS]] = shift(usd, -6);
    const image = route.find((f) => f.attribute === 'price' && f.qualifiers.unit === 'per_image' && !f.qualifiers.quality && !f.qualifiers.size && !f.qualifiers.tier);
    const imageUsd = usdOf(image?.chosen);
    if (imageUsd) pricing.image = imageUsd;
    const release = dateOf(modelValue(list, 'release_date'));
    const context = countOf(modelValue(list, 'context_window')) ?? null;
    const input = listOf(modelValue(list, 'input_modalities')) ?? ['text'];
    const output = listOf(modelValue(list, 'output_modalities')) ?? ['text'];
    data.push({
      id,
      canonical_slug: id,
      name: slugOf(id),
      // OpenRouter's `created` is a Unix time; a release date is the closest fact (else the export week)
      created: Math.floor((release ? Date.parse(release.length === 4 ? `${release}-01-01` : release.length === 7 ? `${release}-01` : release) : weekStart(week).getTime()) / 1000),
      description: '',
      context_length: context,
      architecture: { modality: `${input.join('+')}->${output.join('+')}`, input_modalities: input, output_modalities: output, tokenizer: 'Other', instruct_type: null },
      pricing,
      top_provider: { context_length: context, max_completion_tokens: countOf(modelValue(list, 'max_output_tokens')) ?? null, is_moderated: false },
      per_request_limits: null,
      supported_parameters: [],
      default_parameters: {},
      supported_voices: null,
      links: { details: `/api/v1/models/${id}/endpoints` },
    });
  }
  return { text: toJsonText({ data }), summary: { format: 'openrouter', week, models: data.length, omittedUnchosen: countUnchosen(facts), entries: data.length } };
}
