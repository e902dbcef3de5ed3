/** Hand-built claims for the reconcile tests (figures from the seed pages, no page text copied). */
import type { Claim } from '../schema/observation.js';
import type { Qualifiers } from '../schema/qualifiers.js';
import type { DateValue, Value } from '../schema/values.js';
import type { SourceInfo } from '../pipelines/reconcile/index.js';

export const SOURCES: Record<string, SourceInfo> = {
  'openai-docs': { authority: 'creator' },
  'vercel-gateway-page': { authority: 'gateway', ownRoute: 'vercel' },
  'vercel-gateway-api': { authority: 'gateway', ownRoute: 'vercel' },
  'llmreference-model': { authority: 'aggregator' },
  'llmreference-route': { authority: 'aggregator' },
  anttisahla: { authority: 'aggregator' },
  'llm-stats': { authority: 'aggregator' },
  'models-dev': { authority: 'aggregator' },
  litellm: { authority: 'aggregator' },
  'openrouter-api': { authority: 'aggregator' },
};

const URLS: Record<string, string> = {
  'openai-docs': 'https://platform.openai.com/docs/models/gpt-image-1-mini',
  'vercel-gateway-page': 'https://vercel.com/ai-gateway/models/gpt-image-1-mini',
  'vercel-gateway-api': 'https://ai-gateway.vercel.sh/v1/models',
  'llmreference-model': 'https://llmreference.com/model/gpt-image-1-mini',
  'llmreference-route': 'https://llmreference.com/model/gpt-image-1-mini/vercel-ai-gateway',
  anttisahla: 'https://anttisahla.com/ai/models/gpt-image-1-mini',
  'llm-stats': 'https://llm-stats.com/models/gpt-image-1-mini',
  'models-dev': 'https://models.dev/api.json',
  litellm: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
  'openrouter-api': 'https://openrouter.ai/api/v1/models',
};

export const MINI = 'openai/gpt-image-1-mini';
export const FETCHED = '2026-04-20T06:00:00.000Z';
export const NOW = '2026-04-21T00:00:00.000Z';

export interface ClaimExtra {
  modelId?: string;
  qualifiers?: Qualifiers;
  via?: string;
  url?: string;
  fetchedAt?: string;
  statedAsOf?: DateValue;
  locator?: string;
}

export function claim(sourceId: string, attribute: Claim['attribute'], value: Value, extra: ClaimExtra = {}): Claim {
  return {
    modelId: extra.modelId ?? MINI,
    attribute,
    qualifiers: extra.qualifiers ?? {},
    value,
    provenance: {
      sourceId,
      url: extra.url ?? URLS[sourceId] ?? `https://${sourceId}.example/models/gpt-image-1-mini`,
      fetchedAt: extra.fetchedAt ?? FETCHED,
      excerpt: `${attribute} as stated by ${sourceId}`,
      locator: extra.locator ?? `${attribute}${extra.via ? `@${extra.via}` : ''}`,
      extractorVersion: '1',
      pageHash: 'a'.repeat(64),
      ...(extra.statedAsOf ? { statedAsOf: extra.statedAsOf } : {}),
      ...(extra.via ? { via: extra.via } : {}),
    },
  };
}

export const day = (date: string, approximate?: boolean): DateValue => ({
  kind: 'date',
  date,
  precision: 'day',
  ...(approximate ? { approximate } : {}),
});
export const month = (date: string): DateValue => ({ kind: 'date', date, precision: 'month' });
export const usd = (amount: string): Value => ({ kind: 'money', usd: amount });
export const perImage = (quality?: Qualifiers['quality'], size?: string, route = 'openai'): Qualifiers => ({
  route,
  unit: 'per_image',
  ...(quality ? { quality } : {}),
  ...(size ? { size } : {}),
});
export const perTokens = (route: string, direction: Qualifiers['direction'], modality?: Qualifiers['modality']): Qualifiers => ({
  route,
  unit: 'per_1m_tokens',
  direction,
  ...(modality ? { modality } : {}),
});

const OPENAI_IMAGE_PRICES: [Qualifiers['quality'], string, string][] = [
  ['low', '1024x1024', '0.005'],
  ['low', '1024x1536', '0.006'],
  ['low', '1536x1024', '0.006'],
  ['medium', '1024x1024', '0.011'],
  ['medium', '1024x1536', '0.015'],
  ['medium', '1536x1024', '0.015'],
  ['high', '1024x1024', '0.036'],
  ['high', '1024x1536', '0.052'],
  ['high', '1536x1024', '0.052'],
];

/** What the five seed pages, OpenAI's docs and models.dev say about gpt-image-1-mini, as normalized claims. */
export function seedClaims(): Claim[] {
  const routePage = { statedAsOf: day('2026-05-22') } as const;
  const antti = { statedAsOf: day('2026-04-04') } as const;
  return [
    // release date
    claim('llmreference-model', 'release_date', day('2025-10-06')),
    claim('llmreference-route', 'release_date', day('2025-10-06'), routePage),
    claim('llm-stats', 'release_date', month('2025-01')),
    claim('anttisahla', 'release_date', day('2025-10-01', true), antti),
    claim('models-dev', 'release_date', day('2025-09-26'), { via: 'openai' }),
    claim('models-dev', 'release_date', day('2025-08-26'), { via: 'poe' }),
    claim('models-dev', 'release_date', day('2025-10-06'), { via: 'vercel' }),
    // per-image prices
    ...OPENAI_IMAGE_PRICES.map(([quality, size, price]) =>
      claim('openai-docs', 'price', usd(price), { qualifiers: perImage(quality, size), locator: `image/${quality}/${size}` }),
    ),
    claim('llmreference-model', 'price', usd('0.005'), { qualifiers: perImage('low', '1024x1024') }),
    claim('llmreference-model', 'price', usd('0.011'), { qualifiers: perImage('medium', '1024x1024') }),
    claim('llmreference-model', 'price', usd('0.036'), { qualifiers: perImage('high', '1024x1024') }),
    claim('anttisahla', 'price', usd('0.004'), { qualifiers: perImage('low'), ...antti }),
    claim('anttisahla', 'price', usd('0.02'), { qualifiers: perImage('medium'), ...antti }),
    claim('anttisahla', 'price', usd('0.07'), { qualifiers: perImage('high'), ...antti }),
    claim('llm-stats', 'price', usd('0.0100'), { qualifiers: perImage() }),
    // token prices: the Vercel route
    claim('vercel-gateway-page', 'price', usd('2.00'), { qualifiers: perTokens('vercel', 'input') }),
    claim('vercel-gateway-page', 'price', usd('8.00'), { qualifiers: perTokens('vercel', 'output') }),
    claim('vercel-gateway-page', 'price', usd('0.20'), { qualifiers: perTokens('vercel', 'cache_read') }),
    claim('llmreference-route', 'price', usd('2.00'), { qualifiers: perTokens('vercel', 'input'), ...routePage }),
    claim('llmreference-route', 'price', usd('8.00'), { qualifiers: perTokens('vercel', 'output'), ...routePage }),
    claim('llmreference-route', 'price', usd('0.20'), { qualifiers: perTokens('vercel', 'cache_read'), ...routePage }),
    // token prices: OpenAI's own API
    claim('openai-docs', 'price', usd('2.00'), { qualifiers: perTokens('openai', 'input', 'text') }),
    claim('openai-docs', 'price', usd('0.20'), { qualifiers: perTokens('openai', 'cache_read', 'text') }),
    claim('openai-docs', 'price', usd('2.50'), { qualifiers: perTokens('openai', 'input', 'image') }),
    claim('openai-docs', 'price', usd('0.25'), { qualifiers: perTokens('openai', 'cache_read', 'image') }),
    claim('openai-docs', 'price', usd('8.00'), { qualifiers: perTokens('openai', 'output', 'image') }),
    // licence
    claim('llmreference-model', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'conditional' }),
    claim('llm-stats', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'non-commercial' }),
    // context window: "0" means not applicable
    claim('anttisahla', 'context_window', { kind: 'not_applicable', stated: '0' }, antti),
    claim('models-dev', 'context_window', { kind: 'count', count: 0 }, { via: 'openai' }),
    claim('vercel-gateway-api', 'context_window', { kind: 'count', count: 0 }),
  ];
}
