/**
 * learnReliability computes each leave-one-out verdict without building the
 * filtered ballots (with one other ballot, without scoring; with many, off the
 * fact's totals): the weights it learns must be exactly those of the plain
 * computation over weightedVerdict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  learnReliability,
  MAX_ITERATIONS,
  MAX_WEIGHT,
  MIN_WEIGHT,
  reliabilityKey,
  weightedVerdict,
  type BallotFact,
  type VoterReliability,
} from '../pipelines/reconcile/truth.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The straightforward computation, as the module first wrote it. */
function reference(input: readonly BallotFact[]) {
  const facts = input
    .map((f) => {
      const byVoter = new Map<string, Set<string>>();
      for (const b of f.ballots) {
        const set = byVoter.get(b.voter) ?? new Set<string>();
        for (const l of b.leaves) set.add(l);
        byVoter.set(b.voter, set);
      }
      const ballots = [...byVoter].filter(([, s]) => s.size > 0).sort(([a], [b]) => cmp(a, b)).map(([voter, s]) => ({ voter, leaves: [...s].sort(cmp) }));
      return { key: f.key, attribute: f.attribute, ballots };
    })
    .filter((f) => f.ballots.length >= 2)
    .sort((a, b) => cmp(a.key, b.key) || cmp(a.attribute, b.attribute));
  const weightFrom = (agreed: number, compared: number) => Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, Math.log((agreed + 1) / (compared - agreed + 1))));
  const step = (weights: ReadonlyMap<string, VoterReliability>) => {
    const acc = new Map<string, { voter: string; attribute: string; compared: number; agreed: number }>();
    for (const f of facts) {
      for (const b of f.ballots) {
        const verdict = weightedVerdict(f.ballots.filter((o) => o.voter !== b.voter), (v) => weights.get(reliabilityKey(v, f.attribute))?.weight ?? 1);
        if (verdict === undefined) continue;
        const k = reliabilityKey(b.voter, f.attribute);
        const a = acc.get(k) ?? { voter: b.voter, attribute: f.attribute, compared: 0, agreed: 0 };
        a.compared += 1;
        if (b.leaves.includes(verdict)) a.agreed += 1 / b.leaves.length;
        acc.set(k, a);
      }
    }
    const out = new Map<string, VoterReliability>();
    for (const [k, a] of [...acc].sort(([x], [y]) => cmp(x, y))) out.set(k, { ...a, weight: weightFrom(a.agreed, a.compared) });
    return out;
  };
  let weights = new Map<string, VoterReliability>();
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const raw = step(weights);
    const damped = new Map<string, VoterReliability>([...weights].filter(([k]) => !raw.has(k)));
    for (const [k, r] of raw) {
      const prev = weights.get(k)?.weight;
      damped.set(k, { ...r, weight: prev === undefined || i === 1 ? r.weight : prev + (r.weight - prev) * 0.7 ** (i - 1) });
    }
    let moved = 0;
    for (const k of new Set([...weights.keys(), ...damped.keys()])) moved = Math.max(moved, Math.abs((weights.get(k)?.weight ?? 1) - (damped.get(k)?.weight ?? 1)));
    weights = damped;
    if (moved <= 1e-9) return { weights, iterations: i, converged: true };
  }
  return { weights, iterations: MAX_ITERATIONS, converged: false };
}

const ballotFacts = fc.array(
  fc.record({
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    attribute: fc.constantFrom('price', 'license'),
    ballots: fc.array(
      fc.record({ voter: fc.constantFrom('s1', 's2', 's3', 's4'), leaves: fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 0, maxLength: 3 }) }),
      { minLength: 1, maxLength: 5 },
    ),
  }),
  { maxLength: 40 },
);

/** Facts of many ballots (a catalog's listings): their verdicts are taken off the fact's totals, which must change nothing. */
const wideBallotFacts = fc.array(
  fc.record({
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
    attribute: fc.constantFrom('price', 'release_date'),
    ballots: fc.array(
      fc.record({
        voter: fc.constantFrom(...Array.from({ length: 14 }, (_, i) => `s${i}`)),
        leaves: fc.array(fc.constantFrom('w', 'x', 'y', 'z'), { minLength: 0, maxLength: 2 }),
      }),
      { minLength: 3, maxLength: 16 },
    ),
  }),
  { maxLength: 30 },
);

describe('learnReliability', () => {
  it('learns exactly the weights of the plain leave-one-out computation', () => {
    fc.assert(
      fc.property(ballotFacts, (facts) => {
        const got = learnReliability(facts);
        const want = reference(facts);
        expect(got.iterations).toBe(want.iterations);
        expect(got.converged).toBe(want.converged);
        expect([...got.weights]).toEqual([...want.weights]);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('learns exactly those weights on facts of many ballots', () => {
    fc.assert(
      fc.property(wideBallotFacts, (facts) => {
        const got = learnReliability(facts);
        const want = reference(facts);
        expect(got.iterations).toBe(want.iterations);
        expect(got.converged).toBe(want.converged);
        expect([...got.weights]).toEqual([...want.weights]);
      }),
      { numRuns: 200, seed: 23 },
    );
  });
});
