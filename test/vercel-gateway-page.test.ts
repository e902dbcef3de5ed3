import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { Page } from '../extractors/contract.js';
import { vercelGatewayPage } from '../extractors/vercel-gateway-page.js';
import { multiply } from '../schema/decimal.js';
import { Observation } from '../schema/observation.js';
import { layoutError, only, prices, replayBody, replayEntries, replayPage } from './helpers/extraction.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
const SITE = 'https://vercel.com';
const BASE = `${SITE}/ai-gateway/models`;
const FETCHED_AT = '2026-04-20T06:00:00.000Z';

/**
 * Stands in for the browser until the browser test runs: executes the page's
 * inline providers script in a VM with a one-element `document` and a `fetch`
 * that serves the week's archive, then writes what the script rendered into
 * the container. Returns the resulting HTML and the URLs the script asked for.
 */
async function renderLikeBrowser(html: string, serve: (url: string) => string | undefined): Promise<{ html: string; requested: string[] }> {
  const $ = cheerio.load(html);
  const scripts = $('script:not([src])')
    .toArray()
    .map((s) => $(s).text())
    .filter((text) => text.includes('fetch('));
  expect(scripts).toHaveLength(1);
  const requested: string[] = [];
  const containers = new Map<string, { html?: string; attrs: Record<string, string> }>();
  const document = {
    getElementById(id: string) {
      if ($(`#${id}`).length === 0) return null;
      const state = { attrs: {} as Record<string, string>, html: undefined as string | undefined };
      containers.set(id, state);
      return {
        set innerHTML(value: string) {
          state.html = value;
        },
        setAttribute(name: string, value: string) {
          state.attrs[name] = value;
        },
      };
    },
  };
  const fetch = async (url: string) => {
    requested.push(url);
    const body = serve(new URL(url, `${SITE}/`).href);
    return { ok: body !== undefined, status: body === undefined ? 404 : 200, json: async () => JSON.parse(body!) as unknown };
  };
  vm.runInNewContext(scripts[0]!, { document, fetch });
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const [id, state] of containers) {
    if (state.html !== undefined) $(`#${id}`).html(state.html);
    for (const [name, value] of Object.entries(state.attrs)) $(`#${id}`).attr(name, value);
  }
  return { html: $.html(), requested };
}

/** The week's model page after its script ran against the week's endpoints JSON (optionally transformed). */
async function renderedPage(week: string, slug: string, transformJson: (json: string) => string = (j) => j): Promise<Page & { requested: string[] }> {
  const url = `${BASE}/${slug}`;
  const entries = replayEntries(week);
  const { html, requested } = await renderLikeBrowser(replayBody(week, url), (u) =>
    entries.some((e) => e.url === u) ? transformJson(replayBody(week, u)) : undefined,
  );
  return { url, body: html, contentType: 'text/html; charset=utf-8', fetchedAt: FETCHED_AT, requested };
}

const RENDERED_COPY = 'fixtures/sources/vercel-gateway-page/gpt-image-1-mini.rendered.html';
function renderedCopy(): Page {
  return { url: `${BASE}/gpt-image-1-mini`, body: readFileSync(RENDERED_COPY, 'utf8'), contentType: 'text/html', fetchedAt: FETCHED_AT };
}

const tok = (direction: string) => `route=vercel;unit=per_1m_tokens;direction=${direction}`;
const PER_IMAGE = 'route=vercel;unit=per_image;direction=output;modality=image';

const EXPECTED: Record<string, { model: string; creator: string; prices: Record<(typeof WEEKS)[number], Record<string, string>> }> = {
  'gpt-image-1-mini': {
    model: 'openai/gpt-image-1-mini',
    creator: 'OpenAI',
    prices: {
      '2026-W16': { [tok('input')]: '2', [tok('output')]: '8', [tok('cache_read')]: '0.2' },
      '2026-W17': { [tok('input')]: '2', [tok('output')]: '8', [tok('cache_read')]: '0.2' },
    },
  },
  // the planted change: the gateway's output price for gpt-image-1 drops from $40 to $32 in W17
  'gpt-image-1': {
    model: 'openai/gpt-image-1',
    creator: 'OpenAI',
    prices: {
      '2026-W16': { [tok('input')]: '5', [tok('output')]: '40', [tok('cache_read')]: '1.25' },
      '2026-W17': { [tok('input')]: '5', [tok('output')]: '32', [tok('cache_read')]: '1.25' },
    },
  },
  'gpt-image-1.5': {
    model: 'openai/gpt-image-1.5',
    creator: 'OpenAI',
    prices: {
      '2026-W16': { [tok('input')]: '5', [tok('output')]: '32', [tok('cache_read')]: '1.25' },
      '2026-W17': { [tok('input')]: '5', [tok('output')]: '32', [tok('cache_read')]: '1.25' },
    },
  },
  'imagen-4-fast': {
    model: 'google/imagen-4-fast',
    creator: 'Google',
    prices: { '2026-W16': { [PER_IMAGE]: '0.02' }, '2026-W17': { [PER_IMAGE]: '0.02' } },
  },
};

/** Every per-token price string in the endpoints JSON multiplied by `factor`, exactly. */
function scaleJsonPrices(json: string, factor: number): string {
  const body = JSON.parse(json) as { data: { endpoints: { pricing: Record<string, string | number> }[] } };
  for (const ep of body.data.endpoints) {
    for (const [k, v] of Object.entries(ep.pricing)) if (typeof v === 'string') ep.pricing[k] = multiply(v, factor);
  }
  return JSON.stringify(body);
}

describe('vercel-gateway-page', () => {
  it("declares itself as the gateway's own-route source that needs a browser", () => {
    expect(vercelGatewayPage).toMatchObject({
      id: 'vercel-gateway-page',
      authority: 'gateway',
      ownRoute: 'vercel',
      fetchMode: 'browser',
      hosts: ['vercel.com'],
    });
  });

  for (const week of WEEKS) {
    describe(week, () => {
      it('discovers the model pages on the models index', () => {
        expect(vercelGatewayPage.index.discover(replayPage(week, BASE))).toEqual([
          `${BASE}/gpt-image-1-mini`,
          `${BASE}/gpt-image-1`,
          `${BASE}/gpt-image-1.5`,
          `${BASE}/imagen-4-fast`,
        ]);
      });

      for (const [slug, expected] of Object.entries(EXPECTED)) {
        it(`${slug}: the plain HTTP body has no prices, so extraction refuses it`, () => {
          const page = replayPage(week, `${BASE}/${slug}`);
          expect(page.body).toContain(`fetch('/ai-gateway/api/models/${slug}/endpoints'`);
          // the table markup exists only inside the script, as a string it will render
          expect(cheerio.load(page.body)('table')).toHaveLength(0);
          expect(page.body).not.toContain('$2.00');
          const err = layoutError(() => vercelGatewayPage.extract(page));
          expect(err.sourceId).toBe('vercel-gateway-page');
          expect(err.url).toBe(`${BASE}/${slug}`);
          expect(err.part).toBe('providers pricing table');
        });

        it(`${slug}: the rendered page states the gateway's prices for its own route`, async () => {
          const page = await renderedPage(week, slug);
          // the script asks for a path on the page's own host, which is what lets replay serve it
          expect(page.requested).toEqual([`/ai-gateway/api/models/${slug}/endpoints`]);
          const x = vercelGatewayPage.extract(page);
          expect(prices(x)).toEqual(expected.prices[week]);
          expect(x.problems).toBeUndefined();
          for (const o of x.observations) {
            expect(() => Observation.parse(o)).not.toThrow();
            expect(o.model).toBe(expected.model);
            expect(o.creator).toBe(expected.creator);
            expect(o.excerpt.length).toBeGreaterThan(0);
            expect(o.locator.length).toBeGreaterThan(0);
          }
          expect(only(x, 'provider_model_id')).toMatchObject({ value: { kind: 'text', text: expected.model }, qualifiers: { route: 'vercel' } });
          expect(only(x, 'output_modalities').value).toEqual({ kind: 'list', items: ['image'] });
          expect(only(x, 'context_window').value).toEqual({ kind: 'not_applicable', stated: '0' });
        });
      }
    });
  }

  describe('the rendered DOM copy (what the browser produces for gpt-image-1-mini, W17)', () => {
    it('yields the seed prices: $2.00 input, $8.00 output, $0.20 cache read per 1M tokens on the vercel route', () => {
      const x = vercelGatewayPage.extract(renderedCopy());
      expect(prices(x)).toEqual({ [tok('input')]: '2', [tok('output')]: '8', [tok('cache_read')]: '0.2' });
      const input = x.observations.find((o) => o.qualifiers.direction === 'input')!;
      expect(input).toMatchObject({ model: 'openai/gpt-image-1-mini', creator: 'OpenAI', via: 'openai' });
      expect(input.excerpt).toContain('$2.00');
      expect(input.excerpt).toContain('Input / 1M');
      expect(input.locator).toContain('#providers-table');
    });

    it('matches what the page script renders from the W17 archive', async () => {
      const fromScript = vercelGatewayPage.extract(await renderedPage('2026-W17', 'gpt-image-1-mini'));
      expect(vercelGatewayPage.extract(renderedCopy())).toEqual(fromScript);
    });

    it('reads prices, not positions: every price tripled in the rendered table gives tripled values', () => {
      const page = renderedCopy();
      const body = page.body.replace(/\$(\d+(?:\.\d+)?)/g, (_, n: string) => `$${multiply(n, 3)}`);
      const x = vercelGatewayPage.extract({ ...page, body });
      expect(prices(x)).toEqual({ [tok('input')]: '6', [tok('output')]: '24', [tok('cache_read')]: '0.6' });
    });

    it('throws a LayoutError naming source, URL and part when the table is removed', () => {
      const page = renderedCopy();
      const $ = cheerio.load(page.body);
      $('#providers-table table').remove();
      const err = layoutError(() => vercelGatewayPage.extract({ ...page, body: $.html() }));
      expect(err).toMatchObject({ sourceId: 'vercel-gateway-page', url: page.url, part: 'providers pricing table' });
      expect(err.message).toContain(page.url);
    });

    it('records an unreadable price cell as a problem instead of dropping it', () => {
      const page = renderedCopy();
      const body = page.body.replace('<td>$8.00</td>', '<td>see docs</td>');
      const x = vercelGatewayPage.extract({ ...page, body });
      expect(x.problems).toHaveLength(1);
      expect(x.problems![0]!.locator).toContain('Output / 1M');
      expect(Object.keys(prices(x))).toEqual([tok('input'), tok('cache_read')]);
    });
  });

  it('every price tripled in the endpoints JSON renders and extracts as tripled values', async () => {
    for (const [slug, expected] of Object.entries(EXPECTED)) {
      const page = await renderedPage('2026-W17', slug, (json) => scaleJsonPrices(json, 3));
      const tripled = Object.fromEntries(Object.entries(expected.prices['2026-W17']).map(([k, v]) => [k, multiply(v, 3)]));
      expect(prices(vercelGatewayPage.extract(page))).toEqual(tripled);
    }
  });

  it('an archive miss for the endpoints JSON leaves no table, which is a LayoutError', async () => {
    const url = `${BASE}/gpt-image-1-mini`;
    const { html } = await renderLikeBrowser(replayBody('2026-W17', url), () => undefined);
    expect(html).toContain('Providers could not be loaded');
    expect(layoutError(() => vercelGatewayPage.extract({ url, body: html, contentType: 'text/html', fetchedAt: FETCHED_AT })).part).toBe(
      'providers pricing table',
    );
  });
});
