import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { openaiDocs } from '../extractors/openai-docs.js';
import { multiply } from '../schema/decimal.js';
import { layoutError, only, prices, replayPage, scalePrices } from './helpers/extraction.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
const BASE = 'https://platform.openai.com/docs/models';

/** A page as the replay archive serves it: looked up by URL in the week's manifest. */

/** Prices keyed by their qualifiers, e.g. `route=openai;unit=per_image;direction=output;modality=image;quality=low;size=1024x1024`. */

const tok = (direction: string, modality: string) => `route=openai;unit=per_1m_tokens;direction=${direction};modality=${modality}`;
const img = (quality: string, size: string) => `route=openai;unit=per_image;direction=output;modality=image;quality=${quality};size=${size}`;

function perImage(qualities: string[], sizes: string[], table: string[][]): Record<string, string> {
  const out: Record<string, string> = {};
  qualities.forEach((q, i) => sizes.forEach((s, j) => (out[img(q, s)] = table[i]![j]!)));
  return out;
}

const GPT_SIZES = ['1024x1024', '1024x1536', '1536x1024'];
const LMH = ['low', 'medium', 'high'];

/** What OpenAI's pages state, by model (the same in both fixture weeks). */
const EXPECTED_PRICES: Record<string, Record<string, string>> = {
  'gpt-image-1-mini': {
    [tok('input', 'text')]: '2',
    [tok('cache_read', 'text')]: '0.2',
    [tok('input', 'image')]: '2.5',
    [tok('cache_read', 'image')]: '0.25',
    [tok('output', 'image')]: '8',
    ...perImage(LMH, GPT_SIZES, [
      ['0.005', '0.006', '0.006'],
      ['0.011', '0.015', '0.015'],
      ['0.036', '0.052', '0.052'],
    ]),
  },
  'gpt-image-1': {
    [tok('input', 'text')]: '5',
    [tok('cache_read', 'text')]: '1.25',
    [tok('input', 'image')]: '10',
    [tok('cache_read', 'image')]: '2.5',
    [tok('output', 'image')]: '40',
    ...perImage(LMH, GPT_SIZES, [
      ['0.011', '0.016', '0.016'],
      ['0.042', '0.063', '0.063'],
      ['0.167', '0.25', '0.25'],
    ]),
  },
  'gpt-image-1.5': {
    [tok('input', 'text')]: '5',
    [tok('cache_read', 'text')]: '1.25',
    [tok('output', 'text')]: '10',
    [tok('input', 'image')]: '8',
    [tok('cache_read', 'image')]: '2',
    [tok('output', 'image')]: '32',
    ...perImage(LMH, GPT_SIZES, [
      ['0.009', '0.013', '0.013'],
      ['0.034', '0.05', '0.05'],
      ['0.133', '0.2', '0.2'],
    ]),
  },
  'dall-e-3': perImage(['standard', 'hd'], ['1024x1024', '1024x1792', '1792x1024'], [
    ['0.04', '0.08', '0.08'],
    ['0.08', '0.12', '0.12'],
  ]),
};

describe('openai-docs', () => {
  it('declares itself as the creator source fetched over HTTP', () => {
    expect(openaiDocs).toMatchObject({ id: 'openai-docs', authority: 'creator', fetchMode: 'http', hosts: ['platform.openai.com'] });
    expect(openaiDocs.index.urls).toEqual([BASE]);
  });

  for (const week of WEEKS) {
    describe(week, () => {
      it('discovers the model pages on the models index', () => {
        const urls = openaiDocs.index.discover(replayPage(week, BASE));
        expect(urls).toEqual([`${BASE}/gpt-image-1.5`, `${BASE}/gpt-image-1`, `${BASE}/gpt-image-1-mini`, `${BASE}/dall-e-3`]);
      });

      for (const [slug, expected] of Object.entries(EXPECTED_PRICES)) {
        it(`${slug}: states the official prices with their qualifiers`, () => {
          const x = openaiDocs.extract(replayPage(week, `${BASE}/${slug}`));
          expect(prices(x)).toEqual(expected);
          expect(x.problems).toBeUndefined();
          for (const o of x.observations) {
            expect(o.model).toBe(slug);
            expect(o.creator).toBe('OpenAI');
            expect(o.excerpt.length).toBeGreaterThan(0);
            expect(o.locator.length).toBeGreaterThan(0);
          }
        });
      }

      it('gpt-image-1-mini: nine per-image prices, excerpts quote the page', () => {
        const x = openaiDocs.extract(replayPage(week, `${BASE}/gpt-image-1-mini`));
        const perImageObs = x.observations.filter((o) => o.qualifiers.unit === 'per_image');
        expect(perImageObs).toHaveLength(9);
        const high = perImageObs.find((o) => o.qualifiers.quality === 'high' && o.qualifiers.size === '1024x1024')!;
        expect(high.value).toEqual({ kind: 'money', usd: '0.036' });
        expect(high.excerpt).toContain('$0.036');
        expect(high.excerpt).toContain('High');
        expect(high.locator).toContain('section#pricing');
        const cached = x.observations.find((o) => o.qualifiers.direction === 'cache_read' && o.qualifiers.modality === 'text')!;
        expect(cached.excerpt).toContain('Cached input $0.20');
      });

      it('gpt-image-1-mini: modalities and supported endpoints', () => {
        const x = openaiDocs.extract(replayPage(week, `${BASE}/gpt-image-1-mini`));
        expect(only(x, 'input_modalities').value).toEqual({ kind: 'list', items: ['image', 'text'] });
        expect(only(x, 'output_modalities').value).toEqual({ kind: 'list', items: ['image'] });
        const endpoints = only(x, 'endpoints');
        expect(endpoints.value).toEqual({ kind: 'list', items: ['v1/batch', 'v1/images/edits', 'v1/images/generations'] });
        expect(endpoints.qualifiers).toEqual({ route: 'openai' });
      });

      it('dall-e-3: text in, image out, generations only, no token prices', () => {
        const x = openaiDocs.extract(replayPage(week, `${BASE}/dall-e-3`));
        expect(only(x, 'input_modalities').value).toEqual({ kind: 'list', items: ['text'] });
        expect(only(x, 'output_modalities').value).toEqual({ kind: 'list', items: ['image'] });
        expect(only(x, 'endpoints').value).toEqual({ kind: 'list', items: ['v1/images/generations'] });
        expect(x.observations.filter((o) => o.qualifiers.unit === 'per_1m_tokens')).toEqual([]);
      });
    });
  }

  it('reads prices, not positions: the same pages with every price tripled give tripled values', () => {
    for (const [slug, expected] of Object.entries(EXPECTED_PRICES)) {
      const page = replayPage('2026-W17', `${BASE}/${slug}`);
      const x = openaiDocs.extract({ ...page, body: scalePrices(page.body, 3) });
      const tripled = Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, multiply(v, 3)]));
      expect(prices(x)).toEqual(tripled);
    }
    expect(EXPECTED_PRICES['gpt-image-1-mini']![img('high', '1024x1024')]).toBe('0.036');
    expect(multiply('0.036', 3)).toBe('0.108');
  });

  it('throws a LayoutError naming source, URL and part when the pricing section is gone', () => {
    const url = `${BASE}/gpt-image-1-mini`;
    const page = replayPage('2026-W17', url);
    const $ = cheerio.load(page.body);
    $('h2')
      .filter((_, h) => /pricing/i.test($(h).text()))
      .closest('section')
      .remove();
    const err = layoutError(() => openaiDocs.extract({ ...page, body: $.html() }));
    expect(err.sourceId).toBe('openai-docs');
    expect(err.url).toBe(url);
    expect(err.part).toBe('pricing section');
    expect(err.message).toContain(url);
  });

  it('throws a LayoutError when the pricing section states no price it can read', () => {
    const page = replayPage('2026-W17', `${BASE}/gpt-image-1-mini`);
    const $ = cheerio.load(page.body);
    $('#pricing dl').remove();
    const err = layoutError(() => openaiDocs.extract({ ...page, body: $.html() }));
    expect(err.part).toBe('prices in pricing section');
  });

  it('records an unreadable price as a problem instead of dropping it', () => {
    const page = replayPage('2026-W17', `${BASE}/gpt-image-1-mini`);
    const body = page.body.replace('<span class="price">$0.052</span>', '<span class="price">Contact sales</span>');
    const x = openaiDocs.extract({ ...page, body });
    expect(x.problems).toHaveLength(1);
    expect(x.problems![0]!.locator).toContain('1024x1536');
    expect(x.problems![0]!.excerpt).toContain('Contact sales');
    expect(Object.keys(prices(x))).toHaveLength(13);
  });

  it('does not mistake the compare tool or anchors for model pages', () => {
    const page = replayPage('2026-W17', BASE);
    const urls = openaiDocs.index.discover(page);
    expect(urls.every((u) => !u.includes('compare') && !u.includes('#') && !u.includes('?'))).toBe(true);
    expect(new Set(urls).size).toBe(urls.length);
  });
});
