/**
 * Conflict reports and reviewer decisions, end to end on the bundled replay
 * weeks: W16 then W17 on a fresh database, the report for gpt-image-1-mini,
 * `resolve` through the CLI, a later week that keeps the decision, and a week
 * with one changed candidate that re-opens it.
 *
 * One database for the whole file (replays are the slow part). The review
 * flow's steps run in order and build on each other.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../cli/report-md.js';
import { runRefresh } from '../cli/run-commands.js';
import { SOURCES } from '../extractors/registry.js';
import {
  buildConflictReport,
  parseDecisionValue,
  reliabilityForWeek,
  ReviewInputError,
  type ConflictReport,
  type ReportFact,
} from '../pipelines/report/conflicts.js';
import { openDatabase, type Database } from '../pipelines/store/db.js';
import { conflicts } from '../schema/tables.js';
import { freshPgliteDir } from './helpers/db.js';
import { runCliInProcess, saveEnv } from './helpers/in-process-cli.js';
import { MINI } from './reconcile.helpers.js';

const W16 = 'fixtures/replay/2026-W16';
const W17 = 'fixtures/replay/2026-W17';
/**
 * Later weeks refresh every source that does not need the browser: the
 * browser source takes most of a replay's time and states no licence, and a
 * source not run keeps its claims, so the candidates are the full set.
 */
const NO_BROWSER = SOURCES.filter((s) => s.fetchMode !== 'browser').map((s) => s.id);

let dataDir: string;
let database: Database | undefined;
const restoreEnv = saveEnv('DATABASE_URL', 'MODELFACTS_DATA_DIR');

async function db(): Promise<Database> {
  database ??= await openDatabase({ url: '', dataDir });
  return database;
}

/** PGlite is one process, one handle: the CLI opens its own, so ours is closed first. */
async function closeDb(): Promise<void> {
  await database?.close();
  database = undefined;
}

/** Runs the real CLI in this process (a child process would start tsx and PGlite again). */
async function cli(args: string[], env: Record<string, string | undefined> = {}) {
  await closeDb();
  return runCliInProcess(args, env);
}

function allFacts(r: ConflictReport): ReportFact[] {
  return r.models.flatMap((m) => m.attributes.flatMap((a) => a.facts));
}

function miniFact(r: ConflictReport, attribute: string, pick: (f: ReportFact) => boolean = () => true): ReportFact {
  const found = allFacts(r).filter((f) => f.modelId === MINI && f.attribute === attribute && pick(f));
  expect(found, `${attribute} facts of ${MINI}`).toHaveLength(1);
  return found[0]!;
}

const money = (usd: string) => ({ kind: 'money', usd });

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  dataDir = freshPgliteDir();
  process.env.MODELFACTS_DATA_DIR = dataDir;
  const d = await db();
  await runRefresh(d, { replay: W16 });
  await runRefresh(d, { replay: W17 });
}, 180_000);

afterAll(async () => {
  await closeDb();
  restoreEnv();
  if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

describe('the conflict report for 2026-W17', () => {
  let report: ConflictReport;
  beforeAll(async () => {
    report = await buildConflictReport((await db()).db, { model: MINI });
  });

  it('is for the latest published week, with summary counts, run and source status', () => {
    expect(report.week).toBe('2026-W17');
    expect(report.run).toMatchObject({ status: 'ok', mode: 'replay' });
    expect(report.sourceProblems).toEqual([]);
    const listed = allFacts(report);
    expect(report.summary.listed).toBe(listed.length);
    expect(report.summary.byStatus['needs-review']).toBe(listed.filter((f) => f.status === 'needs-review').length);
    expect(report.summary.byModel).toEqual([expect.objectContaining({ modelId: MINI, listed: listed.length })]);
    expect(new Set(listed.map((f) => f.status))).toEqual(new Set(['auto-resolved', 'needs-review']));
    // every listed fact is a conflict with an id `resolve` takes
    for (const f of listed) expect(f.conflict).toMatchObject({ id: expect.any(Number), state: 'open' });
  });

  it('release date: 2025-10-06 at day precision, llm-stats’ January 2025 flagged as a likely placeholder', () => {
    const f = miniFact(report, 'release_date');
    expect(f.status).toBe('auto-resolved');
    expect(f.chosen).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
    expect(f.rule).toMatch(/placeholder/);
    const llmStats = f.candidates.find((c) => c.sourceId === 'llm-stats');
    expect(llmStats).toMatchObject({
      value: { kind: 'date', date: '2025-01', precision: 'month' },
      url: 'https://llm-stats.com/models/gpt-image-1-mini',
      excerpt: expect.stringContaining('January 2025'),
      fetchedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(llmStats!.flags).toEqual(expect.arrayContaining(['likely-placeholder', 'conflicting']));
  });

  it('per-image prices: anttisahla’s and llm-stats’ unqualified prices are ambiguous against the creator’s 1024x1024 prices', () => {
    const creator = { low: '0.005', medium: '0.011', high: '0.036' } as const;
    const antti = { low: '0.004', medium: '0.02', high: '0.07' } as const;
    for (const quality of ['low', 'medium', 'high'] as const) {
      const f = miniFact(
        report,
        'price',
        (x) => x.qualifiers.unit === 'per_image' && x.qualifiers.quality === quality && x.candidates.some((c) => c.sourceId === 'anttisahla'),
      );
      expect(f.status).toBe('needs-review');
      expect(f.ruleId).toBe('unqualified-ambiguous');
      expect(f.qualifiers.size).toBeUndefined();
      expect(f.candidates.map((c) => [c.sourceId, c.value])).toEqual([['anttisahla', money(antti[quality])]]);
      const openai1024 = f.related.find((r) => r.qualifiers.route === 'openai' && r.qualifiers.size === '1024x1024');
      expect(openai1024).toMatchObject({ chosen: money(creator[quality]), status: 'agreed' });
      expect(openai1024!.sources).toContain('openai-docs');
    }
    const llmStats = miniFact(
      report,
      'price',
      (x) => x.qualifiers.unit === 'per_image' && x.candidates.some((c) => c.sourceId === 'llm-stats'),
    );
    expect(llmStats).toMatchObject({ status: 'needs-review', chosen: null, ruleId: 'unqualified-ambiguous' });
    expect(llmStats.qualifiers).toMatchObject({ route: 'openai' });
    expect(llmStats.qualifiers.quality).toBeUndefined();
    expect(llmStats.candidates[0]!.value).toEqual(money('0.01'));
    const targets = Object.fromEntries(
      llmStats.related.filter((r) => r.qualifiers.size === '1024x1024').map((r) => [r.qualifiers.quality, r.chosen]),
    );
    expect(targets).toEqual({ low: money('0.005'), medium: money('0.011'), high: money('0.036') });
  });

  it('licence: the commercial-use terms need review, both candidates shown', () => {
    const f = miniFact(report, 'license');
    expect(f.status).toBe('needs-review');
    expect(f.chosen).toBeNull();
    expect(f.candidates.map((c) => [c.sourceId, c.value])).toEqual([
      ['llm-stats', { kind: 'license', name: 'Proprietary', commercialUse: 'non-commercial' }],
      ['llmreference-model', { kind: 'license', name: 'Proprietary', commercialUse: 'conditional' }],
    ]);
  });

  it('context window: not applicable and agreed, so not a conflict', async () => {
    expect(allFacts(report).some((f) => f.attribute === 'context_window')).toBe(false);
    const everything = await buildConflictReport((await db()).db, {
      model: MINI,
      statuses: ['agreed', 'single-source', 'auto-resolved', 'needs-review', 'reviewed'],
    });
    const f = miniFact(everything, 'context_window');
    expect(f.status).toBe('agreed');
    expect(f.chosen).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(f.conflict).toBeNull();
    expect(f.candidates.every((c) => c.value.kind === 'not_applicable')).toBe(true);
  });

  it('filters by status and source; reliability counts each source against the final value', async () => {
    const d = (await db()).db;
    const review = await buildConflictReport(d, { model: MINI, statuses: ['needs-review'] });
    expect(allFacts(review).every((f) => f.status === 'needs-review')).toBe(true);
    const bySource = await buildConflictReport(d, { source: 'llm-stats' });
    expect(allFacts(bySource).length).toBeGreaterThan(0);
    expect(allFacts(bySource).every((f) => f.candidates.some((c) => c.sourceId === 'llm-stats'))).toBe(true);
    expect(bySource.reliability.every((r) => r.sourceId === 'llm-stats')).toBe(true);
    // for this model, llm-stats' one release date (the placeholder) disagrees with the final value
    expect(report.reliability).toContainEqual({ sourceId: 'llm-stats', attribute: 'release_date', claims: 1, agreed: 0, share: 0 });
    const week = await reliabilityForWeek(d);
    expect(week.week).toBe('2026-W17');
    const row = week.rows.find((r) => r.sourceId === 'llm-stats' && r.attribute === 'release_date')!;
    expect(row.agreed).toBeLessThan(row.claims);
    expect(row.share).toBeCloseTo(row.agreed / row.claims);
    // beside the share agreed: the weight truth discovery learned, from the multi-source facts stored up to the week
    for (const r of week.rows) expect(r.weight === null ? r.compared === 0 : r.weight > 0 && r.compared > 0).toBe(true);
    expect(week.rows.some((r) => r.weight !== null)).toBe(true);
  });

  it('shows beside each chosen value what a plain majority vote would have chosen', () => {
    const lic = miniFact(report, 'license');
    // two sources, two terms: no majority
    expect(lic.majority).toBeNull();
    expect(lic.majorityAgrees).toBeNull();
    for (const f of allFacts(report)) if (f.majority && f.chosen) expect(typeof f.majorityAgrees).toBe('boolean');
    expect(renderMarkdown(report)).toContain('- majority vote would choose: — (a tie)');
  });

  it('renders as Markdown with status labels, conflict ids and excerpts in code spans', () => {
    const md = renderMarkdown(report);
    const lic = miniFact(report, 'license');
    expect(md).toMatch(/^# Conflict report — week 2026-W17/);
    expect(md).toContain(`**⚠ NEEDS-REVIEW** · conflict #${lic.conflict!.id} (open)`);
    expect(md).toContain('`GPT Image 1 Mini is released under the Proprietary license, which restricts commercial use.`');
    expect(md).toContain('## Source reliability');
  });
});

describe('parsing a reviewer’s --value by attribute', () => {
  it('reads prices, dates, licences, counts, lists and JSON values', () => {
    expect(parseDecisionValue('price', '0.005')).toEqual(money('0.005'));
    expect(parseDecisionValue('price', '$0.0100')).toEqual(money('0.01'));
    expect(parseDecisionValue('release_date', '2025-10-06')).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
    expect(parseDecisionValue('release_date', '2025-10')).toEqual({ kind: 'date', date: '2025-10', precision: 'month' });
    expect(parseDecisionValue('license', 'Proprietary:conditional')).toEqual({
      kind: 'license',
      name: 'Proprietary',
      commercialUse: 'conditional',
    });
    expect(parseDecisionValue('license', 'Proprietary (commercial use: non-commercial)')).toMatchObject({ commercialUse: 'non-commercial' });
    expect(parseDecisionValue('license', '{"kind":"license","name":"Apache-2.0","commercialUse":"allowed"}')).toEqual({
      kind: 'license',
      name: 'Apache-2.0',
      commercialUse: 'allowed',
    });
    expect(parseDecisionValue('context_window', '128K')).toEqual({ kind: 'count', count: 128000 });
    expect(parseDecisionValue('context_window', 'n/a')).toEqual({ kind: 'not_applicable', stated: 'n/a' });
    expect(parseDecisionValue('input_modalities', 'Text, image')).toEqual({ kind: 'list', items: ['image', 'text'] });
    expect(parseDecisionValue('family', 'GPT Image')).toEqual({ kind: 'text', text: 'GPT Image' });
  });

  it('refuses values that do not fit the attribute, naming them', () => {
    for (const [attribute, text] of [
      ['price', 'cheap'],
      ['price', '0.005 per image'],
      ['price', '-1'],
      ['release_date', 'soon'],
      ['license', 'Proprietary:maybe'],
      ['license', '{"kind":"money","usd":"1"}'],
      ['gateway_count', 'n/a'],
      ['price', '{not json'],
    ] as const) {
      expect(() => parseDecisionValue(attribute, text)).toThrow(ReviewInputError);
      expect(() => parseDecisionValue(attribute, text)).toThrow(JSON.stringify(text));
    }
  });
});

describe('reviewer decisions through the CLI, kept and re-opened across weeks', () => {
  let licenceId: number;
  const tmp = mkdtempSync(join(tmpdir(), 'modelfacts-w19-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('`conflicts --format json` prints the report, with the licence conflict id', async () => {
    const r = await cli(['conflicts', '--format', 'json', '--model', MINI, '--status', 'needs-review']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ConflictReport;
    expect(report.week).toBe('2026-W17');
    const lic = miniFact(report, 'license');
    expect(lic.conflict?.state).toBe('open');
    licenceId = lic.conflict!.id;
  });

  it('`resolve` refuses an unknown id and an unreadable value with exit 2', async () => {
    const unknown = await cli(['resolve', '999999', '--value', 'Proprietary:conditional', '--note', 'x', '--by', 'ada']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no conflict with id 999999/);
    const bad = await cli(['resolve', String(licenceId), '--value', 'Proprietary:sometimes', '--note', 'x', '--by', 'ada']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Proprietary:sometimes"');
    expect(bad.stderr).toMatch(/license/);
  });

  it('`resolve` records value, note, who and when, and the fact reads reviewed at once', async () => {
    const r = await cli(
      ['resolve', String(licenceId), '--value', 'Proprietary:conditional', '--note', 'OpenAI terms allow commercial use under conditions', '--json'],
      { MODELFACTS_REVIEWER: 'Ada Reviewer' },
    );
    expect(r.code, r.stderr).toBe(0);
    const decision = JSON.parse(r.stdout);
    expect(decision).toMatchObject({
      conflictId: licenceId,
      week: '2026-W17',
      by: 'Ada Reviewer',
      note: 'OpenAI terms allow commercial use under conditions',
      value: { kind: 'license', name: 'Proprietary', commercialUse: 'conditional' },
      fact: { status: 'reviewed', chosen: { kind: 'license', name: 'Proprietary', commercialUse: 'conditional' } },
    });
    const d = await db();
    const [row] = await d.db.select().from(conflicts).where(eq(conflicts.id, licenceId));
    expect(row).toMatchObject({ state: 'resolved', decidedBy: 'Ada Reviewer', decisionCandidatesHash: decision.candidatesHash });
    expect(Date.now() - new Date(row!.decidedAt!).getTime()).toBeLessThan(10 * 60_000);
    const lic = miniFact(await buildConflictReport(d.db, { model: MINI }), 'license');
    expect(lic.status).toBe('reviewed');
    expect(lic.conflict).toMatchObject({ state: 'resolved', decision: { by: 'Ada Reviewer', candidatesUnchanged: true } });
    expect(lic.rule).toMatch(/^reviewed: .*Ada Reviewer chose Proprietary \(commercial use: conditional\)/);
  });

  it('another week’s refresh with the same candidates keeps the decision', async () => {
    const r = await cli(['refresh', '--replay', W17, '--week', '2026-W18', '--source', ...NO_BROWSER]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(r.stdout).toMatch(/run \d+ \(2026-W18\): ok/);
    const report = await buildConflictReport((await db()).db, { model: MINI });
    expect(report.week).toBe('2026-W18');
    const lic = miniFact(report, 'license');
    expect(lic.status).toBe('reviewed');
    expect(lic.chosen).toEqual({ kind: 'license', name: 'Proprietary', commercialUse: 'conditional' });
    expect(lic.conflict).toMatchObject({ id: licenceId, state: 'resolved', reason: null });
  });

  it('a week where one candidate changed re-opens the decision, with the reason', async () => {
    // a copy of the W17 archive (manifest kept) where llm-stats now says commercial use is allowed
    const archive = join(tmp, '2026-W17');
    cpSync(W17, archive, { recursive: true });
    const page = join(archive, 'pages/llm-stats.com/models/gpt-image-1-mini.html');
    const html = readFileSync(page, 'utf8');
    const changed = html
      .replace('"commercial_use":false', '"commercial_use":true')
      .replace('which restricts commercial use', 'which permits commercial use');
    expect(changed).not.toBe(html);
    expect(changed).toContain('which permits commercial use');
    writeFileSync(page, changed);

    const d = await db();
    const run = await runRefresh(d, { replay: archive, week: '2026-W19', source: NO_BROWSER });
    expect(run.status).toBe('ok');
    expect(run.reopened).toEqual([
      expect.objectContaining({ factKey: `${MINI}|license|`, reason: expect.stringMatching(/llm-stats now says Proprietary \(commercial use: allowed\)/) }),
    ]);
    const report = await buildConflictReport(d.db, { model: MINI });
    expect(report.week).toBe('2026-W19');
    const lic = miniFact(report, 'license');
    expect(lic.status).toBe('needs-review');
    expect(lic.ruleId).toBe('reopened');
    expect(lic.conflict).toMatchObject({
      id: licenceId,
      state: 'reopened',
      recordedState: 'reopened',
      reason: expect.stringContaining('candidates changed since review'),
      decision: { by: 'Ada Reviewer', candidatesUnchanged: false },
    });
    expect(lic.candidates.find((c) => c.sourceId === 'llm-stats')?.value).toEqual({
      kind: 'license',
      name: 'Proprietary',
      commercialUse: 'allowed',
    });
    // the earlier weeks still read as they were decided
    const w18 = miniFact(await buildConflictReport(d.db, { model: MINI, week: '2026-W18' }), 'license');
    expect(w18).toMatchObject({ status: 'reviewed', conflict: { state: 'resolved' } });
    const w16 = miniFact(await buildConflictReport(d.db, { model: MINI, week: '2026-W16' }), 'license');
    expect(w16).toMatchObject({ status: 'needs-review', conflict: { state: 'open' } });
  });
});
