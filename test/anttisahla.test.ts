import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { anttisahla } from '../extractors/anttisahla.js';
import { LayoutError, type Page } from '../extractors/contract.js';
import { multiply } from '../schema/decimal.js';
import { Observation } from '../schema/observation.js';
import { only, prices, replayPage, scalePrices } from './helpers/extraction.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
const INDEX = 'https://anttisahla.com/ai/models';
const url = (slug: string) => `${INDEX}/${slug}`;

/** A page as the replay archive serves it: looked up by URL in the week's manifest. */



const img = (quality?: string, size?: string) =>
  ['unit=per_image', 'direction=output', 'modality=image', quality && `quality=${quality}`, size && `size=${size}`]
    .filter(Boolean)
    .join(';');
const tok = (direction: string, modality: string) => `unit=per_1m_tokens;direction=${direction};modality=${modality}`;

/** What each profile states, in both weeks (imagen-4-fast exists only from W17). */
const EXPECTED: Record<string, { org: string; family: string; release: Observation['value']; asOf: string; prices: Record<string, string> }> = {
  'gpt-image-1-mini': {
    org: 'OpenAI',
    family: 'GPT Image',
    release: { kind: 'date', date: '2025-10-01', precision: 'day', approximate: true },
    asOf: '2026-04-04',
    prices: { [img('low')]: '0.004', [img('medium')]: '0.02', [img('high')]: '0.07' },
  },
  'gpt-image-1': {
    org: 'OpenAI',
    family: 'GPT Image',
    release: { kind: 'date', date: '2025-04-23', precision: 'day' },
    asOf: '2026-03-21',
    prices: {
      [img('low', '1024x1024')]: '0.011',
      [img('medium', '1024x1024')]: '0.042',
      [img('high', '1024x1024')]: '0.167',
      [tok('input', 'text')]: '5',
      [tok('cache_read', 'text')]: '1.25',
      [tok('input', 'image')]: '10',
      [tok('output', 'image')]: '40',
    },
  },
  'gpt-image-1.5': {
    org: 'OpenAI',
    family: 'GPT Image',
    release: { kind: 'date', date: '2025-12-16', precision: 'day' },
    asOf: '2026-04-04',
    prices: { [img('low', '1024x1024')]: '0.009', [img('medium', '1024x1024')]: '0.034', [img('high', '1024x1024')]: '0.133' },
  },
  'dall-e-3': {
    org: 'OpenAI',
    family: 'DALL·E',
    release: { kind: 'date', date: '2023-11-06', precision: 'day' },
    asOf: '2026-02-14',
    prices: {
      [img('standard', '1024x1024')]: '0.04',
      [img('standard', '1024x1792')]: '0.08',
      [img('standard', '1792x1024')]: '0.08',
      [img('hd', '1024x1024')]: '0.08',
      [img('hd', '1024x1792')]: '0.12',
      [img('hd', '1792x1024')]: '0.12',
    },
  },
  'imagen-4-fast': {
    org: 'Google',
    family: 'Imagen',
    release: { kind: 'date', date: '2025-08-14', precision: 'day' },
    asOf: '2026-04-16',
    prices: { [img()]: '0.02' },
  },
};

const MODELS_IN: Record<(typeof WEEKS)[number], string[]> = {
  '2026-W16': ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3'],
  '2026-W17': ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3', 'imagen-4-fast'],
};

describe('anttisahla: every fixture week yields what the profiles state', () => {
  for (const week of WEEKS) {
    for (const slug of MODELS_IN[week]) {
      it(`${week} ${slug}`, () => {
        const want = EXPECTED[slug]!;
        const x = anttisahla.extract(replayPage(week, url(slug)));
        for (const o of x.observations) {
          expect(() => Observation.parse(o)).not.toThrow();
          expect(o.model).toBe(slug);
          expect(o.creator).toBe(want.org);
          expect(o.excerpt.trim().length).toBeGreaterThan(0);
          expect(o.locator.trim().length).toBeGreaterThan(0);
          // the page names no route for its prices
          expect(o.qualifiers.route).toBeUndefined();
        }
        expect(x.problems).toBeUndefined();
        expect(only(x, 'organization').value).toEqual({ kind: 'text', text: want.org });
        expect(only(x, 'family').value).toEqual({ kind: 'text', text: want.family });
        expect(only(x, 'release_date').value).toEqual(want.release);
        expect(x.statedAsOf).toEqual({ kind: 'date', date: want.asOf, precision: 'day' });
        expect(only(x, 'page_updated').value).toEqual(x.statedAsOf);
        // 0 context / 0 output on an image model means "not applicable", never zero
        expect(only(x, 'context_window').value).toEqual({ kind: 'not_applicable', stated: '0' });
        expect(only(x, 'max_output_tokens').value).toEqual({ kind: 'not_applicable', stated: '0' });
        expect(prices(x)).toEqual(want.prices);
        for (const attribute of anttisahla.requiredAttributes) {
          expect(x.observations.some((o) => o.attribute === attribute)).toBe(true);
        }
      });
    }
  }

  it('gpt-image-1-mini (W17 = seed 003): prices without size, approximate date, N/A limits, with their excerpts', () => {
    const x = anttisahla.extract(replayPage('2026-W17', url('gpt-image-1-mini')));
    const low = x.observations.find((o) => o.attribute === 'price' && o.qualifiers.quality === 'low')!;
    expect(low.qualifiers).toEqual({ unit: 'per_image', direction: 'output', modality: 'image', quality: 'low' });
    expect(low.excerpt).toBe('Low quality: $0.004 per image');
    expect(only(x, 'page_updated').excerpt).toContain('last verified on April 4, 2026');
    expect(only(x, 'release_date').excerpt).toMatch(/approximate catalog date/);
    expect(only(x, 'context_window').excerpt).toMatch(/interpreted as N\/A/);
    expect(only(x, 'organization').excerpt).toBe('OpenAI · GPT Image');
  });

  it('the test-only copy under fixtures/pages is the W17 replay page', () => {
    const copy = readFileSync('fixtures/sources/anttisahla/gpt-image-1-mini.html', 'utf8');
    expect(copy).toBe(replayPage('2026-W17', url('gpt-image-1-mini')).body);
  });
});

describe('anttisahla: changed values on the same page are read as changed', () => {
  const page = replayPage('2026-W17', url('gpt-image-1-mini'));

  it('prices multiplied by 3', () => {
    const before = prices(anttisahla.extract(page));
    const after = prices(anttisahla.extract({ ...page, body: scalePrices(page.body, '3') }));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [key, usd] of Object.entries(before)) expect(after[key]).toBe(multiply(usd, '3'));
    expect(after[img('high')]).toBe('0.21');
  });

  it('dates shifted', () => {
    const body = page.body
      .replace('2025-10-01', '2025-11-03')
      .replace('datetime="2026-04-04">April 4, 2026', 'datetime="2026-04-18">April 18, 2026');
    const x = anttisahla.extract({ ...page, body });
    expect(only(x, 'release_date').value).toEqual({ kind: 'date', date: '2025-11-03', precision: 'day', approximate: true });
    expect(x.statedAsOf).toEqual({ kind: 'date', date: '2026-04-18', precision: 'day' });
  });

  it('a context window stated as a number is a count, not "not applicable"', () => {
    const body = page.body.replace('data-field="contextWindow">0<', 'data-field="contextWindow">32,000<');
    const x = anttisahla.extract({ ...page, body });
    expect(only(x, 'context_window').value).toEqual({ kind: 'count', count: 32000 });
  });

  it('a price line it cannot read is a problem, not a silent gap', () => {
    const body = page.body.replace('High quality: $0.07 per image', 'High quality: $0.07 per batch of images');
    const x = anttisahla.extract({ ...page, body });
    expect(Object.keys(prices(x))).toHaveLength(2);
    expect(x.problems).toHaveLength(1);
    expect(x.problems![0]!.excerpt).toContain('$0.07 per batch');
  });
});

describe('anttisahla: a page missing a part it needs throws LayoutError', () => {
  const page = replayPage('2026-W17', url('gpt-image-1-mini'));
  const without = (remove: (q: cheerio.CheerioAPI) => void): Page => {
    const $ = cheerio.load(page.body);
    remove($);
    return { ...page, body: $.html() };
  };
  const expectLayoutError = (p: Page, part: RegExp) => {
    let error: unknown;
    try {
      anttisahla.extract(p);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LayoutError);
    const e = error as LayoutError;
    expect(e.sourceId).toBe('anttisahla');
    expect(e.url).toBe(page.url);
    expect(e.part).toMatch(part);
  };

  it('pricing section removed', () => {
    expectLayoutError(
      without(($) => {
        const h = $('h2').filter((_, el) => /pricing/i.test($(el).text()));
        h.nextUntil('h2').remove();
        h.remove();
      }),
      /pricing section/,
    );
  });

  it('price list emptied', () => {
    expectLayoutError(
      without(($) => $('ul.price-list').remove()),
      /price list/,
    );
  });

  it('spec list removed', () => {
    expectLayoutError(
      without(($) => $('dl').remove()),
      /spec list/,
    );
  });

  it('title removed', () => {
    expectLayoutError(
      without(($) => $('h1').remove()),
      /model title/,
    );
  });
});

describe('anttisahla: discovery from the catalog index', () => {
  const discovered = (week: string) => anttisahla.index.discover(replayPage(week, INDEX));

  it('returns the model profile URLs, not navigation, filters or feeds', () => {
    expect(anttisahla.index.urls).toEqual([INDEX]);
    expect(discovered('2026-W16')).toEqual(MODELS_IN['2026-W16'].map(url));
    expect(discovered('2026-W17')).toEqual(MODELS_IN['2026-W17'].map(url));
  });

  it('W17 adds imagen-4-fast to the index', () => {
    const w16 = new Set(discovered('2026-W16'));
    expect(discovered('2026-W17').filter((u) => !w16.has(u))).toEqual([url('imagen-4-fast')]);
  });

  it('every discovered page is in the same week’s replay archive', () => {
    for (const week of WEEKS) for (const u of discovered(week)) expect(() => replayPage(week, u)).not.toThrow();
  });

  it('an index without model links throws LayoutError', () => {
    const page = replayPage('2026-W17', INDEX);
    const $ = cheerio.load(page.body);
    $('ul.model-grid').remove();
    expect(() => anttisahla.index.discover({ ...page, body: $.html() })).toThrow(LayoutError);
  });
});
