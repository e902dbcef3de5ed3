/** The reviewer-rejection hook of the pure engine: a rejected claim stays a candidate but does not vote while unchanged. */
import { describe, expect, it } from 'vitest';
import { factKey, reconcile, REJECTED_FLAG, type Rejection } from '../pipelines/reconcile/index.js';
import { claim, day, MINI, NOW, perImage, SOURCES, usd } from './reconcile.helpers.js';

const q = perImage('high', '1024x1024', 'vercel');
const key = factKey({ modelId: MINI, attribute: 'price', qualifiers: q });
// two aggregators against one: agreement picks $0.02 unless the pair is rejected
const claims = [
  claim('llmreference-model', 'price', usd('0.036'), { qualifiers: q }),
  claim('anttisahla', 'price', usd('0.02'), { qualifiers: q }),
  claim('llm-stats', 'price', usd('0.02'), { qualifiers: q }),
];
const reject = (sourceId: string, value: string): Rejection => ({
  factKey: key,
  sourceId,
  via: null,
  value: usd(value),
  note: 'stale copy',
  by: 'ada',
  at: '2026-04-22T10:00:00.000Z',
});
const run = (cs = claims, rejections: Rejection[] = []) => reconcile(cs, { sources: SOURCES, now: NOW, rejections });
const only = (r: ReturnType<typeof run>) => r.facts.find((f) => factKey(f) === key)!;

describe('reviewer rejections', () => {
  it('without rejections the rules decide as before', () => {
    expect(only(run()).chosen).toEqual(usd('0.02'));
  });

  it('a rejected claim is kept, flagged, and does not vote; the fact reads reviewed', () => {
    const r = run(claims, [reject('anttisahla', '0.02'), reject('llm-stats', '0.02')]);
    const f = only(r);
    expect(f.candidates).toHaveLength(3);
    expect(f.candidates.filter((c) => c.flags.includes(REJECTED_FLAG)).map((c) => c.provenance.sourceId).sort()).toEqual([
      'anttisahla',
      'llm-stats',
    ]);
    expect(f.chosen).toEqual(usd('0.036'));
    expect(f.status).toBe('reviewed');
    expect(f.rule).toMatch(/^reviewed: .*ada rejected anttisahla's \$0\.02 per image on 2026-04-22: stale copy/);
    expect(r.reopened).toEqual([]);
  });

  it('the same value written differently is still the value rejected', () => {
    const f = only(run(claims, [reject('anttisahla', '0.020'), reject('llm-stats', '0.0200')]));
    expect(f.chosen).toEqual(usd('0.036'));
  });

  it('when the rejected source states another value, its claim votes again and the fact is re-opened', () => {
    const changed = [...claims.slice(0, 2), claim('llm-stats', 'price', usd('0.03'), { qualifiers: q })];
    const r = run(changed, [reject('llm-stats', '0.02')]);
    const f = only(r);
    expect(f.status).toBe('needs-review');
    expect(f.candidates.some((c) => c.flags.includes(REJECTED_FLAG))).toBe(false);
    expect(r.reopened).toEqual([{ factKey: key, reason: expect.stringMatching(/llm-stats now says \$0\.03 per image \(ada rejected its \$0\.02/) }]);
  });

  it('rejections of other facts or other listings change nothing', () => {
    const other: Rejection = { ...reject('anttisahla', '0.02'), via: 'somewhere' };
    const elsewhere: Rejection = { ...reject('anttisahla', '0.02'), factKey: `${MINI}|release_date|` };
    const base = run();
    const r = run(claims, [other, elsewhere]);
    expect(r.facts).toEqual(base.facts);
  });

  it('rejecting every claim leaves nothing to vote: needs review', () => {
    const single = [claim('llm-stats', 'release_date', day('2025-01-01'))];
    const k = factKey({ modelId: MINI, attribute: 'release_date', qualifiers: {} });
    const r = reconcile(single, {
      sources: SOURCES,
      now: NOW,
      rejections: [{ ...reject('llm-stats', '0'), factKey: k, value: day('2025-01-01') }],
    });
    expect(r.facts[0]).toMatchObject({ status: 'needs-review' });
    expect(r.facts[0]!.chosen).toBeUndefined();
  });
});
