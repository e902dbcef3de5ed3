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

/** The ten-model sample stands for a catalog: the models-lost check applies to it. */
const CATALOG = { minModelsForDropCheck: 1 };
const checks = (i: HealthInput) => checkHealth(i, CATALOG).findings.map((f) => f.check);

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
    // 6 of 10 models left: the claim count is within limits, the model count is not
    expect(checks(input(catalog(undefined, 6), catalog()))).toEqual(['models_lost']);
    expect(checkHealth(input(catalog(undefined, 6), catalog()), { maxModelDrop: 0.5, minModelsForDropCheck: 1 }).ok).toBe(true);
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

  it('fails when many prices jump ×1000 or ÷1000 at once (a unit shift), not for one price or an ordinary change', () => {
    const up = checkHealth(input(catalog((x) => (Number(x) * 1000).toString()), catalog()));
    expect(up.findings.filter((f) => f.check === 'price_jump')).toHaveLength(20);
    expect(up.reason).toMatch(/^health check failed: openai\/m0 price \(route=openai unit=per_image quality=low\) went from 0\.01 to 10 \(×100 or more: a unit slip\?\); .*; and 17 more$/);
    const down = [price('m0', '0.00001'), price('m1', '0.00002'), price('m2', '0.00003'), price('m3', '0.00004'), price('m4', '0.00005'), ...catalog().slice(5)];
    expect(checks(input(down, catalog()))).toEqual(Array(5).fill('price_jump'));
    // one slipped price is a claim-level matter (normalize/claim-quarantine.ts), not the source's
    expect(checks(input([price('m0', '0.00001'), ...catalog().slice(1)], catalog()))).toEqual([]);
    const tenfold = [price('m0', '0.1'), ...catalog().slice(1)];
    expect(checks(input(tenfold, catalog()))).toEqual([]);
    // a price going to zero (free) or a new key has nothing to compare with
    expect(checks(input([price('m0', '0'), price('new', '500'), ...catalog().slice(1)], catalog()))).toEqual([]);
  });

  it('fails a catalog that loses more than 15 % of its models, not one that loses 10 %', () => {
    const r = checkHealth(input(catalog(undefined, 8), catalog()), CATALOG);
    expect(r.findings.map((f) => f.check)).toEqual(['models_lost']);
    // a site of ten pages losing two is not a catalog losing entries
    expect(checkHealth(input(catalog(undefined, 8), catalog())).ok).toBe(true);
    expect(r.reason).toMatch(/models stated fell from 10 to 8 \(-20%, limit -15%\)/);
    expect(checks(input(catalog(undefined, 9), catalog()))).toEqual([]);
  });

  it('fails when a share of last week\'s prices turn to 0, not when one does', () => {
    const many = Array.from({ length: 40 }, (_, i) => price(`p${i}`, '1'));
    const zeroed = many.map((c, i) => (i < 12 ? { ...c, value: { kind: 'money' as const, usd: '0' } } : c));
    const r = checkHealth(input(zeroed, many, { requiredAttributes: ['price'] }));
    expect(r.findings.map((f) => f.check)).toEqual(['prices_zeroed']);
    expect(r.reason).toMatch(/12 of 40 prices that were non-zero last week now read 0/);
    const one = many.map((c, i) => (i === 0 ? { ...c, value: { kind: 'money' as const, usd: '0' } } : c));
    expect(checkHealth(input(one, many, { requiredAttributes: ['price'] })).ok).toBe(true);
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
