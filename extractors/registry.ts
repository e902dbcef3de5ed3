/** The registry of sources a run knows: adding a source is one file, one line here and its fixture. */
import type { SourceModule } from './contract.js';
import { anthropicPricing } from './anthropic-pricing.js';
import { anttisahla } from './anttisahla.js';
import { googleGeminiPricing } from './google-gemini-pricing.js';
import { deepseekPricing } from './deepseek-pricing.js';
import { litellm } from './litellm.js';
import { llmStats } from './llm-stats.js';
import { llmreferenceModel } from './llmreference-model.js';
import { llmreferenceRoute } from './llmreference-route.js';
import { mistralPricing } from './mistral-pricing.js';
import { modelsDev } from './models-dev.js';
import { openaiDocs } from './openai-docs.js';
import { openaiPricing } from './openai-pricing.js';
import { openrouterApi } from './openrouter-api.js';
import { vercelGatewayApi } from './vercel-gateway-api.js';
import { xaiPricing } from './xai-pricing.js';
import { vercelGatewayPage } from './vercel-gateway-page.js';
// One line per source: adding a source is one file, one line here, fixtures and a test.

export const SOURCES: readonly SourceModule[] = [
  anttisahla,
  llmStats,
  llmreferenceModel,
  llmreferenceRoute,
  openaiDocs,
  anthropicPricing,
  googleGeminiPricing,
  mistralPricing,
  deepseekPricing,
  xaiPricing,
  openaiPricing,
  vercelGatewayPage,
  litellm,
  openrouterApi,
  modelsDev,
  vercelGatewayApi,
];

export function findSource(id: string): SourceModule | undefined {
  return SOURCES.find((s) => s.id === id);
}
