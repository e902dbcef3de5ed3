import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { llmStats } from '../extractors/llm-stats.js';
import { multiply } from '../schema/decimal.js';
import { Observation } from '../schema/observation.js';
import { only, prices, replayPage } from './helpers/extraction.js';

const WEEKS = ['2026-W16', '2026-W17'] as const;
const INDEX = 'https://llm-stats.com/models';
const url = (slug: string) => `${INDEX}/${slug}`;
const SLUGS = ['gpt-image-1-mini', 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3', 'imagen-4-fast'];

/** A page as the replay archive serves it: looked up by URL in the week's manifest. */



/** A per-image price with no quality or size, on the route the page names. */
const img = (route: string) => `route=${route};unit=per_image;direction=output;modality=image`;

const day = (date: string) => ({ kind: 'date', date, precision: 'day' }) as const;
const month = (date: string) => ({ kind: 'date', date, precision: 'month' }) as const;
const proprietary = (commercialUse: 'non-commercial' | 'allowed') => ({ kind: 'license', name: 'Proprietary', commercialUse }) as const;

interface Expected {
  org: string;
  release: Record<(typeof WEEKS)[number], Observation['value']>;
  license: Observation['value'];
  input: string[];
  prices: Record<string, string>;
}

const EXPECTED: Record<string, Expected> = {
  'gpt-image-1-mini': {
    org: 'OpenAI',
    release: { '2026-W16': month('2025-01'), '2026-W17': month('2025-01') },
    license: proprietary('non-commercial'),
    input: ['image', 'text'],
    prices: { [img('OpenAI')]: '0.01' },
  },
  'gpt-image-1': {
    org: 'OpenAI',
    // the planted correction: "March 2025" in W16, "April 23, 2025" in W17
    release: { '2026-W16': month('2025-03'), '2026-W17': day('2025-04-23') },
    license: proprietary('non-commercial'),
    input: ['image', 'text'],
    prices: { [img('OpenAI')]: '0.011', [img('Azure')]: '0.011' },
  },
  'gpt-image-1.5': {
    org: 'OpenAI',
    release: { '2026-W16': day('2025-12-16'), '2026-W17': day('2025-12-16') },
    license: proprietary('non-commercial'),
    input: ['image', 'text'],
    prices: { [img('OpenAI')]: '0.009' },
  },
  'dall-e-3': {
    org: 'OpenAI',
    release: { '2026-W16': day('2023-11-06'), '2026-W17': day('2023-11-06') },
    license: proprietary('non-commercial'),
    input: ['text'],
    prices: { [img('OpenAI')]: '0.04' },
  },
  'imagen-4-fast': {
    org: 'Google',
    release: { '2026-W16': month('2025-06'), '2026-W17': month('2025-06') },
    license: proprietary('allowed'),
    input: ['text'],
    prices: { [img('Google')]: '0.02' },
  },
};

describe('llm-stats: every fixture week yields what the pages state', () => {
  for (const week of WEEKS) {
    for (const slug of SLUGS) {
      it(`${week} ${slug}`, () => {
        const want = EXPECTED[slug]!;
        const x = llmStats.extract(replayPage(week, url(slug)));
        for (const o of x.observations) {
          expect(() => Observation.parse(o)).not.toThrow();
          expect(o.model).toBe(slug);
          expect(o.creator).toBe(want.org);
          expect(o.excerpt.trim().length).toBeGreaterThan(0);
          expect(o.locator).toMatch(/^__NEXT_DATA__ \$\.props\.pageProps\.model\./);
        }
        // payload and visible page agree on every fixture page
        expect(x.problems).toBeUndefined();
        expect(x.statedAsOf).toBeUndefined();
        expect(only(x, 'organization').value).toEqual({ kind: 'text', text: want.org });
        expect(only(x, 'release_date').value).toEqual(want.release[week]);
        expect(only(x, 'license').value).toEqual(want.license);
        expect(only(x, 'input_modalities').value).toEqual({ kind: 'list', items: want.input });
        expect(only(x, 'output_modalities').value).toEqual({ kind: 'list', items: ['image'] });
        expect(prices(x)).toEqual(want.prices);
        for (const attribute of llmStats.requiredAttributes) {
          expect(x.observations.some((o) => o.attribute === attribute)).toBe(true);
        }
      });
    }
  }

  it('gpt-image-1-mini (W17 = seed 004): the excerpts are the sentences a reader sees', () => {
    const x = llmStats.extract(replayPage('2026-W17', url('gpt-image-1-mini')));
    expect(only(x, 'release_date').excerpt).toBe(
      'GPT Image 1 Mini is a image generation model from OpenAI, released in January 2025.',
    );
    const price = only(x, 'price');
    expect(price.value).toEqual({ kind: 'money', usd: '0.01' });
    expect(price.qualifiers).toEqual({ route: 'OpenAI', unit: 'per_image', direction: 'output', modality: 'image' });
    expect(price.excerpt).toBe('GPT Image 1 Mini starts at $0.0100 per generated image via OpenAI.');
    expect(only(x, 'license').excerpt).toBe(
      'GPT Image 1 Mini is released under the Proprietary license, which restricts commercial use.',
    );
    expect(only(x, 'input_modalities').excerpt).toContain('accepts both text and image inputs, and produces image outputs');
  });

  it('a second provider takes its excerpt from its own table row', () => {
    const x = llmStats.extract(replayPage('2026-W17', url('gpt-image-1')));
    const azure = x.observations.find((o) => o.attribute === 'price' && o.qualifiers.route === 'Azure')!;
    expect(azure.excerpt).toBe('Azure | $0.0110 | —');
  });

  it('the test-only copy under fixtures/pages is the W17 replay page', () => {
    const copy = readFileSync('fixtures/sources/llm-stats/gpt-image-1-mini.html', 'utf8');
    expect(copy).toBe(replayPage('2026-W17', url('gpt-image-1-mini')).body);
  });
});

const NEXT_DATA = /(<script id="__NEXT_DATA__" type="application\/json">)([\s\S]*?)(<\/script>)/;

/** Rewrites the inlined payload (a JSON value) with `edit`. */
function editPayload(html: string, edit: (data: Record<string, unknown>) => void): string {
  return html.replace(NEXT_DATA, (_, open: string, json: string, close: string) => {
    const data = JSON.parse(json) as Record<string, unknown>;
    edit(data);
    return `${open}${JSON.stringify(data)}${close}`;
  });
}

/** Every price on the page times `factor`: dollar amounts in the text and price fields in the payload. */
function scalePrices(html: string, factor: string): string {
  const scaleJson = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(scaleJson);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const [k, val] of Object.entries(o)) {
        if (/price/.test(k) && typeof val === 'number') o[k] = Number(multiply(String(val), factor));
        else scaleJson(val);
      }
    }
  };
  const text = html.replace(/\$(\d+(?:\.\d+)?)/g, (_, amount: string) => `$${multiply(amount, factor)}`);
  return editPayload(text, scaleJson);
}

const model = (data: Record<string, unknown>) =>
  ((data.props as Record<string, unknown>).pageProps as Record<string, unknown>).model as Record<string, unknown>;

describe('llm-stats: changed values on the same page are read as changed', () => {
  const page = replayPage('2026-W17', url('gpt-image-1-mini'));

  it('prices multiplied by 3', () => {
    const x = llmStats.extract({ ...page, body: scalePrices(page.body, '3') });
    expect(prices(x)).toEqual({ [img('OpenAI')]: '0.03' });
    expect(x.problems).toBeUndefined();
    expect(only(x, 'price').excerpt).toBe('GPT Image 1 Mini starts at $0.03 per generated image via OpenAI.');
  });

  it('prices multiplied by 3 on a two-provider page', () => {
    const two = replayPage('2026-W17', url('gpt-image-1'));
    const before = prices(llmStats.extract(two));
    const after = prices(llmStats.extract({ ...two, body: scalePrices(two.body, '3') }));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [key, usd] of Object.entries(before)) expect(after[key]).toBe(multiply(usd, '3'));
  });

  it('release date shifted, at the precision stated', () => {
    const body = editPayload(page.body.replace('released in January 2025', 'released in February 2025'), (d) => {
      model(d).release_date = '2025-02';
    });
    const x = llmStats.extract({ ...page, body });
    expect(only(x, 'release_date').value).toEqual(month('2025-02'));
    expect(x.problems).toBeUndefined();
  });

  it('payload and visible page disagreeing on a price: payload kept, disagreement recorded', () => {
    const body = editPayload(page.body, (d) => {
      ((model(d).providers as Record<string, unknown>[])[0]!).price_per_image = 0.011;
    });
    const x = llmStats.extract({ ...page, body });
    expect(prices(x)).toEqual({ [img('OpenAI')]: '0.011' });
    expect(x.problems).toHaveLength(1);
    expect(x.problems![0]!.message).toMatch(/0\.011.*\$0\.0100/);
    // the summary sentence states another amount, so the excerpt is the table row
    expect(only(x, 'price').excerpt).toBe('OpenAI | $0.0100 | —');
  });

  it('payload and visible page disagreeing on the release date is recorded', () => {
    const body = page.body.replace('released in January 2025', 'released on January 1, 2025');
    const x = llmStats.extract({ ...page, body });
    expect(only(x, 'release_date').value).toEqual(month('2025-01'));
    expect(x.problems?.map((p) => p.locator)).toEqual(['__NEXT_DATA__ $.props.pageProps.model.release_date']);
  });

  it('commercial use from the payload flag, cross-checked against the licence section', () => {
    const body = editPayload(page.body, (d) => {
      (model(d).license as Record<string, unknown>).commercial_use = true;
    });
    const x = llmStats.extract({ ...page, body });
    expect(only(x, 'license').value).toEqual(proprietary('allowed'));
    expect(x.problems?.[0]?.locator).toMatch(/license\.commercial_use$/);
  });
});

describe('llm-stats: a page missing a part it needs throws LayoutError', () => {
  const page = replayPage('2026-W17', url('gpt-image-1-mini'));
  const layoutError = (body: string): LayoutError => {
    try {
      llmStats.extract({ ...page, body });
    } catch (err) {
      expect(err).toBeInstanceOf(LayoutError);
      const e = err as LayoutError;
      expect(e.sourceId).toBe('llm-stats');
      expect(e.url).toBe(page.url);
      return e;
    }
    throw new Error('expected a LayoutError');
  };

  it('__NEXT_DATA__ payload removed', () => {
    expect(layoutError(page.body.replace(NEXT_DATA, '')).part).toBe('__NEXT_DATA__ payload');
  });

  it('payload that is not JSON keeps the parse error as its cause', () => {
    const e = layoutError(page.body.replace(NEXT_DATA, '$1{"props":$3'));
    expect(e.part).toMatch(/not JSON/);
    expect(e.cause).toBeInstanceOf(SyntaxError);
  });

  it('model object removed from the payload', () => {
    const body = editPayload(page.body, (d) => {
      delete ((d.props as Record<string, unknown>).pageProps as Record<string, unknown>).model;
    });
    expect(layoutError(body).part).toBe('__NEXT_DATA__ model');
  });

  it('providers (the pricing data) removed from the payload', () => {
    const body = editPayload(page.body, (d) => {
      delete model(d).providers;
    });
    expect(layoutError(body).part).toBe('__NEXT_DATA__ model.providers');
  });
});

describe('llm-stats: discovery from the models index', () => {
  const discovered = (week: string) => llmStats.index.discover(replayPage(week, INDEX));

  it('returns the model page URLs from the payload list, not the header’s trending links', () => {
    expect(llmStats.index.urls).toEqual([INDEX]);
    for (const week of WEEKS) {
      expect(discovered(week)).toEqual(SLUGS.map(url));
      expect(discovered(week)).not.toContain(url('gpt-5'));
    }
  });

  it('W16 and W17 list the same models (the change between them is a date, not the index)', () => {
    expect(discovered('2026-W17')).toEqual(discovered('2026-W16'));
  });

  it('every discovered page is in the same week’s replay archive', () => {
    for (const week of WEEKS) for (const u of discovered(week)) expect(() => replayPage(week, u)).not.toThrow();
  });

  it('an index whose payload lost its model list throws LayoutError', () => {
    const page = replayPage('2026-W17', INDEX);
    const body = editPayload(page.body, (d) => {
      delete ((d.props as Record<string, unknown>).pageProps as Record<string, unknown>).models;
    });
    expect(() => llmStats.index.discover({ ...page, body })).toThrow(LayoutError);
  });
});
