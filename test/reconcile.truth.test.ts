import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { learnReliability, MAX_WEIGHT, MIN_WEIGHT, type BallotFact } from '../pipelines/reconcile/truth.js';
import { ballotsFromFacts, factKey, majorityOfFact, reconcile, type StoredFact } from '../pipelines/reconcile/index.js';
import type { Claim } from '../schema/observation.js';
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

  // context windows of 24 models as three catalogs state them in an earlier week: litellm off on every one
  const count = (n: number) => ({ kind: 'count' as const, count: n });
  const earlier: Claim[] = Array.from({ length: 24 }, (_, i) => `acme/m${i}`).flatMap((modelId) => [
    claim('litellm', 'context_window', count(64000), { modelId }),
    claim('models-dev', 'context_window', count(128000), { modelId, via: 'acme' }),
    claim('openrouter-api', 'context_window', count(128000), { modelId }),
  ]);
  const stored = (claims: Claim[], week: string): StoredFact[] =>
    reconcile(claims, { sources: SOURCES }).facts.map((f) => ({ ...f, factKey: factKey(f), validFrom: week }));
  // this week, a model only two catalogs state, and they disagree
  const now: Claim[] = [
    claim('litellm', 'context_window', count(32000), { modelId: 'acme/new' }),
    claim('models-dev', 'context_window', count(200000), { modelId: 'acme/new', via: 'acme' }),
  ];

  it('learns from the facts of earlier weeks: a two-source split nothing this week settles goes to the catalog that agreed more often before', () => {
    const alone = reconcile(now, { sources: SOURCES }).facts[0]!;
    expect(alone.status).toBe('needs-review');
    const history = ballotsFromFacts(stored(earlier, '2026-W15'));
    expect(history).toHaveLength(24);
    const f = reconcile(now, { sources: SOURCES, history }).facts[0]!;
    expect(f.status).toBe('auto-resolved');
    expect(f.rule).toMatch(/^reliability: /);
    expect(f.chosen).toEqual(count(200000));
    expect(f.weights!['models-dev']).toBeGreaterThan(f.weights!['litellm']!);
    // a plain vote has no majority here
    expect(f.majority).toBeUndefined();
  });

  it('history is read the same whatever its order, and learning from it converges', () => {
    const history = ballotsFromFacts([...stored(earlier, '2026-W15'), ...stored(earlier.slice(0, 30), '2026-W14')]);
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), fc.shuffledSubarray(now, { minLength: 2, maxLength: 2 }), (h, c) => {
        const a = reconcile(c, { sources: SOURCES, history: h });
        const b = reconcile(now, { sources: SOURCES, history });
        expect(a.facts).toEqual(b.facts);
        expect(a.reliability.converged).toBe(true);
        expect(a.reliability.rows).toEqual(b.reliability.rows);
      }),
      { numRuns: 30 },
    );
  });

  it('a stored fact teaches only through its voters: one catalog\'s other listings and single-source facts are no evidence', () => {
    const facts = stored(
      [
        claim('models-dev', 'context_window', count(128000), { modelId: 'acme/x', via: 'acme' }),
        claim('models-dev', 'context_window', count(64000), { modelId: 'acme/x', via: 'poe' }),
        claim('litellm', 'context_window', count(64000), { modelId: 'acme/y' }),
      ],
      '2026-W15',
    );
    expect(ballotsFromFacts(facts)).toEqual([]);
  });

  it('the majority vote beside the chosen value: one vote per source, none on a tie', () => {
    const three = reconcile(
      [
        claim('litellm', 'context_window', count(64000), { modelId: 'acme/z' }),
        claim('models-dev', 'context_window', count(128000), { modelId: 'acme/z', via: 'acme' }),
        claim('models-dev', 'context_window', count(128000), { modelId: 'acme/z', via: 'poe' }),
        claim('openrouter-api', 'context_window', count(64000), { modelId: 'acme/z' }),
      ],
      { sources: SOURCES },
    ).facts[0]!;
    expect(majorityOfFact(three)).toEqual(count(64000));
    expect(three.majority).toEqual(count(64000));
    expect(majorityOfFact({ attribute: 'context_window', candidates: three.candidates.filter((c) => c.provenance.sourceId !== 'openrouter-api') })).toBeUndefined();
  });
});
