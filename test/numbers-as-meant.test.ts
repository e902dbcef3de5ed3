/**
 * Numbers as meant: catalog numbers are read as the decimal text the file
 * holds, a derived per-image price keeps only the significant digits its
 * per-pixel input supports (the exact product kept as its derivation), and a
 * binary-float artifact a publisher wrote reads as the short decimal, flagged.
 * Samples shaped like the real LiteLLM and models.dev files.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from '../extractors/contract.js';
import { litellm } from '../extractors/litellm.js';
import { modelsDev } from '../extractors/models-dev.js';
import { openrouterApi } from '../extractors/openrouter-api.js';
import { DEFAULT_ALIAS_MAP } from '../pipelines/normalize/identity.js';
import { normalize } from '../pipelines/normalize/normalize.js';
import { floatArtifact, meantProduct, roundSignificant, significantDigits } from '../schema/decimal.js';

const page = (url: string, body: string): Page => ({ url, body, contentType: 'application/json', fetchedAt: '2026-04-20T06:00:00.000Z' });
const ctx = (sourceId: string, url: string, extractorVersion: string) => ({
  sourceId,
  url,
  fetchedAt: '2026-04-20T06:00:00.000Z',
  extractorVersion,
  pageHash: 'a'.repeat(64),
});

describe('decimal helpers', () => {
  it('counts significant digits as written and rounds exactly', () => {
    expect(significantDigits('2.0345052083e-09')).toBe(11);
    expect(significantDigits('0.20')).toBe(2);
    expect(significantDigits('1572864')).toBe(7);
    expect(roundSignificant('0.0031999999999475712', 2)).toBe('0.0032');
    expect(roundSignificant('0.0031999999999475712', 11)).toBe('0.0031999999999');
    // the stated price is good to half a unit of its 11th digit: the product is 0.0032 within that
    expect(meantProduct('2.0345052083e-09', '1572864')).toBe('0.0032');
    expect(meantProduct('0.00000002', '1048576')).toBe('0.02');
    expect(meantProduct('0.005', '2')).toBe('0.01');
    expect(roundSignificant('0.03328', 2)).toBe('0.033');
    expect(roundSignificant('125', 2)).toBe('130');
  });

  it('recognises a binary-float artifact, and only that', () => {
    expect(floatArtifact('0.7989999999999999')).toBe('0.799');
    expect(floatArtifact('2.9000000000000004')).toBe('2.9');
    expect(floatArtifact('0.0000025')).toBeUndefined();
    expect(floatArtifact('2.0345052083e-09')).toBeUndefined();
    // 16 digits that are not a short decimal at 15: written on purpose
    expect(floatArtifact('0.1234567890123456')).toBeUndefined();
  });
});

describe('LiteLLM: per-pixel prices and exact number text', () => {
  const url = litellm.pages![0]!;
  const body = `{
    "azure/high/1024-x-1536/gpt-image-1-mini": { "litellm_provider": "azure", "mode": "image_generation",
      "input_cost_per_pixel": 2.0345052083e-09, "output_cost_per_pixel": 0.0 },
    "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
      "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06, "max_input_tokens": 128000 }
  }`;

  it('the extractor keeps the stated text, in the value and the excerpt', () => {
    const ex = litellm.extract(page(url, body));
    const pixel = ex.observations.find((o) => o.qualifiers.unit === 'per_pixel');
    expect(pixel?.value).toEqual({ kind: 'money', usd: '0.0000000020345052083' });
    expect(pixel?.excerpt).toContain('2.0345052083e-09');
    const input = ex.observations.find((o) => o.model === 'gpt-4o' && o.qualifiers.direction === 'input');
    expect(input?.value).toEqual({ kind: 'money', usd: '0.0000025' });
    expect(ex.observations.find((o) => o.attribute === 'context_window')?.value).toEqual({ kind: 'count', count: 128000 });
  });

  it('normalized per image: 0.0032 at the 11 significant digits stated, the exact product kept', () => {
    const n = normalize(litellm.extract(page(url, body)), ctx('litellm', url, litellm.version), DEFAULT_ALIAS_MAP);
    const img = n.claims.find((c) => c.qualifiers.unit === 'per_image');
    expect(img?.qualifiers).toMatchObject({ route: 'azure', quality: 'high', size: '1024x1536' });
    expect(img?.value).toEqual({
      kind: 'money',
      usd: '0.0032',
      derivation: { exact: '0.0031999999999475712', formula: '0.0000000020345052083 per pixel × 1572864 pixels (1024x1536)' },
    });
    expect(n.claims.find((c) => c.modelId === 'openai/gpt-4o' && c.qualifiers.direction === 'input')?.value).toEqual({ kind: 'money', usd: '2.5' });
  });
});

describe('models-dev and OpenRouter: float artifacts read as meant, with a flag', () => {
  it('models.dev cost 0.7989999999999999 reads 0.799 and says what was written', () => {
    const url = modelsDev.pages![0]!;
    const body = `{"deepinfra": {"id": "deepinfra", "models": {"meta-llama/Llama-3.3-70B-Instruct": {
      "id": "meta-llama/Llama-3.3-70B-Instruct", "release_date": "2024-12-06",
      "cost": {"input": 0.23, "output": 0.7989999999999999, "cache_read": 2.9000000000000004}}}}}`;
    const ex = modelsDev.extract(page(url, body));
    const byDir = Object.fromEntries(ex.observations.filter((o) => o.attribute === 'price').map((o) => [o.qualifiers.direction, o]));
    expect(byDir.input?.value).toEqual({ kind: 'money', usd: '0.23' });
    expect(byDir.output?.value).toEqual({ kind: 'money', usd: '0.799', floatArtifact: '0.7989999999999999' });
    expect(byDir.output?.excerpt).toContain('0.7989999999999999');
    expect(byDir.cache_read?.value).toEqual({ kind: 'money', usd: '2.9', floatArtifact: '2.9000000000000004' });
  });

  it('an OpenRouter price string with an artifact is flagged the same way', () => {
    const url = openrouterApi.pages![0]!;
    const body = `{"data": [{"id": "openai/gpt-4o", "name": "OpenAI: GPT-4o", "created": 1715558400, "context_length": 128000,
      "pricing": {"prompt": "0.0000025", "completion": "0.000009999999999999999"}}]}`;
    const ex = openrouterApi.extract(page(url, body));
    const out = ex.observations.find((o) => o.attribute === 'price' && o.qualifiers.direction === 'output');
    expect(out?.value).toEqual({ kind: 'money', usd: '0.00001', floatArtifact: '0.000009999999999999999' });
  });
});
