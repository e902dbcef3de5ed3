/**
 * Token limits stated in binary vs decimal thousands (figures from the real
 * 2026-W17 catalogs): 131072 and 128000 are one "128K" limit, the exact binary
 * value wins; a round thousand that is not a binary multiple stays its own value.
 */
import { describe, expect, it } from 'vitest';
import { limitForms, reconcile, sameMeaning } from '../pipelines/reconcile/index.js';
import { claim, NOW, SOURCES } from './reconcile.helpers.js';

const count = (n: number) => ({ kind: 'count' as const, count: n });

describe('token limits in binary and decimal thousands', () => {
  it('mistral-large-2411: litellm 128000 against models-dev and OpenRouter 131072 is one value, 131072 kept', () => {
    const modelId = 'mistral/mistral-large-2411';
    const claims = [
      claim('litellm', 'context_window', count(128000), { modelId }),
      claim('models-dev', 'context_window', count(131072), { modelId, via: 'mistral' }),
      claim('openrouter-api', 'context_window', count(131072), { modelId }),
    ];
    const [fact] = reconcile(claims, { sources: SOURCES, now: NOW }).facts;
    expect(fact?.status).toBe('agreed');
    expect(fact?.chosen).toEqual(count(131072));
    expect(fact?.rule).toMatch(/^all-equivalent:/);
    expect(fact?.rule).toContain('Less precise statements (litellm)');
  });

  it('gemini-2.5-flash-lite max output: 65535 (the largest index) is compatible with 65536', () => {
    const modelId = 'google/gemini-2.5-flash-lite';
    const claims = [
      claim('litellm', 'max_output_tokens', count(65535), { modelId }),
      claim('models-dev', 'max_output_tokens', count(65536), { modelId, via: 'google' }),
    ];
    const [fact] = reconcile(claims, { sources: SOURCES, now: NOW }).facts;
    expect(fact?.status).toBe('agreed');
    expect(fact?.chosen).toEqual(count(65536));
  });

  it('only limits, only binary multiples: 128000 has no binary form, 200000 vs 202752 and prices stay apart', () => {
    expect(limitForms(131072)).toEqual(['c:128000', 'c:131071']);
    expect(limitForms(98304)).toEqual(['c:96000']);
    expect(limitForms(204800)).toEqual(['c:200000']);
    expect(limitForms(65536)).toEqual(['c:64000', 'c:65535']);
    expect(limitForms(128000)).toEqual([]);
    expect(limitForms(1000)).toEqual([]);
    expect(sameMeaning(count(202752), count(200000), 'context_window')).toBe(false);
    expect(sameMeaning(count(131072), count(128000), 'max_output_tokens')).toBe(true);
    expect(sameMeaning(count(128000), count(125000), 'context_window')).toBe(false);
  });
});
