import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { claimCoreChecker } from '../pipelines/normalize/claim-core.js';
import { parseOrThrow, SchemaError } from '../schema/errors.js';
import { Claim } from '../schema/observation.js';

const ClaimCore = Claim.omit({ provenance: true }).extend({ excerpt: z.string(), locator: z.string() });

/** JSON that keeps undefined-valued keys and key order: what zod returned, exactly. */
const exact = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));

const core = (over: Record<string, unknown> = {}) => ({
  modelId: 'openai/gpt-4o',
  attribute: 'price',
  // keys out of schema order: zod's copy puts them in order
  qualifiers: { unit: 'per_1m_tokens', route: 'openai', direction: 'input' },
  value: { usd: '2.5', kind: 'money' },
  excerpt: 'openai/gpt-4o: "input_cost_per_token": 2.5e-06',
  locator: '$["openai/gpt-4o"].input_cost_per_token',
  ...over,
});

describe('claim core check (zod once per distinct part)', () => {
  it('returns what zod returns, the first time (zod) and again (remembered parts), as fresh objects', () => {
    const check = claimCoreChecker(ClaimCore);
    const inputs = [
      core(),
      core(),
      core({ value: { kind: 'money', usd: '0.0032', derivation: { formula: 'f', exact: '0.00319' }, extra: 1 } }),
      core({ value: { kind: 'money', usd: '0.0032', derivation: { formula: 'f', exact: '0.00319' }, extra: 1 } }),
      core({ value: { kind: 'money', usd: '1', floatArtifact: undefined } }),
      core({ value: { kind: 'money', usd: '1', floatArtifact: undefined } }),
      // a qualifier given as undefined is zod's to copy (it keeps the key)
      core({ qualifiers: { route: 'openai', unit: 'per_1m_tokens', direction: undefined } }),
      core({ attribute: 'input_modalities', value: { items: ['text', 'image'], kind: 'list' }, qualifiers: {} }),
      core({ attribute: 'input_modalities', value: { items: ['text', 'image'], kind: 'list' }, qualifiers: {} }),
      core({ attribute: 'release_date', value: { precision: 'month', date: '2025-10', kind: 'date' }, qualifiers: {} }),
      core({ attribute: 'release_date', value: { precision: 'month', date: '2025-10', kind: 'date' }, qualifiers: {} }),
    ];
    for (const input of inputs) {
      const want = parseOrThrow(ClaimCore, input, 'claim');
      const got = check(input as never, 'claim');
      expect(exact(got)).toBe(exact(want));
      expect(got.value).not.toBe(input.value);
      expect(got.qualifiers).not.toBe(input.qualifiers);
    }
  });

  it('a part never seen valid goes through zod: the same SchemaError, even beside remembered parts', () => {
    const check = claimCoreChecker(ClaimCore);
    check(core() as never, 'claim');
    const bad = [
      core({ modelId: 'Not An Id' }),
      core({ value: { kind: 'money', usd: '-1' } }),
      core({ value: { kind: 'money', usd: 2.5 } }),
      core({ qualifiers: { route: 'openai', unit: 'per_1m_tokens', direction: 'input', colour: 'blue' } }),
      core({ qualifiers: { route: 'openai', unit: 'per_1m_tokens', direction: 'sideways' } }),
      core({ attribute: 'release_date', value: { kind: 'date', date: '2025-10', precision: 'day' }, qualifiers: {} }),
      core({ excerpt: 42 }),
    ];
    for (const input of bad) {
      let want: unknown;
      try {
        parseOrThrow(ClaimCore, input, 'claim');
      } catch (error) {
        want = error;
      }
      expect(want).toBeInstanceOf(SchemaError);
      expect(() => check(input as never, 'claim')).toThrow((want as SchemaError).message);
    }
  });
});
