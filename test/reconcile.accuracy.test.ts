/**
 * The reliability step's evidence beyond the sources' own weights: the same
 * model's price on other routes, and how sure a learned-weight decision is
 * (its posterior, in the rule text). Small samples shaped like
 * the real weeks (litellm and models-dev splitting on a long-tail route's
 * price; models-dev listing the same model under other providers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reconcile, type BallotFact } from '../pipelines/reconcile/index.js';
import { MIN_POSTERIOR, OTHER_ROUTES_VOTER } from '../pipelines/reconcile/rules.js';
import type { Claim } from '../schema/observation.js';
import { claim, perTokens, SOURCES, usd } from './reconcile.helpers.js';

const QWEN = 'alibaba/qwen3-235b-a22b-instruct-2507';
const route = (r: string) => ({ modelId: QWEN, qualifiers: perTokens(r, 'output', 'text') });

describe('the same model on other routes as evidence for a route price', () => {
  // litellm and models-dev split on the together route; models-dev's own listings of the model on two other providers state litellm's value
  const claims: Claim[] = [
    claim('litellm', 'price', usd('0.6'), route('together')),
    claim('models-dev', 'price', usd('6'), { ...route('together'), via: 'togetherai' }),
    claim('models-dev', 'price', usd('0.6'), { ...route('deepinfra'), via: 'deepinfra' }),
    claim('models-dev', 'price', usd('0.6'), { ...route('novita'), via: 'novita' }),
  ];
  const fact = (cs: Claim[]) => reconcile(cs, { sources: SOURCES }).facts.find((f) => f.qualifiers.route === 'together')!;

  it('decides a two-source split for the value stated on other routes by a source that does not state it here', () => {
    const f = fact(claims);
    expect(f.status).toBe('auto-resolved');
    expect(f.rule).toMatch(/^reliability: /);
    expect(f.chosen).toEqual(usd('0.6'));
    expect(Object.keys(f.weights ?? {}).sort()).toEqual([OTHER_ROUTES_VOTER, 'litellm', 'models-dev'].sort());
    expect(f.rule).toContain("the same model's price on other routes");
    // the evidence is no candidate: the fact's candidates (and so a reviewer decision's hash) are the route's own claims
    expect(f.candidates).toHaveLength(2);
  });

  it('a catalog repeating its own value on another route is no corroboration', () => {
    const own: Claim[] = [
      claim('litellm', 'price', usd('0.6'), route('together')),
      claim('models-dev', 'price', usd('6'), { ...route('together'), via: 'togetherai' }),
      claim('litellm', 'price', usd('0.6'), route('deepinfra')),
    ];
    const f = fact(own);
    expect(f.status).toBe('needs-review');
    expect(f.weights).toBeUndefined();
  });

  it('other routes that state both values (or neither) tell nothing', () => {
    const both = [...claims, claim('litellm', 'price', usd('6'), route('fireworks'))];
    expect(fact(both).status).toBe('needs-review');
    expect(fact(claims.slice(0, 2)).status).toBe('needs-review');
  });

  it('is independent of claim order and converges', () => {
    const more: Claim[] = [
      ...claims,
      claim('openrouter-api', 'price', usd('0.6'), route('openrouter')),
      claim('litellm', 'price', usd('0.6'), route('deepinfra')),
      claim('models-dev', 'price', usd('0.59'), { ...route('fireworks'), via: 'fireworks-ai' }),
      claim('litellm', 'price', usd('0.6'), route('fireworks')),
    ];
    const expected = reconcile(more, { sources: SOURCES });
    fc.assert(
      fc.property(fc.shuffledSubarray(more, { minLength: more.length, maxLength: more.length }), (shuffled) => {
        const r = reconcile(shuffled, { sources: SOURCES });
        expect(r.facts).toEqual(expected.facts);
        expect(r.reliability.rows).toEqual(expected.reliability.rows);
        expect(r.reliability.converged).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe('how slim a learned-weight decision is', () => {
  // 400 earlier facts all three catalogs agree on, litellm alone dissenting on 20, models-dev alone on 19: nearly equal weights
  const history: BallotFact[] = Array.from({ length: 440 }, (_, i) => ({
    key: `h${i}`,
    attribute: 'context_window',
    ballots: [
      { voter: 'litellm', leaves: [i < 20 ? 'y' : 'x'] },
      { voter: 'models-dev', leaves: [i >= 20 && i < 39 ? 'y' : 'x'] },
      { voter: 'openrouter-api', leaves: ['x'] },
    ],
  }));
  const split: Claim[] = [
    claim('litellm', 'context_window', { kind: 'count', count: 131072 }, { modelId: 'acme/new' }),
    claim('models-dev', 'context_window', { kind: 'count', count: 65536 }, { modelId: 'acme/new', via: 'acme' }),
  ];
  const pOf = (rule: string) => Number(/\(p ≈ ([0-9.]+)\)/.exec(rule)?.[1]);

  it('the rule text states the posterior the lead of log-odds weights gives: slim for nearly equal weights', () => {
    const r = reconcile(split, { sources: SOURCES, history });
    const w = (v: string) => r.reliability.rows.find((x) => x.voter === v && x.attribute === 'context_window')!.weight;
    expect(w('models-dev')).toBeGreaterThan(w('litellm'));
    const p = 1 / (1 + Math.exp(-(w('models-dev') - w('litellm'))));
    const f = r.facts[0]!;
    expect(f.rule).toMatch(/^reliability: /);
    expect(f.chosen).toEqual({ kind: 'count', count: 65536 });
    expect(pOf(f.rule)).toBeCloseTo(p, 2);
    expect(pOf(f.rule)).toBeLessThan(0.55);
    expect(p).toBeGreaterThan(MIN_POSTERIOR);
  });

  it('a clear lean reads as a clear posterior', () => {
    const clear = history.map((f, i) => (i >= 20 && i < 39 ? { ...f, ballots: f.ballots.map((b) => (b.voter === 'models-dev' ? { ...b, leaves: ['x'] } : b)) } : f));
    const f = reconcile(split, { sources: SOURCES, history: clear }).facts[0]!;
    expect(f.status).toBe('auto-resolved');
    expect(f.chosen).toEqual({ kind: 'count', count: 65536 });
    expect(pOf(f.rule)).toBeGreaterThan(0.9);
  });
});
