import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { googleGeminiPricing as src } from '../extractors/google-gemini-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, more = '') => `route=google;unit=per_1m_tokens;direction=${direction}${more}`;
const extract = (opts: Parameters<typeof creatorPage>[1] = {}) => src.extract(creatorPage(src, opts));
const claims = (opts: Parameters<typeof creatorPage>[1] = {}) => claimsOf(src, extract(opts));

describe('google-gemini-pricing', () => {
  it('reads prompt-size bands as tier above_200k, and batch from the rule (derived)', () => {
    expect(pricesOf(claims(), 'google/gemini-2.5-pro')).toEqual({
      [K('input')]: '1.25',
      [K('input', ';tier=above_200k')]: '2.5',
      [K('output')]: '10',
      [K('output', ';tier=above_200k')]: '15',
      [K('cache_read')]: '0.125',
      [K('cache_read', ';tier=above_200k')]: '0.25',
      [K('input', ';tier=batch')]: '0.625 (derived)',
      [K('input', ';tier=above_200k_batch')]: '1.25 (derived)',
      [K('output', ';tier=batch')]: '5 (derived)',
      [K('output', ';tier=above_200k_batch')]: '7.5 (derived)',
    });
  });

  it('splits a line per stated modality, and leaves out the hourly storage price', () => {
    const p = pricesOf(claims(), 'google/gemini-2.5-flash-lite');
    expect(p[K('input', ';modality=text')]).toBe('0.1');
    expect(p[K('input', ';modality=image')]).toBe('0.1');
    expect(p[K('input', ';modality=video')]).toBe('0.1');
    expect(p[K('input', ';modality=audio')]).toBe('0.3');
    expect(p[K('cache_read', ';modality=text')]).toBe('0.01');
    expect(p[K('cache_read', ';modality=audio')]).toBe('0.03');
    expect(Object.values(p)).not.toContain('1');
  });

  it('prefers the API id under the heading: "Gemini 2.5 Flash Image (Nano Banana)" is gemini-2.5-flash-image', () => {
    expect(pricesOf(claims(), 'google/gemini-2.5-flash-image')).toEqual({
      [K('input', ';modality=image')]: '0.3',
      [K('input', ';modality=text')]: '0.3',
      'route=google;unit=per_image;direction=output;modality=image': '0.039',
    });
    expect(pricesOf(claims(), 'google/gemini-2.5-flash-preview-tts')).toEqual({
      [K('input', ';modality=text')]: '0.5',
      [K('output', ';modality=audio')]: '10',
    });
  });

  it('reads per-image rows of a model family; the "Standard" row is the base model', () => {
    const img = 'route=google;unit=per_image;direction=output;modality=image';
    expect(pricesOf(claims(), 'google/imagen-4-fast')).toEqual({ [img]: '0.02' });
    expect(pricesOf(claims(), 'google/imagen-4')).toEqual({ [img]: '0.04' });
    expect(pricesOf(claims(), 'google/imagen-4-ultra')).toEqual({ [img]: '0.06' });
  });

  it("states the page's own update date", () => {
    expect(extract().statedAsOf).toEqual({ kind: 'date', date: '2026-04-21', precision: 'day' });
  });

  it('W16 has the context caching prices before the cut', () => {
    expect(pricesOf(claims({ week: '2026-W16' }), 'google/gemini-2.5-flash')[K('cache_read', ';modality=text')]).toBe('0.075');
    expect(pricesOf(claims(), 'google/gemini-2.5-flash')[K('cache_read', ';modality=text')]).toBe('0.03');
  });

  it('a Batch tab with neither prices nor a rule is a problem, not a silent gap', () => {
    const $ = cheerio.load(creatorPage(src).body);
    $('[role="tabpanel"][data-tier="batch"] p').text('See the Batch Mode guide.');
    const x = extract({ body: $.html() });
    expect(x.problems?.length).toBe(3);
    expect(x.problems?.[0]?.message).toMatch(/batch tab states neither prices nor a rule/);
  });
});
