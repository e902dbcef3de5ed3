import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { LayoutError, type Page } from '../extractors/contract.js';
import { llmreferenceModel } from '../extractors/llmreference-model.js';
import { Observation } from '../schema/observation.js';
import { fixture, shiftDates, triplePrices, usd, valueOf, VERCEL, type Q } from './helpers/llmreference.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
const SLUGS = ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3', 'imagen-4-fast'];
const MINI_URL = 'https://llmreference.com/model/gpt-image-1-mini';

function modelPage(week: string, slug: string, body = fixture(week, `model/${slug}.html`)): Page {
  return { url: `https://llmreference.com/model/${slug}`, body, contentType: 'text/html', fetchedAt: '2026-04-20T06:00:00.000Z' };
}

function withoutSection(html: string, heading: RegExp): string {
  const $ = cheerio.load(html);
  const section = $('section').filter((_, s) => heading.test($(s).children('h2').first().text()));
  expect(section.length).toBe(1);
  section.remove();
  return $.html();
}

const tokens = (route: string, direction: string): Q => ({ route, unit: 'per_1m_tokens', direction } as Q);
const perImage = (quality: string): Q =>
  ({ unit: 'per_image', direction: 'output', modality: 'image', quality, size: '1024x1024' }) as Q;

/** The seed page's facts, as this source must state them. */
function expectSeedFacts(observations: Observation[]) {
  expect(valueOf(observations, 'release_date')).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
  expect(valueOf(observations, 'family')).toEqual({ kind: 'text', text: 'GPT Image' });
  expect(valueOf(observations, 'architecture')).toEqual({ kind: 'text', text: 'Autoregressive Image' });
  expect(valueOf(observations, 'specialization')).toEqual({ kind: 'text', text: 'image-generation' });
  expect(valueOf(observations, 'openness')).toEqual({ kind: 'text', text: 'Proprietary' });
  expect(valueOf(observations, 'license')).toEqual({ kind: 'license', name: 'Proprietary', commercialUse: 'conditional' });
  expect(valueOf(observations, 'input_modalities')).toEqual({ kind: 'list', items: ['image', 'text'] });
  expect(valueOf(observations, 'output_modalities')).toEqual({ kind: 'list', items: ['image'] });
  expect(valueOf(observations, 'price', tokens(VERCEL, 'input'))).toEqual(usd('2'));
  expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('8'));
  expect(valueOf(observations, 'price', tokens(VERCEL, 'cache_read'))).toEqual(usd('0.2'));
  expect(valueOf(observations, 'price', perImage('low'))).toEqual(usd('0.005'));
  expect(valueOf(observations, 'price', perImage('medium'))).toEqual(usd('0.011'));
  expect(valueOf(observations, 'price', perImage('high'))).toEqual(usd('0.036'));
  expect(valueOf(observations, 'gateway_count')).toEqual({ kind: 'count', count: 15 });
  // "OpenAI API | - | - | -": absent, so nothing at all for that route
  expect(observations.filter((o) => o.qualifiers.route === 'OpenAI API')).toEqual([]);
  // nothing beyond the facts above: 8 specs, 3 ladder prices, 3 per-image prices, 1 count
  expect(observations).toHaveLength(15);
}

describe('llmreference-model: replay fixtures', () => {
  for (const week of WEEKS) {
    it(`${week}: gpt-image-1-mini states the seed facts with qualifiers, locators and excerpts`, () => {
      const { observations, problems, statedAsOf } = llmreferenceModel.extract(modelPage(week, 'gpt-image-1-mini'));
      expect(problems).toEqual([]);
      expect(statedAsOf).toBeUndefined(); // model pages state no refresh date
      expectSeedFacts(observations);
      for (const o of observations) {
        expect(o.model).toBe('gpt-image-1-mini');
        expect(o.creator).toBe('OpenAI');
        expect(o.excerpt.trim()).not.toBe('');
        expect(o.locator.trim()).not.toBe('');
      }
      // excerpts are the page text the value came from
      const cache = observations.find((o) => o.qualifiers.direction === 'cache_read')!;
      expect(cache.excerpt).toContain('read $0.200');
      const high = observations.find((o) => o.qualifiers.quality === 'high')!;
      expect(high.excerpt).toContain('$0.005/$0.011/$0.036 (low/medium/high, 1024×1024)');
      expect(observations.find((o) => o.attribute === 'gateway_count')!.excerpt).toContain('(15)');
    });

    it(`${week}: every model page extracts cleanly with the required attributes`, () => {
      for (const slug of SLUGS) {
        const { observations, problems } = llmreferenceModel.extract(modelPage(week, slug));
        expect(problems, slug).toEqual([]);
        const attributes = new Set(observations.map((o) => o.attribute));
        for (const required of llmreferenceModel.requiredAttributes) expect(attributes, `${slug} ${required}`).toContain(required);
        for (const o of observations) expect(o.excerpt.length, `${slug} ${o.attribute}`).toBeGreaterThan(0);
      }
    });
  }

  it('the planted change: gpt-image-1 output on Vercel AI Gateway drops from $40 to $32, the OpenAI API route stays', () => {
    const [w16, w17] = WEEKS.map((w) => llmreferenceModel.extract(modelPage(w, 'gpt-image-1')).observations);
    expect(valueOf(w16!, 'price', tokens(VERCEL, 'output'))).toEqual(usd('40'));
    expect(valueOf(w17!, 'price', tokens(VERCEL, 'output'))).toEqual(usd('32'));
    expect(valueOf(w16!, 'price', tokens('OpenAI API', 'output'))).toEqual(usd('40'));
    expect(valueOf(w17!, 'price', tokens('OpenAI API', 'output'))).toEqual(usd('40'));
    // the stale hydration data in __NEXT_DATA__ still says 40: scripts are not content
    expect(fixture('2026-W17', 'model/gpt-image-1.html')).toMatch(/"o": 40\.0/);
  });

  it('keeps a month-precision release date and a flat per-image price as stated (imagen-4-fast)', () => {
    const { observations } = llmreferenceModel.extract(modelPage('2026-W17', 'imagen-4-fast'));
    expect(valueOf(observations, 'release_date')).toEqual({ kind: 'date', date: '2025-06', precision: 'month' });
    expect(valueOf(observations, 'price', { unit: 'per_image', direction: 'output', modality: 'image' } as Q)).toEqual(usd('0.02'));
    expect(valueOf(observations, 'license')).toEqual({ kind: 'license', name: 'Proprietary', commercialUse: 'allowed' });
    expect(observations.every((o) => o.creator === 'Google')).toBe(true);
  });

  it('reads standard/hd per-image prices (dall-e-3) and emits no token price for an all-"-" ladder', () => {
    const { observations } = llmreferenceModel.extract(modelPage('2026-W17', 'dall-e-3'));
    expect(valueOf(observations, 'price', perImage('standard'))).toEqual(usd('0.04'));
    expect(valueOf(observations, 'price', perImage('hd'))).toEqual(usd('0.08'));
    expect(observations.filter((o) => o.qualifiers.unit === 'per_1m_tokens')).toEqual([]);
  });
});

describe('llmreference-model: changed pages', () => {
  it('prices times three and dates shifted give the changed values', () => {
    const body = shiftDates(triplePrices(fixture('2026-W17', 'model/gpt-image-1-mini.html')), 31);
    const { observations, problems } = llmreferenceModel.extract(modelPage('2026-W17', 'gpt-image-1-mini', body));
    expect(problems).toEqual([]);
    expect(valueOf(observations, 'release_date')).toEqual({ kind: 'date', date: '2025-11-06', precision: 'day' });
    expect(valueOf(observations, 'price', tokens(VERCEL, 'input'))).toEqual(usd('6'));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('24'));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'cache_read'))).toEqual(usd('0.6'));
    expect(valueOf(observations, 'price', perImage('low'))).toEqual(usd('0.015'));
    expect(valueOf(observations, 'price', perImage('medium'))).toEqual(usd('0.033'));
    expect(valueOf(observations, 'price', perImage('high'))).toEqual(usd('0.108'));
  });

  it('finds ladder columns by their headers, not their position', () => {
    const $ = cheerio.load(fixture('2026-W17', 'model/gpt-image-1-mini.html'));
    // swap the Input and Output columns
    $('table.ladder tr').each((_, tr) => {
      const cells = $(tr).children();
      cells.eq(2).insertBefore(cells.eq(1));
    });
    const { observations } = llmreferenceModel.extract(modelPage('2026-W17', 'gpt-image-1-mini', $.html()));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'input'))).toEqual(usd('2'));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('8'));
  });

  it('a page without the price ladder throws LayoutError naming source, URL and part', () => {
    const body = withoutSection(fixture('2026-W17', 'model/gpt-image-1-mini.html'), /price ladder/i);
    const error = (() => {
      try {
        llmreferenceModel.extract(modelPage('2026-W17', 'gpt-image-1-mini', body));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(LayoutError);
    expect(error).toMatchObject({ sourceId: 'llmreference-model', url: MINI_URL, part: 'provider price ladder' });
  });

  it('a value that does not parse becomes a problem, the rest is still read', () => {
    const body = fixture('2026-W17', 'model/gpt-image-1-mini.html').replace(
      '<time datetime="2025-10-06">2025-10-06</time>',
      'coming soon',
    );
    const { observations, problems } = llmreferenceModel.extract(modelPage('2026-W17', 'gpt-image-1-mini', body));
    expect(valueOf(observations, 'release_date')).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems![0]!.excerpt).toContain('coming soon');
    expect(valueOf(observations, 'family')).toEqual({ kind: 'text', text: 'GPT Image' });
  });
});

describe('llmreference-model: discovery', () => {
  it('the index is the /models directory', () => {
    expect(llmreferenceModel.index.urls).toEqual(['https://llmreference.com/models']);
  });

  for (const week of WEEKS) {
    it(`${week}: discover() returns the five model pages, not route, compare or sidebar links`, () => {
      const page: Page = {
        url: 'https://llmreference.com/models',
        body: fixture(week, 'models/_index.html'),
        contentType: 'text/html',
        fetchedAt: '2026-04-20T06:00:00.000Z',
      };
      expect(llmreferenceModel.index.discover(page)).toEqual(SLUGS.map((s) => `https://llmreference.com/model/${s}`));
    });

    it(`${week}: every discovered page is in the replay manifest`, () => {
      const manifest = JSON.parse(fixture(week, '../../manifest.json')) as { entries: { url: string }[] };
      const urls = new Set(manifest.entries.map((e) => e.url));
      expect(urls).toContain('https://llmreference.com/models');
      for (const slug of SLUGS) expect(urls).toContain(`https://llmreference.com/model/${slug}`);
    });
  }

  it('an index page without model links throws LayoutError', () => {
    const $ = cheerio.load(fixture('2026-W17', 'models/_index.html'));
    $('table.directory').remove();
    const page: Page = { url: 'https://llmreference.com/models', body: $.html(), contentType: 'text/html', fetchedAt: '2026-04-20T06:00:00.000Z' };
    expect(() => llmreferenceModel.index.discover(page)).toThrow(LayoutError);
  });
});
