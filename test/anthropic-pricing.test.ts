import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { anthropicPricing } from '../extractors/anthropic-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, tier?: string) => `route=anthropic;unit=per_1m_tokens;direction=${direction}${tier ? `;tier=${tier}` : ''}`;
const claims = (body?: string) => claimsOf(anthropicPricing, anthropicPricing.extract(creatorPage(anthropicPricing, body ? { body } : {})));

describe('anthropic-pricing', () => {
  it('reads every column of the model table, the 1-hour cache write as tier ttl_1h, and the batch table', () => {
    expect(pricesOf(claims(), 'anthropic/claude-sonnet-4-5')).toEqual({
      [K('input')]: '3',
      [K('cache_write')]: '3.75',
      [K('cache_write', 'ttl_1h')]: '6',
      [K('cache_read')]: '0.3',
      [K('output')]: '15',
      [K('input', 'batch')]: '1.5',
      [K('output', 'batch')]: '7.5',
      [K('input', 'above_200k')]: '6',
      [K('output', 'above_200k')]: '22.5',
      // "the prompt caching multipliers apply to the long context input price": derived, not stated
      [K('cache_write', 'above_200k')]: '7.5 (derived)',
      [K('cache_write', 'above_200k_ttl_1h')]: '12 (derived)',
      [K('cache_read', 'above_200k')]: '0.6 (derived)',
    });
  });

  it('resolves display names to the ids the catalogs use (Claude 3 names version first)', () => {
    const ids = new Set(claims().map((c) => c.modelId));
    expect([...ids].sort()).toEqual(
      [
        'anthropic/claude-opus-4-5',
        'anthropic/claude-opus-4-1',
        'anthropic/claude-opus-4',
        'anthropic/claude-sonnet-4-5',
        'anthropic/claude-sonnet-4',
        'anthropic/claude-3-7-sonnet', // "Claude Sonnet 3.7 (deprecated)"
        'anthropic/claude-haiku-4-5',
        'anthropic/claude-3-5-haiku', // "Claude Haiku 3.5"
        'anthropic/claude-3-haiku',
      ].sort(),
    );
  });

  it('gives long-context prices only to the models the section names', () => {
    const tiered = claims().filter((c) => c.qualifiers.tier?.startsWith('above_200k'));
    expect(new Set(tiered.map((c) => c.modelId))).toEqual(new Set(['anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4']));
  });

  it('marks derived prices with the rule and the stated price', () => {
    const d = claims().find((c) => c.modelId === 'anthropic/claude-sonnet-4-5' && c.qualifiers.tier === 'above_200k' && c.qualifiers.direction === 'cache_read');
    expect(d?.provenance.derived?.rule).toMatch(/Cache read tokens cost 0\.1 times.*long context input price/);
    expect(d?.provenance.derived?.from).toMatch(/> 200K input tokens · Input: \$6 \/ MTok/);
  });

  it('derives nothing when the page no longer says the multipliers apply to long context', () => {
    const $ = cheerio.load(creatorPage(anthropicPricing).body);
    $('p:contains("stack with the other modifiers")').remove();
    expect(claims($.html()).some((c) => c.provenance.derived)).toBe(false);
  });

  it('W16 has no Claude Opus 4.5 yet (added in W17)', () => {
    const w16 = claimsOf(anthropicPricing, anthropicPricing.extract(creatorPage(anthropicPricing, { week: '2026-W16' })));
    expect(w16.some((c) => c.modelId === 'anthropic/claude-opus-4-5')).toBe(false);
    expect(claims().some((c) => c.modelId === 'anthropic/claude-opus-4-5')).toBe(true);
  });

  it('an input/output-less model table is a layout change', () => {
    const $ = cheerio.load(creatorPage(anthropicPricing).body);
    $('#model-pricing ~ div table thead th').each((_, th) => {
      $(th).text('Price');
    });
    expect(() => anthropicPricing.extract(creatorPage(anthropicPricing, { body: $.html() }))).toThrow(/input and output columns/);
  });
});
