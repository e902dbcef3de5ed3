import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { deepseekPricing as src } from '../extractors/deepseek-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, window?: string) => `route=deepseek;unit=per_1m_tokens;direction=${direction}${window ? `;window=${window}` : ''}`;
const extract = (opts: Parameters<typeof creatorPage>[1] = {}) => src.extract(creatorPage(src, opts));
const claims = (opts: Parameters<typeof creatorPage>[1] = {}) => claimsOf(src, extract(opts));

describe('deepseek-pricing', () => {
  it('gives a merged (colspan) price cell to every model column', () => {
    const expected = { [K('cache_read')]: '0.028', [K('input')]: '0.28', [K('output')]: '0.42' };
    expect(pricesOf(claims(), 'deepseek/deepseek-chat')).toEqual(expected);
    expect(pricesOf(claims(), 'deepseek/deepseek-reasoner')).toEqual(expected);
  });

  it('W16: the discount group carries the UTC time window; the standard group is the base price', () => {
    expect(pricesOf(claims({ week: '2026-W16' }), 'deepseek/deepseek-chat')).toEqual({
      [K('cache_read')]: '0.028',
      [K('input')]: '0.28',
      [K('output')]: '0.42',
      [K('cache_read', '16:30-00:30')]: '0.014',
      [K('input', '16:30-00:30')]: '0.14',
      [K('output', '16:30-00:30')]: '0.21',
    });
  });

  it('reads context length and the maximum (not the default) output per model', () => {
    const limits = claims().filter((c) => c.attribute !== 'price').map((c) => [c.modelId, c.attribute, c.value]);
    expect(limits).toEqual(
      expect.arrayContaining([
        ['deepseek/deepseek-chat', 'context_window', { kind: 'count', count: 128000 }],
        ['deepseek/deepseek-reasoner', 'context_window', { kind: 'count', count: 128000 }],
        ['deepseek/deepseek-chat', 'max_output_tokens', { kind: 'count', count: 8000 }],
        ['deepseek/deepseek-reasoner', 'max_output_tokens', { kind: 'count', count: 64000 }],
      ]),
    );
  });

  it('a discount group without a time window is a problem, not an all-day price', () => {
    const body = creatorPage(src, { week: '2026-W16' }).body.replace('(UTC 16:30-00:30)', '(nighttime)');
    const x = extract({ body });
    expect(x.problems?.map((p) => p.message)).toEqual(Array(3).fill('discount price group without a UTC time window'));
    expect(x.observations.some((o) => o.qualifiers.window)).toBe(false);
  });

  it('a price table without model names in its header is a layout change', () => {
    const $ = cheerio.load(creatorPage(src).body);
    $('#pricing-details ~ table thead th').text('');
    expect(() => extract({ body: $.html() })).toThrow(/model names in the price table header/);
  });
});
