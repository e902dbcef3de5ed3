import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { mistralPricing as src } from '../extractors/mistral-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, tier?: string) => `route=mistral;unit=per_1m_tokens;direction=${direction}${tier ? `;tier=${tier}` : ''}`;
const claims = (opts: Parameters<typeof creatorPage>[1] = {}) => claimsOf(src, src.extract(creatorPage(src, opts)));

describe('mistral-pricing', () => {
  it('keys each card by its API endpoint name, reads USD (not EUR), derives batch from the 50% rule', () => {
    expect(pricesOf(claims(), 'mistral/codestral-latest')).toEqual({
      [K('input')]: '0.3',
      [K('output')]: '0.9',
      [K('input', 'batch')]: '0.15 (derived)',
      [K('output', 'batch')]: '0.45 (derived)',
    });
    expect(pricesOf(claims(), 'mistral/mistral-small-latest')[K('input')]).toBe('0.1');
  });

  it('falls back to the display name when a card states no API name', () => {
    const $ = cheerio.load(creatorPage(src).body);
    $('.api-name').remove();
    const ids = new Set(claims({ body: $.html() }).map((c) => c.modelId));
    expect(ids).toContain('mistral/codestral');
    expect(ids).toContain('mistral/mistral-small-3.2');
  });

  it('W16 lists Mistral Large 2.1 prices under mistral-large-latest; W17 Mistral Large 3', () => {
    expect(pricesOf(claims({ week: '2026-W16' }), 'mistral/mistral-large-latest')[K('input')]).toBe('2');
    expect(pricesOf(claims(), 'mistral/mistral-large-latest')[K('input')]).toBe('0.5');
  });

  it('without the batch note, no batch prices', () => {
    const $ = cheerio.load(creatorPage(src).body);
    $('.batch-note').remove();
    expect(claims({ body: $.html() }).some((c) => c.qualifiers.tier === 'batch')).toBe(false);
  });
});
