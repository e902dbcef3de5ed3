import { describe, expect, it } from 'vitest';
import type { Attribute } from '../schema/attributes.js';
import type { Claim, ExtractionIssue } from '../schema/observation.js';
import type { Value } from '../schema/values.js';
import { checkHealth, type HealthInput } from '../pipelines/normalize/health.js';

const FETCHED = '2026-04-20T06:00:00.000Z';

function claim(model: string, attribute: Attribute, value: Value, extra: Partial<Claim['qualifiers']> = {}): Claim {
  return {
    modelId: `openai/${model}`,
    attribute,
    qualifiers: attribute === 'price' ? { route: 'openai', unit: 'per_image', quality: 'low', ...extra } : extra,
    value,
    provenance: {
      sourceId: 'some-catalog',
      url: `https://catalog.example/models/${model}`,
      fetchedAt: FETCHED,
      excerpt: 'x',
      locator: 'td',
      extractorVersion: '1',
      pageHash: 'a'.repeat(64),
    },
  };
}

const price = (model: string, usd: string, quality: 'low' | 'high' = 'low') =>
  claim(model, 'price', { kind: 'money', usd }, { quality });
const released = (model: string, date: string, precision: 'day' | 'month' | 'year' = 'day') =>
  claim(model, 'release_date', { kind: 'date', date, precision });

/** Ten models, each with a low and high price and a release date. */
function catalog(scale: (usd: string) => string = (x) => x, models = 10): Claim[] {
  return Array.from({ length: models }, (_, i) => [
    price(`m${i}`, scale(`0.0${i + 1}`)),
    price(`m${i}`, scale(`0.${i + 1}`), 'high'),
    released(`m${i}`, `2025-0${(i % 9) + 1}-15`),
  ]).flat();
}

function input(claims: Claim[], previous: Claim[], more: Partial<HealthInput> = {}): HealthInput {
  return { sourceId: 'some-catalog', requiredAttributes: ['price', 'release_date'], claims, previous, ...more };
}

const checks = (i: HealthInput) => checkHealth(i).findings.map((f) => f.check);

describe('health checks', () => {
  it('passes a run that says what last week said, and a first run with no history', () => {
    expect(checkHealth(input(catalog(), catalog()))).toEqual({ ok: true, findings: [] });
    expect(checkHealth(input(catalog(), []))).toEqual({ ok: true, findings: [] });
  });

  it('fails a run with no claims at all', () => {
    const r = checkHealth(input([], catalog(), { pages: 3 }));
    expect(r.ok).toBe(false);
    expect(r.findings).toEqual([{ check: 'empty', message: 'no claims from 3 page(s) (last week: 30)' }]);
    expect(r.reason).toBe('health check failed: no claims from 3 page(s) (last week: 30)');
  });

  it('fails when the claim count falls by more than half, not by less', () => {
    expect(checks(input(catalog(undefined, 4), catalog()))).toContain('claim_count');
    expect(checkHealth(input(catalog(undefined, 4), catalog())).reason).toMatch(/claim count fell from 30 to 12 \(-60%, limit -50%\)/);
    expect(checks(input(catalog(undefined, 6), catalog()))).toEqual([]);
    // thresholds are options
    expect(checkHealth(input(catalog(undefined, 6), catalog()), { maxClaimDrop: 0.3 }).ok).toBe(false);
  });

  it('fails when a required attribute is stated for no model, or for far fewer than last week', () => {
    const noDates = catalog().filter((c) => c.attribute !== 'release_date');
    expect(checkHealth(input(noDates, [])).reason).toMatch(/required attribute release_date stated for no model/);
    // prices still there for all ten models, release dates for three: the date column moved
    const fewDates = catalog().filter((c) => c.attribute !== 'release_date' || ['openai/m0', 'openai/m1', 'openai/m2'].includes(c.modelId));
    const r = checkHealth(input(fewDates, catalog()));
    expect(r.findings.map((f) => f.message)).toEqual(['required attribute release_date stated for 3 models, last week 10 (limit -50%)']);
  });

  it('flags a price ×1000 or ÷1000 against last week for the same claim, but not an ordinary change', () => {
    const up = checkHealth(input(catalog((x) => (Number(x) * 1000).toString()), catalog()));
    expect(up.findings.filter((f) => f.check === 'price_jump')).toHaveLength(20);
    expect(up.reason).toMatch(/^health check failed: openai\/m0 price \(route=openai unit=per_image quality=low\) went from 0\.01 to 10 \(×100 or more: a unit slip\?\); .*; and 17 more$/);
    const down = [price('m0', '0.00001'), ...catalog().slice(1)];
    expect(checks(input(down, catalog()))).toEqual(['price_jump']);
    const tenfold = [price('m0', '0.1'), ...catalog().slice(1)];
    expect(checks(input(tenfold, catalog()))).toEqual([]);
    // a price going to zero (free) or a new key has nothing to compare with
    expect(checks(input([price('m0', '0'), price('new', '500'), ...catalog().slice(1)], catalog()))).toEqual([]);
  });

  it('flags negative values, including those the schema refused and normalization reported', () => {
    const negative = { ...price('m0', '0.01'), value: { kind: 'money', usd: '-0.01' } } as Claim;
    expect(checks(input([negative, ...catalog().slice(1)], catalog()))).toEqual(['negative']);
    const issue: ExtractionIssue = {
      sourceId: 'some-catalog',
      url: 'https://catalog.example/models/m3',
      message: 'invalid claim: value.usd: a price cannot be negative',
      detail: { observation: { model: 'm3', attribute: 'price', value: { kind: 'money', usd: '-2' } } },
    };
    const r = checkHealth(input(catalog(), catalog(), { issues: [issue] }));
    expect(r.findings).toEqual([{ check: 'negative', message: 'negative value for m3 price: -2' }]);
  });

  it('flags dates after the fetch, at the precision they are stated', () => {
    const at = (date: string, precision: 'day' | 'month' | 'year') => [released('m0', date, precision), ...catalog().slice(1)];
    expect(checks(input(at('2026-04-21', 'day'), []))).toEqual([]); // within a day: time zones
    expect(checks(input(at('2026-04-22', 'day'), []))).toEqual(['future_date']);
    expect(checks(input(at('2026-04', 'month'), []))).toEqual([]); // April contains the fetch day
    expect(checks(input(at('2026-05', 'month'), []))).toEqual(['future_date']);
    expect(checks(input(at('2026', 'year'), []))).toEqual([]);
    expect(checks(input(at('2027', 'year'), []))).toEqual(['future_date']);
    expect(checkHealth(input(at('2027', 'year'), [])).reason).toMatch(/date in the future for openai\/m0 release_date: 2027 \(fetched 2026-04-20\)/);
  });
});
