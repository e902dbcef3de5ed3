import { describe, expect, it } from 'vitest';
import { rawModelName } from '../extractors/display-name.js';
import { bandTier, contextBand, joinTier, ruleFactor } from '../extractors/price-page.js';
import { contextThreshold, contextTier, Qualifiers, qualifiersKey } from '../schema/qualifiers.js';

describe('display names → raw model names', () => {
  it.each([
    ['Claude Sonnet 3.7 (deprecated)', 'Claude Sonnet 3.7'],
    ['Gemini 2.5 Pro¹', 'Gemini 2.5 Pro'],
    ['Gemini 2.5 Flash Image (Nano Banana)', 'Gemini 2.5 Flash Image'],
    ['Claude Opus 4.5 New', 'Claude Opus 4.5'],
    ['DALL·E 3', 'DALL-E 3'],
    ['grok-4-0709*', 'grok-4-0709'],
  ])('%s → %s', (shown, raw) => expect(rawModelName(shown)).toBe(raw));
});

describe('prompt-size bands, rules and tiers', () => {
  it('reads both sides of a band', () => {
    expect(contextBand('≤ 200K input tokens')).toEqual({ threshold: 200000, above: false });
    expect(contextBand('> 200K input tokens')).toEqual({ threshold: 200000, above: true });
    expect(contextBand('$2.50, prompts > 200k tokens')).toEqual({ threshold: 200000, above: true });
    expect(contextBand('requests whose input exceeds 128K tokens')).toEqual({ threshold: 128000, above: true });
    expect(contextBand('$2.50')).toBeUndefined();
    expect(bandTier(contextBand('> 1M tokens'))).toBe('above_1m');
    expect(bandTier(contextBand('<= 200k tokens'))).toBeUndefined();
  });

  it('reads a rule as an exact factor', () => {
    expect(ruleFactor('a 50% discount on the prices above')).toBe('0.5');
    expect(ruleFactor('billed at 2x the listed prices')).toBe('2');
    expect(ruleFactor('cost 1.25 times the base input price')).toBe('1.25');
    expect(ruleFactor('at half the price of the standard API')).toBe('0.5');
    expect(ruleFactor('See the Batch Mode guide.')).toBeUndefined();
  });

  it('context tiers carry their threshold; tier words join band first', () => {
    expect(contextTier(200_000)).toBe('above_200k');
    expect(contextThreshold('above_200k_batch')).toBe(200000);
    expect(contextThreshold('batch')).toBeUndefined();
    expect(joinTier('above_200k', 'batch')).toBe('above_200k_batch');
    expect(joinTier(undefined, '')).toBeUndefined();
  });

  it('a time window is a qualifier of its own, keyed last (earlier keys unchanged)', () => {
    const q = Qualifiers.parse({ route: 'deepseek', unit: 'per_1m_tokens', direction: 'input', window: '16:30-00:30' });
    expect(qualifiersKey(q)).toBe('route=deepseek;unit=per_1m_tokens;direction=input;window=16:30-00:30');
    expect(Qualifiers.safeParse({ window: 'nights' }).success).toBe(false);
  });
});
