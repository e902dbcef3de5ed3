import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LayoutError, type Page } from '../extractors/contract.js';
import { vercelGatewayApi } from '../extractors/vercel-gateway-api.js';
import { Observation } from '../schema/observation.js';

const MODELS_URL = 'https://ai-gateway.vercel.sh/v1/models';
const fixture = (rel: string) => readFileSync(new URL(`../fixtures/${rel}`, import.meta.url), 'utf8');
const page = (url: string, body: string): Page => ({ url, body, contentType: 'application/json', fetchedAt: '2026-04-20T06:00:00Z' });
const list = vercelGatewayApi.extract(page(MODELS_URL, fixture('catalogs/vercel-models.sample.json')));
const of = (model: string, attribute: string) => list.observations.filter((o) => o.model === model && o.attribute === attribute);
const prices = (obs: Observation[]) =>
  obs
    .filter((o) => o.attribute === 'price')
    .map((o) => {
      const q = o.qualifiers;
      return `${q.route}:${q.direction}:${q.unit}:${q.modality ?? '-'}:${q.quality ?? '-'}:${q.size ?? '-'}:${q.tier ?? '-'}:${(o.value as { usd: string }).usd}`;
    })
    .sort();

describe('vercel-gateway-api: /v1/models', () => {
  it('declares the gateway source for the vercel route, with discovery from the same list', () => {
    expect(vercelGatewayApi).toMatchObject({
      id: 'vercel-gateway-api',
      kind: 'catalog',
      fetchMode: 'http',
      authority: 'gateway',
      ownRoute: 'vercel',
      hosts: ['ai-gateway.vercel.sh'],
      pages: [MODELS_URL],
    });
    expect(vercelGatewayApi.index!.urls).toEqual([MODELS_URL]);
  });

  it('emits schema-valid observations with the owner as creator', () => {
    expect(list.problems).toEqual([]);
    expect(of('openai/gpt-image-1-mini', 'price')[0]).toMatchObject({
      creator: 'openai',
      locator: '$.data[0].pricing.input',
      excerpt: 'openai/gpt-image-1-mini: "input": "0.000002"',
    });
  });

  it('reads gpt-image-1-mini: token prices on the vercel route, context 0 = not applicable', () => {
    expect(prices(of('openai/gpt-image-1-mini', 'price'))).toEqual([
      'vercel:cache_read:per_token:-:-:-:-:0.0000002',
      'vercel:input:per_token:-:-:-:-:0.000002',
      'vercel:output:per_token:-:-:-:-:0.000008',
    ]);
    expect(of('openai/gpt-image-1-mini', 'context_window')[0]!.value).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(of('openai/gpt-image-1-mini', 'max_output_tokens')[0]!.value).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(of('openai/gpt-image-1-mini', 'output_modalities')[0]!.value).toEqual({ kind: 'list', items: ['image'] });
  });

  it('reads `released` as the release date and ignores `created`', () => {
    expect(of('openai/gpt-image-1-mini', 'release_date').map((o) => [o.value, o.locator])).toEqual([
      [{ kind: 'date', date: '2025-10-06', precision: 'day' }, '$.data[0].released'],
    ]);
    expect(list.observations.some((o) => o.locator.endsWith('.created'))).toBe(false);
  });

  it('reads per-image prices by size and quality, and flat per-image prices', () => {
    const gptImage1 = prices(of('openai/gpt-image-1', 'price'));
    expect(gptImage1).toContain('vercel:output:per_image:image:high:1024x1024:-:0.167');
    expect(gptImage1).toContain('vercel:output:per_image:image:low:1536x1024:-:0.016');
    expect(gptImage1.filter((p) => p.includes('per_image'))).toHaveLength(9);
    expect(prices(of('openai/dall-e-3', 'price'))).toEqual([
      'vercel:output:per_image:image:hd:1024x1024:-:0.08',
      'vercel:output:per_image:image:hd:1792x1024:-:0.12',
      'vercel:output:per_image:image:standard:1024x1024:-:0.04',
      'vercel:output:per_image:image:standard:1024x1792:-:0.08',
    ]);
    expect(prices(of('google/imagen-4.0-fast-generate-001', 'price'))).toEqual(['vercel:output:per_image:image:-:-:-:0.02']);
  });

  it('reads cache write, long-context bands, web search and regional prices as tiers', () => {
    expect(prices(of('anthropic/claude-sonnet-4.5', 'price'))).toEqual([
      'vercel:cache_read:per_token:-:-:-:-:0.0000003',
      'vercel:cache_write:per_token:-:-:-:-:0.00000375',
      'vercel:input:per_request:-:-:-:web_search:0.01',
      'vercel:input:per_token:-:-:-:-:0.000003',
      'vercel:input:per_token:-:-:-:above_200k:0.000006',
      'vercel:input:per_token:-:-:-:eu:0.0000033',
      'vercel:output:per_token:-:-:-:-:0.000015',
      'vercel:output:per_token:-:-:-:above_200k:0.0000225',
      'vercel:output:per_token:-:-:-:eu:0.0000165',
    ]);
  });

  it('reports image prices by qualifiers we do not have, and unknown price fields', () => {
    const r = vercelGatewayApi.extract(
      page(
        MODELS_URL,
        JSON.stringify({
          data: [
            {
              id: 'x/img',
              type: 'image',
              pricing: {
                image_dimension_quality_pricing: [{ size: '4K', cost: '0.24' }, { style: 'vector', cost: '0.08' }, { size: '1024x1024', cost: '0.04' }],
                video_duration_pricing: [{ resolution: '720p', cost_per_second: '0.1' }],
                input: 'n/a',
              },
            },
          ],
        }),
      ),
    );
    expect(r.problems!.map((p) => `${p.locator} ${p.message}`)).toEqual([
      '$.data[0].pricing.input price is not a non-negative decimal',
      '$.data[0].pricing.image_dimension_quality_pricing[0] cannot read an image size from "4K"',
      '$.data[0].pricing.image_dimension_quality_pricing[1] image price by style: no such qualifier',
      '$.data[0].pricing.video_duration_pricing price field without a known meaning or unit',
    ]);
    expect(prices(r.observations)).toEqual(['vercel:output:per_image:image:-:1024x1024:-:0.04']);
  });

  it('discovers one endpoints URL per listed model', () => {
    const urls = vercelGatewayApi.index!.discover(page(MODELS_URL, fixture('catalogs/vercel-models.sample.json')));
    expect(urls).toContain('https://ai-gateway.vercel.sh/v1/models/openai/gpt-image-1-mini/endpoints');
    expect(urls).toContain('https://ai-gateway.vercel.sh/v1/models/google/imagen-4.0-fast-generate-001/endpoints');
    expect(urls).toHaveLength(7);
  });

  it('throws LayoutError on a response that is not a model list', () => {
    expect(() => vercelGatewayApi.extract(page(MODELS_URL, '{"error":{"message":"rate limited"}}'))).toThrow(LayoutError);
    expect(() => vercelGatewayApi.extract(page(MODELS_URL, '<html></html>'))).toThrow(LayoutError);
    expect(() => vercelGatewayApi.index!.discover(page(MODELS_URL, '{}'))).toThrow(LayoutError);
  });
});

describe('vercel-gateway-api: /v1/models/{creator}/{model}/endpoints', () => {
  const url = 'https://ai-gateway.vercel.sh/v1/models/deepseek/deepseek-v3.2/endpoints';
  const r = vercelGatewayApi.extract(page(url, fixture('catalogs/vercel-endpoints/deepseek.deepseek-v3.2.json')));

  it('yields each upstream provider\'s prices as that route, skipping optional "0" fields', () => {
    for (const o of r.observations) expect(Observation.safeParse(o).success).toBe(true);
    expect(r.problems).toEqual([]);
    expect(prices(r.observations)).toEqual([
      'bedrock:input:per_token:-:-:-:-:0.00000062',
      'bedrock:output:per_token:-:-:-:-:0.00000185',
      'deepinfra:cache_read:per_token:-:-:-:-:0.00000013',
      'deepinfra:input:per_token:-:-:-:-:0.00000026',
      'deepinfra:output:per_token:-:-:-:-:0.00000038',
      'deepseek:cache_read:per_token:-:-:-:-:0.000000028',
      'deepseek:input:per_token:-:-:-:-:0.00000028',
      'deepseek:output:per_token:-:-:-:-:0.00000042',
      'novita:cache_read:per_token:-:-:-:-:0.0000001345',
      'novita:input:per_token:-:-:-:-:0.00000028',
      'novita:output:per_token:-:-:-:-:0.00000042',
    ]);
    expect(r.observations.every((o) => o.model === 'deepseek/deepseek-v3.2' && o.creator === 'deepseek')).toBe(true);
  });

  it('reads each provider\'s limits with its route', () => {
    const ctx = r.observations.filter((o) => o.attribute === 'context_window').map((o) => [o.qualifiers.route, o.value]);
    expect(ctx).toEqual([
      ['bedrock', { kind: 'count', count: 128000 }],
      ['deepinfra', { kind: 'count', count: 163842 }],
      ['deepseek', { kind: 'count', count: 128000 }],
      ['novita', { kind: 'count', count: 163840 }],
    ]);
  });

  it('reads gpt-image-1-mini behind the gateway on the openai route', () => {
    const mini = vercelGatewayApi.extract(
      page('https://ai-gateway.vercel.sh/v1/models/openai/gpt-image-1-mini/endpoints', fixture('catalogs/vercel-endpoints/openai.gpt-image-1-mini.json')),
    );
    expect(prices(mini.observations)).toEqual([
      'openai:cache_read:per_token:-:-:-:-:0.0000002',
      'openai:input:per_token:-:-:-:-:0.000002',
      'openai:output:per_token:-:-:-:-:0.000008',
    ]);
  });

  it('throws LayoutError when the endpoints list is missing', () => {
    expect(() => vercelGatewayApi.extract(page(url, '{"data":{"id":"deepseek/deepseek-v3.2"}}'))).toThrow(/data.endpoints/);
    expect(() => vercelGatewayApi.extract(page(url, '{"error":{"type":"model_not_found"}}'))).toThrow(LayoutError);
  });
});

describe('vercel-gateway-api replay pages', () => {
  for (const week of ['2026-W16', '2026-W17']) {
    it(`${week}: the model list and every discovered endpoints page are in the manifest`, () => {
      const manifest = JSON.parse(fixture(`replay/${week}/manifest.json`)) as { entries: { url: string; body: string }[] };
      const byUrl = new Map(manifest.entries.map((e) => [e.url, e.body]));
      const body = byUrl.get(MODELS_URL);
      expect(body).toBe('pages/ai-gateway.vercel.sh/v1/models.json');
      const models = page(MODELS_URL, fixture(`replay/${week}/${body}`));
      const urls = vercelGatewayApi.index!.discover(models);
      for (const u of urls) {
        expect(byUrl.has(u), u).toBe(true);
        const file = `replay/${week}/${byUrl.get(u)}`;
        expect(existsSync(new URL(`../fixtures/${file}`, import.meta.url))).toBe(true);
        expect(() => vercelGatewayApi.extract(page(u, fixture(file)))).not.toThrow();
      }
      const mini = vercelGatewayApi.extract(models).observations.filter((o) => o.model === 'openai/gpt-image-1-mini' && o.attribute === 'price');
      expect(prices(mini)).toEqual([
        'vercel:cache_read:per_token:-:-:-:-:0.0000002',
        'vercel:input:per_token:-:-:-:-:0.000002',
        'vercel:output:per_token:-:-:-:-:0.000008',
      ]);
    });
  }

  it('W17 adds gpt-image-1.5 to the gateway list', () => {
    const ids = (week: string) =>
      (JSON.parse(fixture(`replay/${week}/pages/ai-gateway.vercel.sh/v1/models.json`)) as { data: { id: string }[] }).data.map((m) => m.id);
    expect(ids('2026-W16')).not.toContain('openai/gpt-image-1.5');
    expect(ids('2026-W17')).toContain('openai/gpt-image-1.5');
  });
});
