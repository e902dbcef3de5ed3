import { describe, expect, it } from 'vitest';
import { openaiPricing as src } from '../extractors/openai-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, more = '') => `route=openai;unit=per_1m_tokens;direction=${direction}${more}`;
const claims = (opts: Parameters<typeof creatorPage>[1] = {}) => claimsOf(src, src.extract(creatorPage(src, opts)));

describe('openai-pricing', () => {
  it('reads one table per tier tab: Standard untiered, Batch, Flex and Priority as tiers (all stated)', () => {
    expect(pricesOf(claims(), 'openai/gpt-5')).toEqual({
      [K('input')]: '1.25',
      [K('cache_read')]: '0.125',
      [K('output')]: '10',
      [K('input', ';tier=batch')]: '0.625',
      [K('cache_read', ';tier=batch')]: '0.0625',
      [K('output', ';tier=batch')]: '5',
      [K('input', ';tier=flex')]: '0.625',
      [K('cache_read', ';tier=flex')]: '0.0625',
      [K('output', ';tier=flex')]: '5',
      [K('input', ';tier=priority')]: '2.5',
      [K('cache_read', ';tier=priority')]: '0.25',
      [K('output', ';tier=priority')]: '20',
    });
    expect(claims().some((c) => c.provenance.derived)).toBe(false);
  });

  it('keys text-token prices by modality only for models whose image tokens are priced apart', () => {
    const img = pricesOf(claims(), 'openai/gpt-image-1');
    expect(img[K('input', ';modality=text')]).toBe('5');
    expect(img[K('input', ';modality=image')]).toBe('10');
    expect(img[K('output', ';modality=image')]).toBe('40');
    expect(Object.keys(pricesOf(claims(), 'openai/gpt-4o')).some((k) => k.includes('modality'))).toBe(false);
  });

  it('reads per-image prices by quality and size, the model cell spanning its rows', () => {
    const q = (quality: string, size: string) => `route=openai;unit=per_image;direction=output;modality=image;quality=${quality};size=${size}`;
    const mini = pricesOf(claims(), 'openai/gpt-image-1-mini');
    expect(mini[q('low', '1024x1024')]).toBe('0.005');
    expect(mini[q('high', '1536x1024')]).toBe('0.052');
    expect(pricesOf(claims(), 'openai/dall-e-3')[q('hd', '1792x1024')]).toBe('0.12');
  });

  it('W16 has no Priority tab yet', () => {
    expect(claims({ week: '2026-W16' }).some((c) => c.qualifiers.tier === 'priority')).toBe(false);
  });
});
