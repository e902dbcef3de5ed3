import { describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { modelsDev } from '../extractors/models-dev.js';
import { catalogPage, catalogSample, observationsOf } from './helpers/catalog.js';

const URL = modelsDev.pages[0]!;
const SAMPLE = catalogSample('models-dev.sample.json');
const page = catalogPage(URL);
const sample = modelsDev.extract(page(SAMPLE));
const obs = sample.observations;
const of = (via: string, model: string, attribute: string) => observationsOf(obs, model, attribute, via);
const prices = (via: string, model: string) =>
  of(via, model, 'price')
    .map((o) => `${o.qualifiers.route}:${o.qualifiers.direction}:${o.qualifiers.modality ?? '-'}:${o.qualifiers.tier ?? '-'}:${(o.value as { usd: string }).usd}`)
    .sort();

describe('models-dev extractor', () => {
  it('declares the aggregator source with the live URL', () => {
    expect(modelsDev).toMatchObject({ id: 'models-dev', kind: 'catalog', fetchMode: 'http', authority: 'aggregator', hosts: ['models.dev'] });
    expect(URL).toBe('https://models.dev/api.json');
  });

  it('emits schema-valid observations, each with the listing provider as via', () => {
    for (const o of obs) {
      expect(o.via).toBeTruthy();
    }
    const o = of('openai', 'gpt-image-1-mini', 'release_date')[0]!;
    expect(o.locator).toBe('$["openai"].models["gpt-image-1-mini"].release_date');
    expect(o.excerpt).toBe('openai/gpt-image-1-mini: "release_date": "2025-09-26"');
  });

  it('keeps each provider\'s release date of gpt-image-1-mini as its own candidate (no route)', () => {
    const dates = obs
      .filter((o) => o.attribute === 'release_date' && o.model.endsWith('gpt-image-1-mini'))
      .map((o) => [o.via, o.model, o.value, o.qualifiers]);
    expect(dates).toEqual([
      ['openai', 'gpt-image-1-mini', { kind: 'date', date: '2025-09-26', precision: 'day' }, {}],
      ['poe', 'openai/gpt-image-1-mini', { kind: 'date', date: '2025-08-26', precision: 'day' }, {}],
      ['vercel', 'openai/gpt-image-1-mini', { kind: 'date', date: '2025-10-06', precision: 'day' }, {}],
    ]);
  });

  it('keeps month-precision dates at month precision', () => {
    expect(of('alibaba', 'qwen3-14b', 'release_date')[0]!.value).toEqual({ kind: 'date', date: '2025-04', precision: 'month' });
  });

  it('reads limits of 0 as "not applicable"', () => {
    expect(of('openai', 'gpt-image-1-mini', 'context_window')[0]!.value).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(of('poe', 'openai/gpt-image-1-mini', 'max_output_tokens')[0]!.value).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(of('anthropic', 'claude-sonnet-4-5-20250929', 'context_window')[0]!.value).toEqual({ kind: 'count', count: 200000 });
  });

  it('reads modalities, family and open weights', () => {
    expect(of('poe', 'openai/gpt-image-1-mini', 'output_modalities')[0]!.value).toEqual({ kind: 'list', items: ['image'] });
    expect(of('openai', 'gpt-image-1-mini', 'input_modalities')[0]!.value).toEqual({ kind: 'list', items: ['image', 'text'] });
    expect(of('openai', 'gpt-image-1-mini', 'family')[0]!.value).toEqual({ kind: 'text', text: 'gpt-image' });
    expect(of('deepinfra', 'MiniMaxAI/MiniMax-M2', 'openness')[0]!.value).toEqual({ kind: 'text', text: 'open weights' });
  });

  it('reads costs per 1M tokens with the provider as route', () => {
    expect(prices('vercel', 'openai/gpt-image-1-mini')).toEqual(['vercel:cache_read:-:-:0.2', 'vercel:input:-:-:2', 'vercel:output:-:-:8']);
    expect(of('vercel', 'openai/gpt-image-1-mini', 'price').every((o) => o.qualifiers.unit === 'per_1m_tokens')).toBe(true);
    expect(prices('anthropic', 'claude-sonnet-4-5-20250929')).toEqual([
      'anthropic:cache_read:-:-:0.3',
      'anthropic:cache_read:-:above_200k:0.6',
      'anthropic:cache_write:-:-:3.75',
      'anthropic:cache_write:-:above_200k:7.5',
      'anthropic:input:-:-:3',
      'anthropic:input:-:above_200k:6',
      'anthropic:output:-:-:15',
      'anthropic:output:-:above_200k:22.5',
    ]);
    expect(prices('alibaba', 'qwen-omni-turbo-realtime')).toEqual([
      'alibaba:input:-:-:0.27',
      'alibaba:input:audio:-:4.44',
      'alibaba:output:-:-:1.07',
      'alibaba:output:audio:-:8.89',
    ]);
    expect(prices('alibaba', 'qwen3-14b')).toContain('alibaba:output:-:reasoning:4.2');
    // a spelling variant of the cache-read price
    expect(prices('deepinfra', 'MiniMaxAI/MiniMax-M2')).toContain('deepinfra:cache_read:-:-:0.127');
  });

  it('resolves `extends` against the referenced entry, honouring omit and own fields', () => {
    const base = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    expect(of('amazon-bedrock', base, 'release_date')[0]!.value).toEqual({ kind: 'date', date: '2025-09-29', precision: 'day' });
    expect(prices('amazon-bedrock', base)).toContain('amazon-bedrock:input:-:above_200k:6');
    const us = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
    // own cost fields win, the omitted long-context band is gone, the geo profile is the tier
    expect(prices('amazon-bedrock', us)).toEqual([
      'amazon-bedrock:cache_read:-:us:0.3',
      'amazon-bedrock:cache_write:-:us:3.75',
      'amazon-bedrock:input:-:us:3.3',
      'amazon-bedrock:output:-:us:16.5',
    ]);
    expect(of('amazon-bedrock', us, 'context_window')[0]!.value).toEqual({ kind: 'count', count: 200000 });
  });

  it('every listed model yields observations, at least its listing', () => {
    const doc = JSON.parse(SAMPLE) as Record<string, { models: Record<string, unknown> }>;
    for (const [provider, p] of Object.entries(doc)) {
      for (const id of Object.keys(p.models)) {
        expect(of(provider, id, 'provider_model_id').map((o) => o.qualifiers.route), `${provider}/${id}`).toEqual([provider]);
      }
    }
  });

  it('reports cost fields without a known meaning and unreadable dates', () => {
    expect(sample.problems).toEqual([
      {
        locator: '$["perplexity"].models["sonar-deep-research"].cost.citation',
        message: 'cost field without a known meaning or unit',
        excerpt: 'perplexity/sonar-deep-research: "citation": 2',
      },
    ]);
    const r = modelsDev.extract(
      page(JSON.stringify({ p: { models: { a: { release_date: '2025-25-11', limit: { context: -1, output: 0 } }, b: { extends: { from: 'p/missing' } } } } })),
    );
    expect(r.problems!.map((p) => `${p.locator} ${p.message}`)).toEqual([
      '$["p"].models["a"].release_date cannot read a calendar date from "2025-25-11"',
      '$["p"].models["a"].limit.context not a token count',
      '$["p"].models["b"].extends extends an entry that is not listed: p/missing',
    ]);
  });

  it('throws LayoutError when no provider lists models', () => {
    expect(() => modelsDev.extract(page('[]'))).toThrow(LayoutError);
    expect(() => modelsDev.extract(page('{"openai":{"name":"OpenAI"}}'))).toThrow(/providers with models/);
    expect(() => modelsDev.extract(page('<!doctype html>'))).toThrow(LayoutError);
  });
});
