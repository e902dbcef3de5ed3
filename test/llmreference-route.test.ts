import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { LayoutError, type Page } from '../extractors/contract.js';
import { llmreferenceRoute } from '../extractors/llmreference-route.js';
import { fixture, shiftDates, triplePrices, usd, valueOf, VERCEL, type Q } from './helpers/llmreference.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
/** Route pages in the replay fixtures: the provider pages list exactly these. */
const ROUTES = {
  'vercel-ai-gateway': ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5'],
  'openai-api': ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3'],
} as const;
const MINI_VERCEL_URL = 'https://llmreference.com/model/gpt-image-1-mini/vercel-ai-gateway';

function routePage(week: string, route: string, body = fixture(week, `model/${route}.html`)): Page {
  return { url: `https://llmreference.com/model/${route}`, body, contentType: 'text/html', fetchedAt: '2026-04-20T06:00:00.000Z' };
}

const tokens = (route: string, direction: string, tier?: string): Q =>
  ({ route, unit: 'per_1m_tokens', direction, ...(tier ? { tier } : {}) }) as Q;

describe('llmreference-route: replay fixtures', () => {
  for (const [week, refreshed] of [
    ['2026-W16', '2026-04-10'],
    ['2026-W17', '2026-05-22'],
  ] as const) {
    it(`${week}: gpt-image-1-mini on Vercel AI Gateway states the seed facts`, () => {
      const { observations, problems, statedAsOf } = llmreferenceRoute.extract(routePage(week, 'gpt-image-1-mini/vercel-ai-gateway'));
      expect(problems).toEqual([]);
      // the provider's model id, distinct from the site's slug
      expect(valueOf(observations, 'provider_model_id', { route: VERCEL })).toEqual({ kind: 'text', text: 'openai/gpt-image-1-mini' });
      expect(valueOf(observations, 'price', tokens(VERCEL, 'input'))).toEqual(usd('2'));
      expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('8'));
      expect(valueOf(observations, 'price', tokens(VERCEL, 'cache_read'))).toEqual(usd('0.2'));
      // "Batch: Not sourced" is absent, not zero
      expect(observations.filter((o) => o.qualifiers.tier !== undefined)).toEqual([]);
      expect(valueOf(observations, 'release_date')).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
      expect(valueOf(observations, 'architecture')).toEqual({ kind: 'text', text: 'autoregressive' });
      const updated = { kind: 'date', date: refreshed, precision: 'day' };
      expect(statedAsOf).toEqual(updated);
      expect(valueOf(observations, 'page_updated', { route: VERCEL })).toEqual(updated);
      expect(observations).toHaveLength(7);
      for (const o of observations) {
        expect(o.model).toBe('gpt-image-1-mini');
        expect(o.creator).toBe('OpenAI');
        expect(o.excerpt.trim()).not.toBe('');
      }
      const byAttr = (a: string) => observations.find((o) => o.attribute === a)!;
      expect(byAttr('provider_model_id').excerpt).toBe('Model ID: openai/gpt-image-1-mini');
      expect(byAttr('page_updated').excerpt).toContain(`Last refreshed ${refreshed}`);
      expect(observations.find((o) => o.qualifiers.direction === 'cache_read')!.excerpt).toContain('read $0.20');
    });

    it(`${week}: every route page extracts cleanly with a provider model id`, () => {
      for (const [provider, slugs] of Object.entries(ROUTES)) {
        for (const slug of slugs) {
          const { observations, problems, statedAsOf } = llmreferenceRoute.extract(routePage(week, `${slug}/${provider}`));
          expect(problems, `${slug}/${provider}`).toEqual([]);
          expect(statedAsOf?.date).toBe(refreshed);
          for (const required of llmreferenceRoute.requiredAttributes)
            expect(observations.map((o) => o.attribute), `${slug}/${provider}`).toContain(required);
        }
      }
    });
  }

  it('the planted change: gpt-image-1 output on Vercel AI Gateway drops from $40 to $32', () => {
    const [w16, w17] = WEEKS.map((w) => llmreferenceRoute.extract(routePage(w, 'gpt-image-1/vercel-ai-gateway')).observations);
    expect(valueOf(w16!, 'price', tokens(VERCEL, 'output'))).toEqual(usd('40'));
    expect(valueOf(w17!, 'price', tokens(VERCEL, 'output'))).toEqual(usd('32'));
    expect(valueOf(w17!, 'price', tokens(VERCEL, 'input'))).toEqual(usd('5'));
    expect(valueOf(w17!, 'provider_model_id', { route: VERCEL })).toEqual({ kind: 'text', text: 'openai/gpt-image-1' });
  });

  it('reads labelled batch prices as the batch tier (gpt-image-1 on OpenAI API)', () => {
    const { observations } = llmreferenceRoute.extract(routePage('2026-W17', 'gpt-image-1/openai-api'));
    expect(valueOf(observations, 'price', tokens('OpenAI API', 'input', 'batch'))).toEqual(usd('2.5'));
    expect(valueOf(observations, 'price', tokens('OpenAI API', 'output', 'batch'))).toEqual(usd('20'));
    expect(valueOf(observations, 'price', tokens('OpenAI API', 'output'))).toEqual(usd('40'));
    expect(valueOf(observations, 'provider_model_id', { route: 'OpenAI API' })).toEqual({ kind: 'text', text: 'gpt-image-1' });
  });

  it('a route whose prices are "-" and "Not sourced" yields no price at all', () => {
    const { observations } = llmreferenceRoute.extract(routePage('2026-W17', 'gpt-image-1-mini/openai-api'));
    expect(observations.filter((o) => o.attribute === 'price')).toEqual([]);
    expect(valueOf(observations, 'provider_model_id', { route: 'OpenAI API' })).toEqual({ kind: 'text', text: 'gpt-image-1-mini' });
  });
});

describe('llmreference-route: changed pages', () => {
  it('prices times three and dates shifted give the changed values', () => {
    const body = shiftDates(triplePrices(fixture('2026-W17', 'model/gpt-image-1-mini/vercel-ai-gateway.html')), 10);
    const { observations, problems, statedAsOf } = llmreferenceRoute.extract(routePage('2026-W17', 'gpt-image-1-mini/vercel-ai-gateway', body));
    expect(problems).toEqual([]);
    expect(valueOf(observations, 'price', tokens(VERCEL, 'input'))).toEqual(usd('6'));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('24'));
    expect(valueOf(observations, 'price', tokens(VERCEL, 'cache_read'))).toEqual(usd('0.6'));
    expect(valueOf(observations, 'release_date')).toEqual({ kind: 'date', date: '2025-10-16', precision: 'day' });
    expect(statedAsOf).toEqual({ kind: 'date', date: '2026-06-01', precision: 'day' });
    expect(valueOf(observations, 'page_updated', { route: VERCEL })).toEqual(statedAsOf);
  });

  it('a page without the pricing block throws LayoutError naming source, URL and part', () => {
    const $ = cheerio.load(fixture('2026-W17', 'model/gpt-image-1-mini/vercel-ai-gateway.html'));
    expect($('dl.price-stats').length).toBe(1);
    $('dl.price-stats').remove();
    let error: unknown;
    try {
      llmreferenceRoute.extract(routePage('2026-W17', 'gpt-image-1-mini/vercel-ai-gateway', $.html()));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LayoutError);
    expect(error).toMatchObject({ sourceId: 'llmreference-route', url: MINI_VERCEL_URL });
    expect((error as LayoutError).part).toMatch(/pricing block/);
  });

  it('reports a pricing table that disagrees with the pricing block', () => {
    const body = fixture('2026-W17', 'model/gpt-image-1-mini/vercel-ai-gateway.html').replace(
      '<tr><td>Output tokens</td><td>$8.00</td></tr>',
      '<tr><td>Output tokens</td><td>$9.00</td></tr>',
    );
    const { observations, problems } = llmreferenceRoute.extract(routePage('2026-W17', 'gpt-image-1-mini/vercel-ai-gateway', body));
    expect(problems).toHaveLength(1);
    expect(problems![0]!.message).toBe('pricing table says output 9, pricing block says 8');
    // the block's value is still the claim
    expect(valueOf(observations, 'price', tokens(VERCEL, 'output'))).toEqual(usd('8'));
  });
});

describe('llmreference-route: discovery', () => {
  it('the index is the provider pages', () => {
    expect(llmreferenceRoute.index.urls).toEqual([
      'https://llmreference.com/providers/vercel-ai-gateway',
      'https://llmreference.com/providers/openai-api',
    ]);
  });

  for (const week of WEEKS) {
    it(`${week}: discover() returns each provider's route pages and nothing else`, () => {
      for (const [provider, slugs] of Object.entries(ROUTES)) {
        const page: Page = {
          url: `https://llmreference.com/providers/${provider}`,
          body: fixture(week, `providers/${provider}.html`),
          contentType: 'text/html',
          fetchedAt: '2026-04-20T06:00:00.000Z',
        };
        expect(llmreferenceRoute.index.discover(page)).toEqual(slugs.map((s) => `https://llmreference.com/model/${s}/${provider}`));
      }
    });

    it(`${week}: every index and route page is in the replay manifest`, () => {
      const manifest = JSON.parse(fixture(week, '../../manifest.json')) as { entries: { url: string }[] };
      const urls = new Set(manifest.entries.map((e) => e.url));
      for (const index of llmreferenceRoute.index.urls) expect(urls).toContain(index);
      for (const [provider, slugs] of Object.entries(ROUTES))
        for (const slug of slugs) expect(urls).toContain(`https://llmreference.com/model/${slug}/${provider}`);
    });
  }

  it('a provider page without route links throws LayoutError', () => {
    const $ = cheerio.load(fixture('2026-W17', 'providers/vercel-ai-gateway.html'));
    $('table.routes').remove();
    const page: Page = {
      url: 'https://llmreference.com/providers/vercel-ai-gateway',
      body: $.html(),
      contentType: 'text/html',
      fetchedAt: '2026-04-20T06:00:00.000Z',
    };
    expect(() => llmreferenceRoute.index.discover(page)).toThrow(LayoutError);
  });
});
