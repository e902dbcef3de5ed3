/**
 * The weights of a week's reconcile are stored with it (week_reliability), a
 * reviewer decision's re-reconcile of one model reuses them, facts keep their
 * weights and majority through a reload, and conflicts close when their
 * candidates come to agree and re-open when they split again. Small hand-made
 * weeks (75 claims), published through the same publish step as a refresh, on
 * both backends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { SOURCES } from '../extractors/registry.js';
import type { Claim } from '../schema/observation.js';
import { conflicts, weekReliability } from '../schema/tables.js';
import { reconcile } from '../pipelines/reconcile/index.js';
import { publish, type SourceOutcome } from '../pipelines/publish/publish.js';
import { buildConflictReport, reliabilityForWeek } from '../pipelines/report/conflicts.js';
import { recordDecision } from '../pipelines/run/record-decision.js';
import { sourceInfo, weekReconciler } from '../pipelines/run/reconcile-week.js';
import { factVersions } from '../pipelines/store/fact-history.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { queuePage } from '../pipelines/store/review-queue.js';
import { reliabilityEvidence, reliabilityEvidenceFromView } from '../pipelines/store/reliability-evidence.js';
import { loadWeekReliability } from '../pipelines/store/week-reliability.js';
import { BACKENDS, freshDb, type TestDb } from './helpers/db.js';
import { claim } from './reconcile.helpers.js';

const count = (n: number) => ({ kind: 'count' as const, count: n });
const MODELS = Array.from({ length: 24 }, (_, i) => `acme/m${i}`);
/** Context windows as three catalogs state them: litellm off on every model (on acme/m0 it says `m0`); a new model only two state, split. */
function weekClaims(m0: number): Claim[] {
  return [
    ...MODELS.flatMap((modelId) => [
      claim('litellm', 'context_window', count(modelId === 'acme/m0' ? m0 : 64000), { modelId }),
      claim('models-dev', 'context_window', count(128000), { modelId, via: 'acme' }),
      claim('openrouter-api', 'context_window', count(128000), { modelId }),
    ]),
    claim('litellm', 'context_window', count(32000), { modelId: 'acme/new' }),
    claim('models-dev', 'context_window', count(200000), { modelId: 'acme/new', via: 'acme' }),
  ];
}

const sources = SOURCES.filter((s) => ['litellm', 'models-dev', 'openrouter-api'].includes(s.id));
const mondayOf = (week: string) => ({ '2026-W15': '2026-04-06', '2026-W16': '2026-04-13', '2026-W17': '2026-04-20' })[week]!;

async function publishWeek(t: TestDb, week: string, claims: Claim[]) {
  const startedAt = `${mondayOf(week)}T06:00:00.000Z`;
  const dated = claims.map((c) => ({ ...c, provenance: { ...c.provenance, fetchedAt: startedAt } }));
  const outcomes: SourceOutcome[] = sources.map((s) => {
    const own = dated.filter((c) => c.provenance.sourceId === s.id);
    return { sourceId: s.id, extractorVersion: '1', status: 'ok', pages: [], observations: own.length, claims: own, issues: [], unmatched: new Map() };
  });
  return publish(t.database.db, { week, mode: 'test', startedAt, outcomes, sources, reconcileWeek: weekReconciler(sources, startedAt) });
}

const factOf = async (t: TestDb, modelId: string, asOf?: string) => (await queryFacts(t.database.db, { model: modelId, ...(asOf ? { asOf } : {}) }))[0]!;

describe('reconcile with the weights a full run learned (pure)', () => {
  it('decides one model\'s slice as the full run did; learning from the slice alone does not', () => {
    const opts = { sources: sourceInfo(sources), now: '2026-04-06T06:00:00.000Z' };
    const full = reconcile(weekClaims(64000), opts);
    const slice = weekClaims(64000).filter((c) => c.modelId === 'acme/new');
    const given = reconcile(slice, { ...opts, weights: full.reliability });
    expect(given.facts).toEqual(full.facts.filter((f) => f.modelId === 'acme/new'));
    expect(given.reliability.iterations).toBe(0);
    expect(given.reliability.rows).toEqual(full.reliability.rows);
    expect(reconcile(slice, opts).facts[0]!.status).toBe('needs-review');
  });
});

describe('a decided fact whose sources come to agree (pure)', () => {
  it('is settled by them when they agree on the decided value, and re-opened when they agree on another', () => {
    const opts = { sources: sourceInfo(sources), now: '2026-04-13T06:00:00.000Z' };
    const agreed = weekClaims(128000).filter((c) => c.modelId === 'acme/m0');
    const decision = (value: number) => ({ factKey: 'acme/m0|context_window|', value: count(value), note: 'checked', by: 'test', at: '2026-04-07T00:00:00.000Z', candidatesHash: 'the candidates of 2026-W15' });
    const same = reconcile(agreed, { ...opts, decisions: [decision(128000)] });
    expect(same.facts[0]!.status).toBe('agreed');
    expect(same.reopened).toEqual([]);
    const other = reconcile(agreed, { ...opts, decisions: [decision(64000)] });
    expect(other.facts[0]!.status).toBe('needs-review');
    expect(other.reopened.map((r) => r.factKey)).toEqual(['acme/m0|context_window|']);
  });
});

describe.each(BACKENDS)('week weights and closing conflicts (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(backend);
    await publishWeek(t, '2026-W15', weekClaims(64000));
  }, 60_000);
  afterAll(async () => t?.drop());

  it('stores what the week learned, and facts read back with the weights they used and the majority', async () => {
    const pure = reconcile(weekClaims(64000), { sources: sourceInfo(sources), now: '2026-04-06T06:00:00.000Z' });
    const stored = await loadWeekReliability(t.database.db, '2026-W15');
    expect(stored).toBeDefined();
    const byKey = (rows: { voter: string; attribute: string }[]) => [...rows].sort((a, b) => (a.voter + a.attribute < b.voter + b.attribute ? -1 : 1));
    expect(byKey(stored!.rows)).toEqual(byKey(pure.reliability.rows));
    expect(stored!.rows.find((r) => r.voter === 'litellm')!.compared).toBeGreaterThanOrEqual(20);

    const fresh = await factOf(t, 'acme/new');
    const expected = pure.facts.find((f) => f.modelId === 'acme/new')!;
    expect(fresh.status).toBe('auto-resolved');
    expect(fresh.rule).toMatch(/^reliability: /);
    expect(fresh.weights).toEqual(expected.weights);
    expect(fresh.weights!['models-dev']).toBeGreaterThan(fresh.weights!['litellm']!);
    expect(fresh.majority).toBeUndefined();
    // the review queue shows them too
    const item = (await queuePage(t.database.db, { week: '2026-W15', model: 'acme/new' })).items[0]!;
    expect(item.weights).toEqual(expected.weights);
    const m0 = await factOf(t, 'acme/m0');
    expect(m0.majority).toEqual(count(128000));
    expect(m0.majority).toEqual(pure.facts.find((f) => f.modelId === 'acme/m0')!.majority);

    const r = await reliabilityForWeek(t.database.db, '2026-W15');
    expect(r.weights).toBe('stored');
    expect(r.rows.find((x) => x.sourceId === 'litellm')!.compared).toBe(stored!.rows.find((x) => x.voter === 'litellm')!.compared);
  });

  it("the queue's source and word filters read the stored references (value, excerpt, URL, source)", async () => {
    const models = async (f: { search?: string; source?: string }) =>
      [...new Set((await queuePage(t.database.db, { week: '2026-W15', ...f })).items.map((i) => i.modelId))].sort();
    const all = await models({});
    expect(all).toContain('acme/new');
    expect(all.length).toBeGreaterThan(1);
    // a value only acme/new's candidates state
    expect(await models({ search: '200000' })).toEqual(['acme/new']);
    // an excerpt's words: openrouter-api speaks to every model but acme/new
    const byExcerpt = await models({ search: 'as stated by openrouter' });
    expect(byExcerpt).toEqual(all.filter((m) => m !== 'acme/new'));
    expect(await models({ source: 'openrouter-api' })).toEqual(byExcerpt);
    // a URL, and nothing for words no candidate has
    expect(await models({ search: 'models.dev/api' })).toEqual(all);
    expect(await models({ search: 'no such words' })).toEqual([]);
  });

  it('the evidence read from fact_versions is the evidence the facts view gives', async () => {
    const direct = await reliabilityEvidence(t.database.db, { upTo: '2026-W15' });
    const view = await reliabilityEvidenceFromView(t.database.db, { upTo: '2026-W15' });
    const strip = (xs: typeof direct) =>
      xs
        .map((f) => ({ ...f, candidates: f.candidates.map((c) => ({ value: c.value, flags: c.flags, sourceId: c.provenance.sourceId })) }))
        .sort((a, b) => (a.factKey < b.factKey ? -1 : 1));
    expect(direct.length).toBeGreaterThan(20);
    expect(strip(direct)).toEqual(strip(view));
  });

  it("a decision re-reconciles the model with the week's stored weights; without them it learns from the slice, as before", async () => {
    const [row] = await t.database.db.select().from(conflicts).where(eq(conflicts.modelId, 'acme/new'));
    const before = await factOf(t, 'acme/new');
    const d = await recordDecision(t.database, { conflictId: row!.id, action: 'defer', note: 'later', by: 'test' });
    expect(d.fact).toEqual({ status: 'auto-resolved', chosen: before.chosen, rule: before.rule });
    expect((await factOf(t, 'acme/new')).weights).toEqual(before.weights);
    // a week reconciled before weights were stored: the one model's facts alone teach nothing
    await t.database.db.delete(weekReliability).where(eq(weekReliability.week, '2026-W15'));
    const again = await recordDecision(t.database, { conflictId: row!.id, action: 'defer', note: 'later', by: 'test' });
    expect(again.fact?.status).toBe('needs-review');
    expect((await factOf(t, 'acme/new')).weights).toBeUndefined();
  });

  it('a conflict closes in the week its candidates agree and re-opens when they split again', async () => {
    const key = async () => (await t.database.db.select().from(conflicts).where(eq(conflicts.modelId, 'acme/m0')))[0]!;
    expect((await key()).state).toBe('open');
    await publishWeek(t, '2026-W16', weekClaims(128000));
    // a full reconcile stores its weeks' weights
    expect((await loadWeekReliability(t.database.db, '2026-W16'))?.rows.length).toBeGreaterThan(0);
    expect(await key()).toMatchObject({ state: 'closed', closedWeek: '2026-W16' });
    expect((await factOf(t, 'acme/m0')).status).toBe('agreed');
    const closed = await buildConflictReport(t.database.db, { states: ['closed'] });
    const listed = closed.models.flatMap((m) => m.attributes.flatMap((a) => a.facts));
    expect(listed.map((f) => [f.modelId, f.status, f.conflict?.state, f.conflict?.closedWeek])).toEqual([['acme/m0', 'agreed', 'closed', '2026-W16']]);
    // the week before still shows it open
    const w15 = await buildConflictReport(t.database.db, { week: '2026-W15', model: 'acme/m0' });
    expect(w15.models[0]!.attributes[0]!.facts[0]!.conflict?.state).toBe('open');
    const queue = (states?: readonly string[]) => queuePage(t.database.db, { week: '2026-W16', ...(states ? { states } : {}) });
    expect((await queue()).items.map((i) => i.modelId)).not.toContain('acme/m0');
    expect((await queue(['closed'])).items.map((i) => [i.modelId, i.state, i.closedWeek])).toEqual([['acme/m0', 'closed', '2026-W16']]);

    await publishWeek(t, '2026-W17', weekClaims(64000));
    const reopened = await key();
    expect(reopened).toMatchObject({ state: 'reopened', closedWeek: null });
    expect(reopened.reason).toBe('the candidates agreed from 2026-W16 and disagree again in 2026-W17');
    expect((await queuePage(t.database.db, { week: '2026-W17' })).items.map((i) => i.modelId)).toContain('acme/m0');
  });
});

describe.each(BACKENDS)('a week whose weights drift but decide the same (%s)', (backend) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(backend);
  }, 60_000);
  afterAll(async () => t?.drop());

  it("keeps the fact's version, whose rule text keeps the p of the week it started, as its weights do", async () => {
    const pureOf = (claims: Claim[], now: string) => reconcile(claims, { sources: sourceInfo(sources), now }).facts.find((f) => f.modelId === 'acme/new')!;
    const w15 = pureOf(weekClaims(64000), '2026-04-06T06:00:00.000Z');
    // in W16 litellm agrees on acme/m0 and acme/m1 too: the weights move, and acme/new's decision stands with another lead
    const drifted = weekClaims(128000).map((c) => (c.modelId === 'acme/m1' && c.provenance.sourceId === 'litellm' ? { ...c, value: count(128000) } : c));
    const w16 = pureOf(drifted, '2026-04-13T06:00:00.000Z');
    expect(w16).toMatchObject({ status: w15.status, chosen: w15.chosen, confidence: w15.confidence, candidates: w15.candidates.map((c) => ({ ...c, provenance: { ...c.provenance, fetchedAt: expect.any(String) } })) });
    expect(w15.rule).toMatch(/\(p ≈ 0\.\d\d\)/);
    expect(w16.rule).not.toBe(w15.rule);
    expect(w16.rule.replace(/\(p ≈ 0\.\d\d\)/, '')).toBe(w15.rule.replace(/\(p ≈ 0\.\d\d\)/, ''));
    expect(w16.weights).not.toEqual(w15.weights);

    await publishWeek(t, '2026-W15', weekClaims(64000));
    await publishWeek(t, '2026-W16', drifted);
    const versions = await factVersions(t.database.db, { model: 'acme/new' });
    expect(versions.map((v) => [v.validFrom, v.validTo])).toEqual([['2026-W15', null]]);
    const kept = await factOf(t, 'acme/new', '2026-W16');
    expect(kept.rule).toBe(w15.rule);
    expect(kept.weights).toEqual(w15.weights);
    // a fact whose decision moved gets its new version as before
    expect((await factVersions(t.database.db, { model: 'acme/m0' })).map((v) => v.validFrom)).toEqual(['2026-W15', '2026-W16']);
  });
});
