import { describe, expect, it } from 'vitest';
import { factQualifiers, factQualifiersOf, qualifiersKey, type Qualifiers } from '../schema/qualifiers.js';
import { stableJson } from '../pipelines/store/claim-refs.js';
import { ruleText } from '../pipelines/reconcile/rules.js';

/** stableJson as it was written first (filtered, sorted and mapped arrays): the one-pass version must give its text. */
function stableJsonReference(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJsonReference).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJsonReference(o[k])}`)
    .join(',')}}`;
}

describe('stableJson', () => {
  it('gives the text of the reference for values, qualifier sets, dates and odd shapes', () => {
    // eslint-disable-next-line no-sparse-arrays
    const holes = [1, , 3];
    const values: unknown[] = [
      { kind: 'money', usd: '0.20' },
      { usd: '0.2', kind: 'money', derivation: { formula: 'x × y', exact: '0.19999' } },
      { route: 'openai', unit: 'per_1m_tokens', direction: 'input', tier: undefined },
      { date: '2026-04', precision: 'month' },
      { kind: 'list', items: ['b', 'a', 'é', '"q"'] },
      { z: 1, a: [{ y: null, b: true }, []], m: {}, 'k"ey': 'v\n', '10': 2, '9': 3 },
      [undefined, null, 0, -0, 1e21, 'x'],
      holes,
      [],
      {},
      'text',
      42,
      null,
      undefined,
    ];
    for (const v of values) expect(stableJson(v)).toBe(stableJsonReference(v));
  });
});

describe('factQualifiersOf', () => {
  it('gives factQualifiers and its key, the same object for the same stated set', () => {
    const sets: Qualifiers[] = [
      {},
      { route: 'openai', unit: 'per_1m_tokens', direction: 'input' },
      { unit: 'per_token', direction: 'output' },
      { direction: 'output', unit: 'per_token' },
      { route: 'openai', unit: 'per_image', quality: 'low', size: '1024x1024' },
      { unit: 'per_1m_tokens', modality: 'audio', tier: 'batch', window: '16:30-00:30' },
    ];
    for (const q of sets) {
      const got = factQualifiersOf(q);
      expect(got.qualifiers).toEqual(factQualifiers(q));
      expect(Object.keys(got.qualifiers)).toEqual(Object.keys(factQualifiers(q)));
      expect(got.key).toBe(qualifiersKey(factQualifiers(q)));
      expect(factQualifiersOf({ ...q })).toBe(got);
    }
  });

  it('never mixes up two sets whose stated keys read alike (values holding ; or =)', () => {
    const a = { route: 'x;unit=per_token' } as Qualifiers;
    const b = { route: 'x', unit: 'per_token' } as Qualifiers;
    expect(qualifiersKey(a)).toBe(qualifiersKey(b));
    expect(factQualifiersOf(b).qualifiers).toEqual(factQualifiers(b));
    expect(factQualifiersOf(a).qualifiers).toEqual(factQualifiers(a));
    expect(factQualifiersOf(b).qualifiers).toEqual(factQualifiers(b));
  });
});

describe('ruleText', () => {
  it('joins the name and explanation with the detail and notes that are not empty', () => {
    expect(ruleText('agreement', 'Most sources win.', '2 sources agree.', ['Note one.', '', 'Note two.'])).toBe(
      'agreement: Most sources win. 2 sources agree. Note one. Note two.',
    );
    expect(ruleText('no-rule', 'Nothing decides.', '')).toBe('no-rule: Nothing decides.');
  });
});
