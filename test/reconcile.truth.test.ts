import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnReliability, MAX_WEIGHT, MIN_WEIGHT, type BallotFact } from '../pipelines/reconcile/truth.js';
import { reconcile } from '../pipelines/reconcile/index.js';
import { claim, perTokens, SOURCES, usd } from './reconcile.helpers.js';

const VOTERS = ['a', 'b', 'c', 'd'];
const facts: fc.Arbitrary<BallotFact[]> = fc.array(
  fc.record({
    key: fc.string({ minLength: 1, maxLength: 4 }),
    attribute: fc.constantFrom('price', 'release_date'),
    ballots: fc.array(fc.record({ voter: fc.constantFrom(...VOTERS), leaves: fc.array(fc.constantFrom('x', 'y', 'z'), { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 4 }),
  }),
  { maxLength: 40 },
);
const table = (r: ReturnType<typeof learnReliability>) => [...r.weights.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

describe('learned reliability (truth discovery)', () => {
  it('is deterministic and independent of the order of facts and ballots', () => {
    fc.assert(
      fc.property(facts, fc.integer(), (input, seed) => {
        const shuffled = [...input].map((f) => ({ ...f, ballots: [...f.ballots].reverse() })).sort(() => (seed % 2 ? 1 : -1));
        expect(table(learnReliability(shuffled))).toEqual(table(learnReliability(input)));
        expect(table(learnReliability([...input].reverse()))).toEqual(table(learnReliability(input)));
      }),
      { numRuns: 200 },
    );
  });

  it('converges, with every weight within bounds', () => {
    fc.assert(
      fc.property(facts, (input) => {
        const r = learnReliability(input);
        expect(r.converged).toBe(true);
        for (const w of r.weights.values()) {
          expect(w.weight).toBeGreaterThanOrEqual(MIN_WEIGHT);
          expect(w.weight).toBeLessThanOrEqual(MAX_WEIGHT);
          expect(w.agreed).toBeLessThanOrEqual(w.compared);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a source that keeps disagreeing with two agreeing others earns less weight than they do', () => {
    const input: BallotFact[] = Array.from({ length: 20 }, (_, i) => ({
      key: `f${i}`,
      attribute: 'price',
      ballots: [
        { voter: 'a', leaves: ['x'] },
        { voter: 'b', leaves: ['x'] },
        { voter: 'c', leaves: [i % 4 === 0 ? 'x' : 'y'] },
      ],
    }));
    const w = learnReliability(input).weights;
    expect(w.get('c\u0000price')!.weight).toBeLessThan(w.get('a\u0000price')!.weight);
    // two sources alone teach nothing about who is right: no verdict without the other
    const pair = learnReliability([{ key: 'f', attribute: 'price', ballots: [{ voter: 'a', leaves: ['x'] }, { voter: 'b', leaves: ['y'] }] }]);
    expect(pair.weights.get('a\u0000price')!.weight).toBe(pair.weights.get('b\u0000price')!.weight);
  });

  it('decides a two-source disagreement by the pass-through gateway price, recording the weights used', () => {
    const models = Array.from({ length: 6 }, (_, i) => `openai/m${i}`);
    const claims = models.flatMap((modelId, i) => [
      claim('litellm', 'price', usd(i === 0 ? '2.5' : '1.25'), { modelId, qualifiers: perTokens('openai', 'input') }),
      claim('models-dev', 'price', usd('1.25'), { modelId, qualifiers: perTokens('openai', 'input'), via: 'openai' }),
      claim('openrouter-api', 'price', usd('1.25'), { modelId, qualifiers: perTokens('openrouter', 'input') }),
    ]);
    const sources = { ...SOURCES, 'openrouter-api': { authority: 'gateway' as const, ownRoute: 'openrouter' } };
    const f = reconcile(claims, { sources }).facts.find((x) => x.modelId === 'openai/m0' && x.qualifiers.route === 'openai')!;
    expect(f.status).toBe('auto-resolved');
    expect(f.rule).toMatch(/^reliability: /);
    expect(f.chosen).toEqual(usd('1.25'));
    expect(Object.keys(f.weights ?? {}).sort()).toEqual(['litellm', 'models-dev', 'openrouter-api@pass-through']);
    expect(f.candidates.find((c) => c.provenance.sourceId === 'openrouter-api')?.flags).toContain('pass-through-route');
    expect(f.candidates.find((c) => c.provenance.sourceId === 'litellm')?.flags).toContain('far-from-gateway-price');
  });
});
