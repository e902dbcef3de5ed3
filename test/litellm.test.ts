import { describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { litellm } from '../extractors/litellm.js';
import { catalogPage, catalogSample, observationsOf } from './helpers/catalog.js';

const URL = litellm.pages[0]!;
const SAMPLE = catalogSample('litellm.sample.json');
const page = catalogPage(URL);
const sample = litellm.extract(page(SAMPLE));
const obs = sample.observations;
const of = (model: string, attribute = 'price') => observationsOf(obs, model, attribute);
const priceOf = (model: string, q: Record<string, string>) =>
  of(model).filter((o) => Object.entries(q).every(([k, v]) => (o.qualifiers as Record<string, string>)[k] === v) && Object.keys(o.qualifiers).length === Object.keys(q).length);

describe('litellm extractor on the hand-written sample', () => {
  it('declares a catalog source with the live URL', () => {
    expect(litellm).toMatchObject({ id: 'litellm', kind: 'catalog', fetchMode: 'http', authority: 'aggregator', hosts: ['raw.githubusercontent.com'] });
    expect(URL).toBe('https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json');
  });

  it('emits schema-valid observations with locators and excerpts', () => {
    const o = priceOf('gpt-image-1-mini', { route: 'openai', unit: 'per_token', direction: 'input', modality: 'text' })[0]!;
    expect(o.locator).toBe('$["gpt-image-1-mini"].input_cost_per_token');
    expect(o.excerpt).toBe('gpt-image-1-mini: "input_cost_per_token": 0.000002');
  });

  it('skips sample_spec and reads the copy date as statedAsOf', () => {
    expect(obs.some((o) => o.locator.includes('sample_spec'))).toBe(false);
    expect(sample.statedAsOf).toEqual({ kind: 'date', date: '2026-04-19', precision: 'day' });
  });

  it('every model entry but sample_spec yields observations', () => {
    const keys = Object.keys(JSON.parse(SAMPLE)).filter((k) => k !== 'sample_spec' && k !== 'last_updated');
    for (const key of keys) expect(obs.some((o) => o.locator.startsWith(`$[${JSON.stringify(key)}]`)), key).toBe(true);
    expect(sample.problems).toEqual([]);
  });

  it('reads per-image keys as output prices with quality and size', () => {
    const low = priceOf('gpt-image-1-mini', { route: 'openai', unit: 'per_image', direction: 'output', modality: 'image', quality: 'low', size: '1024x1024' });
    expect(low.map((o) => o.value)).toEqual([{ kind: 'money', usd: '0.005' }]);
    expect(low[0]!.locator).toBe('$["low/1024-x-1024/gpt-image-1-mini"].input_cost_per_image');
    const perImage = of('gpt-image-1-mini').filter((o) => o.qualifiers.unit === 'per_image');
    expect(perImage.map((o) => `${o.qualifiers.quality} ${o.qualifiers.size} ${(o.value as { usd: string }).usd}`).sort()).toEqual([
      'low 1024x1024 0.005',
      'low 1024x1536 0.006',
      'low 1536x1024 0.006',
      'medium 1024x1024 0.011',
      'medium 1024x1536 0.015',
      'medium 1536x1024 0.015',
    ]);
    // a plain image generator's input_cost_per_image is its output price too
    expect(priceOf('dall-e-3', { route: 'openai', unit: 'per_image', direction: 'output', modality: 'image' }).map((o) => o.value)).toEqual([
      { kind: 'money', usd: '0.04' },
    ]);
  });

  it('keeps input_cost_per_image as an input price when the entry also states an output image price', () => {
    expect(priceOf('amazon.titan-image-generator-v2', { route: 'bedrock', unit: 'per_image', direction: 'input', modality: 'image' })[0]!.value).toEqual({ kind: 'money', usd: '0' });
    expect(priceOf('amazon.titan-image-generator-v2', { route: 'bedrock', unit: 'per_image', direction: 'output', modality: 'image' })[0]!.value).toEqual({ kind: 'money', usd: '0.008' });
    expect(priceOf('amazon.titan-image-generator-v2', { route: 'bedrock', unit: 'per_image', direction: 'output', modality: 'image', tier: 'premium' })).toHaveLength(1);
    expect(priceOf('amazon.titan-image-generator-v2', { route: 'bedrock', unit: 'per_image', direction: 'output', modality: 'image', tier: 'above_1024x1024' })).toHaveLength(1);
  });

  it('reads Azure per-pixel keys with their size, dropping the 0 placeholder', () => {
    const px = of('azure/gpt-image-1-mini').filter((o) => o.qualifiers.unit === 'per_pixel');
    expect(px.map((o) => [o.qualifiers.quality, o.qualifiers.size, o.qualifiers.direction, o.value])).toEqual([
      ['low', '1024x1024', 'output', { kind: 'money', usd: '0.0000000020751953125' }],
      ['high', '1024x1024', 'output', { kind: 'money', usd: '0.00000003173828125' }],
    ]);
    expect(px.every((o) => o.qualifiers.route === 'azure')).toBe(true);
  });

  it('reads only image prices from variant keys (their token fields are placeholders)', () => {
    const azureDalle = obs.filter((o) => o.locator.startsWith('$["azure/hd/1024-x-1024/dall-e-3"]'));
    expect(azureDalle.map((o) => [o.model, o.qualifiers.unit, o.qualifiers.quality, o.qualifiers.size])).toEqual([['azure/dall-e-3', 'per_pixel', 'hd', '1024x1024']]);
    const canvas = obs.filter((o) => o.locator.startsWith('$["1024-x-1024/50-steps/'));
    expect(canvas.map((o) => [o.model, o.attribute, o.qualifiers.tier, o.qualifiers.size])).toEqual([['bedrock/amazon.nova-canvas-v1:0', 'price', '50-steps', '1024x1024']]);
  });

  it('splits image-token and text-token prices by modality', () => {
    const m = (q: Record<string, string>) => priceOf('gpt-image-1-mini', { route: 'openai', unit: 'per_token', ...q }).map((o) => (o.value as { usd: string }).usd);
    expect(m({ direction: 'input', modality: 'text' })).toEqual(['0.000002']);
    expect(m({ direction: 'cache_read', modality: 'text' })).toEqual(['0.0000002']);
    expect(m({ direction: 'input', modality: 'image' })).toEqual(['0.0000025']);
    expect(m({ direction: 'cache_read', modality: 'image' })).toEqual(['0.00000025']);
    expect(m({ direction: 'output', modality: 'image' })).toEqual(['0.000008']);
    // a chat model without modality-specific prices states plain token prices
    expect(priceOf('gpt-4o', { route: 'openai', unit: 'per_token', direction: 'input' }).map((o) => o.value)).toEqual([{ kind: 'money', usd: '0.0000025' }]);
  });

  it('emits the decimal text of the float, per token, never float arithmetic', () => {
    expect(priceOf('claude-sonnet-4-5', { route: 'anthropic', unit: 'per_token', direction: 'cache_read' })[0]!.value).toEqual({ kind: 'money', usd: '0.0000003' });
    expect(priceOf('deepseek/deepseek-chat', { route: 'deepseek', unit: 'per_token', direction: 'input' })[0]!.value).toEqual({ kind: 'money', usd: '0.00000028' });
  });

  it('reads cache write, batch, priority, long-context and cache-TTL tiers', () => {
    const tiers = (model: string) => of(model).map((o) => `${o.qualifiers.direction}:${o.qualifiers.tier ?? '-'}:${(o.value as { usd: string }).usd}`).sort();
    expect(tiers('gpt-4o')).toEqual([
      'cache_read:-:0.00000125',
      'input:-:0.0000025',
      'input:batch:0.00000125',
      'input:priority:0.00000425',
      'output:-:0.00001',
      'output:batch:0.000005',
    ]);
    expect(tiers('claude-sonnet-4-5')).toEqual([
      'cache_read:-:0.0000003',
      'cache_write:-:0.00000375',
      'cache_write:ttl_1h:0.000006',
      'input:-:0.000003',
      'input:above_200k:0.000006',
      'input:web_search_high:0.01',
      'input:web_search_low:0.01',
      'input:web_search_medium:0.01',
      'output:-:0.000015',
      'output:above_200k:0.0000225',
    ]);
  });

  it('reads tiered_pricing bands: the band from 0 is the base price', () => {
    const q = of('dashscope/qwen-flash').map((o) => `${o.qualifiers.direction}:${o.qualifiers.tier ?? '-'}:${(o.value as { usd: string }).usd}`);
    expect(q.sort()).toEqual(['input:-:0.00000005', 'input:above_256k:0.00000025', 'output:-:0.0000004', 'output:above_256k:0.000002']);
  });

  it('turns region path segments and Bedrock geo profiles into tiers', () => {
    const eu = of('azure/gpt-4o-2024-08-06');
    expect(eu.length).toBeGreaterThan(0);
    expect(eu.every((o) => o.qualifiers.tier === 'eu' && o.qualifiers.route === 'azure')).toBe(true);
    const us = of('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(us.every((o) => o.qualifiers.tier === 'us' && o.qualifiers.route === 'bedrock_converse')).toBe(true);
  });

  it('reads DeepSeek cache_hit only when no cache_read field says the same', () => {
    expect(priceOf('deepseek/deepseek-chat', { route: 'deepseek', unit: 'per_token', direction: 'cache_read' })).toHaveLength(1);
    expect(priceOf('deepseek/deepseek-chat', { route: 'deepseek', unit: 'per_token', direction: 'cache_write' })[0]!.value).toEqual({ kind: 'money', usd: '0' });
  });

  it('keeps real zeros (free models) and converts per-character to per 1k characters exactly', () => {
    expect(priceOf('gemini/gemma-3-27b-it', { route: 'gemini', unit: 'per_token', direction: 'input' })[0]!.value).toEqual({ kind: 'money', usd: '0' });
    expect(priceOf('tts-1', { route: 'openai', unit: 'per_1k_characters', direction: 'input' })[0]!.value).toEqual({ kind: 'money', usd: '0.015' });
    expect(priceOf('whisper-1', { route: 'openai', unit: 'per_second', direction: 'input', modality: 'audio' })[0]!.value).toEqual({ kind: 'money', usd: '0.0001' });
  });

  it('reads limits: 0 is "not applicable"; the legacy max_tokens is not read', () => {
    expect(of('gpt-4o', 'context_window').map((o) => o.value)).toEqual([{ kind: 'count', count: 128000 }]);
    expect(of('gpt-4o', 'max_output_tokens').map((o) => o.value)).toEqual([{ kind: 'count', count: 16384 }]);
    expect(of('omni-moderation-latest', 'max_output_tokens').map((o) => o.value)).toEqual([{ kind: 'not_applicable', stated: '0' }]);
    expect(obs.some((o) => o.locator.endsWith('.max_tokens'))).toBe(false);
  });

  it('reads modalities when stated, the route and the listing id', () => {
    expect(of('gpt-4o', 'input_modalities')[0]!.value).toEqual({ kind: 'list', items: ['image', 'text'] });
    expect(of('gpt-4o', 'output_modalities')[0]!.value).toEqual({ kind: 'list', items: ['text'] });
    expect(of('gpt-image-1-mini', 'input_modalities')).toEqual([]);
    expect(of('vertex_ai/imagen-4.0-fast-generate-001', 'provider_model_id')[0]).toMatchObject({
      value: { kind: 'text', text: 'imagen-4.0-fast-generate-001' },
      qualifiers: { route: 'vertex_ai-image-models' },
    });
    expect(of('together_ai/Qwen/Qwen2.5-7B-Instruct-Turbo', 'provider_model_id')[0]!.value).toEqual({ kind: 'text', text: 'Qwen/Qwen2.5-7B-Instruct-Turbo' });
    expect(obs.every((o) => o.creator === undefined)).toBe(true);
  });

  it('reports unknown cost fields and bad values instead of dropping them', () => {
    const r = litellm.extract(
      page(JSON.stringify({
        'x-model': { litellm_provider: 'openai', mode: 'chat', input_cost_per_token: 1e-6, input_cost_per_token_turbo: 2e-6, teleport_cost_per_hop: 1, output_cost_per_token: 'free', max_input_tokens: 'lots' },
      })),
    );
    expect(r.problems!.map((p) => [p.locator, p.message])).toEqual([
      ['$["x-model"].input_cost_per_token_turbo', 'unrecognised price qualifier "_turbo"'],
      ['$["x-model"].teleport_cost_per_hop', 'unrecognised price field'],
      ['$["x-model"].output_cost_per_token', 'price is not a non-negative number'],
      ['$["x-model"].max_input_tokens', 'not a token count'],
    ]);
    expect(r.observations.filter((o) => o.attribute === 'price').map((o) => o.value)).toEqual([{ kind: 'money', usd: '0.000001' }]);
  });

  it('throws LayoutError when the document is not the price map', () => {
    expect(() => litellm.extract(page('<html>rate limited</html>'))).toThrow(LayoutError);
    expect(() => litellm.extract(page('[]'))).toThrow(LayoutError);
    expect(() => litellm.extract(page(JSON.stringify({ sample_spec: {} })))).toThrow(/missing model entries/);
  });
});
