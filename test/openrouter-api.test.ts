import { describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { openrouterApi } from '../extractors/openrouter-api.js';
import { Observation } from '../schema/observation.js';
import { catalogPage, catalogSample, observationsOf } from './helpers/catalog.js';

const URL = openrouterApi.pages[0]!;
const SAMPLE = catalogSample('openrouter-models.sample.json');
const page = catalogPage(URL);
const wrapped = openrouterApi.extract(page(SAMPLE));
const obs = wrapped.observations;
const of = (model: string, attribute = 'price') => observationsOf(obs, model, attribute);
const prices = (model: string) =>
  of(model)
    .map((o) => `${o.qualifiers.direction}:${o.qualifiers.unit}:${o.qualifiers.modality ?? '-'}:${o.qualifiers.tier ?? '-'}:${(o.value as { usd: string }).usd}`)
    .sort();

describe('openrouter-api extractor', () => {
  it('declares the gateway source for the openrouter route', () => {
    expect(openrouterApi).toMatchObject({ id: 'openrouter-api', kind: 'catalog', fetchMode: 'http', authority: 'gateway', ownRoute: 'openrouter' });
    expect(URL).toBe('https://openrouter.ai/api/v1/models');
  });

  it('accepts the live {"data": [...]} response and the bare array of archived copies alike', () => {
    const bare = openrouterApi.extract(page(JSON.stringify(JSON.parse(SAMPLE).data)));
    const strip = (o: Observation) => ({ ...o, locator: o.locator.replace(/^\$\.data/, '$') });
    expect(bare.observations).toEqual(obs.map(strip));
    expect(bare.problems!.map((p) => p.message)).toEqual(wrapped.problems!.map((p) => p.message));
  });

  it('emits schema-valid observations on the openrouter route, named by id with the creator stated', () => {
    expect(obs.filter((o) => o.attribute === 'price').every((o) => o.qualifiers.route === 'openrouter')).toBe(true);
    const o = of('google/gemini-2.5-flash-image')[0]!;
    expect(o).toMatchObject({ creator: 'Google', locator: '$.data[?(@.id=="google/gemini-2.5-flash-image")].pricing.prompt', excerpt: 'google/gemini-2.5-flash-image: "prompt": "0.0000003"' });
    // no "Creator:" prefix in the display name → the id's creator prefix
    expect(of('alpindale/goliath-120b')[0]!.creator).toBe('alpindale');
  });

  it('reads string prices per token, with modality and tier fields', () => {
    expect(prices('google/gemini-2.5-flash-image')).toEqual([
      'cache_read:per_token:-:-:0.00000003',
      'cache_write:per_token:-:-:0.00000008333333333333334',
      'input:per_token:-:-:0.0000003',
      'input:per_token:audio:-:0.000001',
      'input:per_token:image:-:0.0000003',
      'output:per_token:-:-:0.0000025',
      'output:per_token:-:reasoning:0.0000025',
    ]);
    expect(prices('perplexity/sonar-deep-research')).toEqual([
      'input:per_request:-:web_search:0.005',
      'input:per_token:-:-:0.000002',
      'output:per_token:-:-:0.000008',
      'output:per_token:-:reasoning:0.000003',
    ]);
  });

  it('-1 means "decided per request": nothing emitted, a problem noted', () => {
    expect(of('openrouter/auto')).toEqual([]);
    expect(wrapped.problems).toContainEqual({
      locator: '$.data[?(@.id=="openrouter/auto")].pricing.prompt',
      message: 'price is -1: decided per request (variable), not stated',
      excerpt: 'openrouter/auto: "prompt": "-1"',
    });
    // the router's other facts are still read
    expect(of('openrouter/auto', 'context_window')[0]!.value).toEqual({ kind: 'count', count: 2000000 });
  });

  it('"0" is free for prompt/completion and "not charged" for optional fields', () => {
    expect(prices('openai/gpt-4o-2024-08-06')).toEqual([
      'cache_read:per_token:-:-:0.00000125',
      'input:per_token:-:-:0.0000025',
      'output:per_token:-:-:0.00001',
    ]);
    expect(prices('google/gemma-3-27b-it')).toContain('input:per_token:-:free:0');
    expect(prices('google/gemma-3-27b-it')).toContain('output:per_token:-:free:0');
  });

  it('reports an image price too high to be per token instead of guessing its unit', () => {
    expect(wrapped.problems).toContainEqual(expect.objectContaining({ locator: expect.stringMatching(/^\$\.data\[\?\(@\.id==".*"\)\]\.pricing\.image$/), message: expect.stringMatching(/unit not stated/) }));
  });

  it('keys claims by model id, not array position: a model moving in the list keeps its locator', () => {
    const data = JSON.parse(SAMPLE).data as unknown[];
    const moved = openrouterApi.extract(page(JSON.stringify({ data: [...data].reverse() })));
    const locs = (os: readonly Observation[]) => os.map((o) => `${o.locator} ${JSON.stringify(o.value)}`).sort();
    expect(locs(moved.observations)).toEqual(locs(obs));
  });

  it('never reads `created` (date added to OpenRouter) as a release date', () => {
    expect(obs.some((o) => o.attribute === 'release_date')).toBe(false);
    expect(obs.some((o) => o.locator.endsWith('.created'))).toBe(false);
  });

  it('reads context length, max completion tokens and modalities', () => {
    expect(of('openai/gpt-5-image-mini', 'context_window')[0]!.value).toEqual({ kind: 'count', count: 400000 });
    expect(of('openai/gpt-5-image-mini', 'max_output_tokens')[0]!.value).toEqual({ kind: 'count', count: 128000 });
    expect(of('openai/gpt-5-image-mini', 'input_modalities')[0]!.value).toEqual({ kind: 'list', items: ['file', 'image', 'text'] });
    expect(of('openai/gpt-5-image-mini', 'output_modalities')[0]!.value).toEqual({ kind: 'list', items: ['image', 'text'] });
    // a null max_completion_tokens is unstated, not zero
    expect(of('perplexity/sonar-deep-research', 'max_output_tokens')).toEqual([]);
  });

  it('treats :free variants as a price tier of the base model', () => {
    const free = obs.filter((o) => o.locator.startsWith('$.data[?(@.id=="google/gemma-3-27b-it:free")]'));
    expect(free.every((o) => o.model === 'google/gemma-3-27b-it')).toBe(true);
    // model facts come from the base listing, not repeated (with a smaller limit) by the variant
    expect(free.map((o) => o.attribute).sort()).toEqual(['price', 'price', 'provider_model_id']);
    expect(of('google/gemma-3-27b-it', 'max_output_tokens').map((o) => o.value)).toEqual([{ kind: 'count', count: 16384 }]);
    expect(of('google/gemma-3-27b-it', 'provider_model_id').map((o) => [o.value, o.qualifiers.tier])).toEqual([
      [{ kind: 'text', text: 'google/gemma-3-27b-it' }, undefined],
      [{ kind: 'text', text: 'google/gemma-3-27b-it:free' }, 'free'],
    ]);
    // a variant listed without its base speaks for the model
    expect(of('arcee-ai/trinity-large-preview', 'context_window')[0]!.value).toEqual({ kind: 'count', count: 131000 });
    expect(of('arcee-ai/trinity-large-preview')[0]!.creator).toBe('Arcee AI');
  });

  it('reports unknown price fields and malformed entries', () => {
    const r = openrouterApi.extract(page(JSON.stringify({ data: [{ id: 'a/b', pricing: { prompt: 'cheap', completion: '0.000001', teleport: '1' } }, { name: 'no id' }] })));
    expect(r.problems!.map((p) => `${p.locator} ${p.message}`)).toEqual([
      '$.data[?(@.id=="a/b")].pricing.prompt price is not a decimal number',
      '$.data[?(@.id=="a/b")].pricing.teleport unrecognised price field',
      '$.data[1] model entry without an id',
    ]);
    expect(r.observations.filter((o) => o.attribute === 'price')).toHaveLength(1);
  });

  it('throws LayoutError when there is no list of models', () => {
    expect(() => openrouterApi.extract(page('{"error":{"code":429}}'))).toThrow(LayoutError);
    expect(() => openrouterApi.extract(page('not json'))).toThrow(LayoutError);
    expect(() => openrouterApi.extract(page('{"data":[{"foo":1}]}'))).toThrow(/model entries with an id/);
  });
});
