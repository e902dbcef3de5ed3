/**
 * Distributed refresh (issue 18) against a real Postgres: worker processes share the
 * work through pg-boss, one is killed with kill -9 mid-page, and the published week
 * equals a single-process refresh of the same generated corpus (all but fetch times);
 * the corpus servers count politeness violations. Then the faults: a page that fails
 * for good ends in a dead letter named in its source's status, a run past its deadline
 * fails as a whole, a second run of the same week is refused, the cron job starts a run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CORPUS_SOURCES, generateCorpus, serveCorpus, type ServedCorpus } from '../bench/corpus.js';
import { mirrorTransport } from '../pipelines/fetch/mirror.js';
import { openDatabase, type Database } from '../pipelines/store/db.js';
import { loadDistributedRun } from '../pipelines/store/distributed.js';
import { startQueue, stopQueue, type Boss } from '../pipelines/store/queue.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { runDetail } from '../pipelines/store/runs.js';
import { QUEUES } from '../pipelines/run/distributed/queues.js';
import { startDistributedRefresh, waitForRun } from '../pipelines/run/distributed/start.js';
import { startWorker } from '../pipelines/run/distributed/worker.js';
import { refresh } from '../pipelines/run/refresh.js';
import { runCli } from './helpers/cli.js';
import { createPgDatabase, freshDb, type TestDb } from './helpers/db.js';
import { factsWithoutFetchTimes, spawnWorker } from './helpers/distributed.js';

const WEEK = '2026-W17';
/** The servers' limit, and the spacing the run asks of every host (a little under it). */
const RATE = 20;
const POLITE = { hostIntervalMs: 60, hostConcurrency: 2, retries: 1, backoffBaseMs: 50, timeoutMs: 3000 };

async function migrated(): Promise<{ url: string; database: Database; drop: () => Promise<void> }> {
  const { url, drop } = await createPgDatabase();
  const m = await runCli(['migrate'], { DATABASE_URL: url });
  expect(m.code, m.stderr).toBe(0);
  const database = await openDatabase({ url });
  return { url, database, drop: async () => (await database.close(), await drop()) };
}

describe('refresh --distributed with worker processes on Postgres', () => {
  const corpus = generateCorpus({ models: 48, seed: 3 });
  let served: ServedCorpus;
  let single: TestDb;
  let dist: Awaited<ReturnType<typeof migrated>>;

  beforeAll(async () => {
    // every page answers after 150 ms: a worker always has pages in hand when it is killed
    served = await serveCorpus(corpus, { addresses: 4, ratePerSecond: RATE, delayMs: 150 });
    [single, dist] = await Promise.all([freshDb('postgres'), migrated()]);
  });
  afterAll(async () => {
    await served?.close();
    await single?.drop();
    await dist?.drop();
  });

  it('a worker killed mid-page: its page is retried by another, claims count once, the week equals one process', async () => {
    const one = await refresh({
      database: single.database,
      sources: CORPUS_SOURCES,
      week: WEEK,
      mode: 'replay',
      transport: mirrorTransport(served.origins),
      fetcherOptions: POLITE,
    });
    expect(one.status).toBe('ok');

    const boss = await startQueue(dist.database, { schedule: false, supervise: false });
    let workers: ReturnType<typeof spawnWorker>[] = [];
    try {
      const run = await startDistributedRefresh(dist.database, boss, {
        week: WEEK,
        sources: CORPUS_SOURCES,
        transport: { kind: 'mirror', origins: served.origins },
        fetcher: POLITE,
        jobExpireSeconds: 3,
      });
      // the run lock: a second distributed refresh of the week is refused while this one runs. Asked before any
      // worker starts, so the run is still running however long the CLI takes to start (on a loaded machine it
      // took longer than the whole run, which had been published by then)
      const second = await runCli(['refresh', '--distributed', '--week', WEEK, '--source', 'anttisahla'], { DATABASE_URL: dist.url });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`a distributed refresh of ${WEEK} is already running \\(distributed run ${run.id}\\)`));

      workers = [spawnWorker(dist.url, ['--concurrency', '3']), spawnWorker(dist.url, ['--concurrency', '3'])];
      await Promise.all(workers.map((w) => w.waitFor((l) => l.event === 'worker.started')));
      const [victim, survivor] = workers as [(typeof workers)[0], (typeof workers)[0]];
      await victim.waitFor((l) => l.event === 'job.started' && l.queue === QUEUES.page);
      victim.child.kill('SIGKILL');
      await victim.exited;
      const inHand = victim.lines.filter((l) => l.event === 'job.started' && l.queue === QUEUES.page).map((l) => l.job);
      const finished = new Set(victim.lines.filter((l) => l.event === 'job.done').map((l) => l.job));
      const lost = inHand.filter((j) => !finished.has(j));
      expect(lost.length).toBeGreaterThan(0);

      const end = await waitForRun(dist.database, run.id, { intervalMs: 250 });
      expect(end.error).toBeNull();
      expect(end.state).toBe('published');
      // the pages the killed worker held were retried (after their expiry) by the survivor. A page it had
      // staged but whose job it had not completed yet counts as done for the run, which may publish before
      // that job expires and is retried: its retry is waited for (a minute at most), not assumed to have run
      const retriedLost = async () => {
        const retried = await dist.database.db.execute(
          sql`select id::text from modelfacts_queue.job where name = ${QUEUES.page} and retry_count > 0 and state = 'completed'`,
        );
        const retriedIds = (retried as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
        return lost.filter((j) => retriedIds.includes(j as string));
      };
      for (let waited = 0; (await retriedLost()).length < lost.length && waited < 60_000; waited += 250) await new Promise((ok) => setTimeout(ok, 250));
      expect(await retriedLost()).toEqual(lost);
      expect(survivor.lines.some((l) => l.event === 'job.started' && lost.includes(l.job))).toBe(true);

      const detail = await runDetail(dist.database.db, end.runId!);
      expect(detail!.status).toBe('ok');
      expect(detail!.counts).toEqual((await runDetail(single.database.db, one.runId))!.counts);
      expect(await factsWithoutFetchTimes(dist.database.db)).toEqual(await factsWithoutFetchTimes(single.database.db));
      expect(served.violations()).toBe(0);

      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
      expect(survivor.lines.map((l) => l.event)).toContain('worker.stopped');
    } finally {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await stopQueue(boss);
    }
  }, 120_000);
});

describe('distributed refresh faults (worker in this process, Postgres)', () => {
  let db: TestDb;
  let boss: Boss;
  beforeAll(async () => {
    db = await freshDb('postgres');
    boss = await startQueue(db.database, { maintenanceIntervalSeconds: 1 });
  });
  afterAll(async () => {
    await stopQueue(boss);
    await db?.drop();
  });

  it('a page whose job keeps getting lost ends in a dead letter named in its source status', async () => {
    const corpus = generateCorpus({ models: 8, seed: 5 });
    const stuck = corpus.sites.find((s) => s.source.id === 'anttisahla')!.modelUrls[0]!;
    // the page answers after its job has long expired: pg-boss takes it for a lost worker, with no retry left
    const served = await serveCorpus(corpus, { addresses: 2, delayMs: (url) => (url === stuck ? 6000 : 0) });
    const worker = await startWorker(db.database, boss, { concurrency: 4, idleMs: 100, log: (e, f) => process.env.DEBUG_DIST && console.log(e, JSON.stringify(f)) });
    try {
      const run = await startDistributedRefresh(db.database, boss, {
        week: '2026-W15',
        sources: CORPUS_SOURCES,
        transport: { kind: 'mirror', origins: served.origins },
        fetcher: { hostIntervalMs: 0, timeoutMs: 20_000 },
        pageRetries: 0,
        jobExpireSeconds: 1,
      });
      const end = await waitForRun(db.database, run.id, { intervalMs: 200 });
      expect(end.state).toBe('published');
      const detail = await runDetail(db.database.db, end.runId!);
      const status = detail!.sourceStatus.anttisahla!;
      expect(status.status).toBe('broken');
      expect(status.reason).toMatch(new RegExp(`${stuck.replace(/[.]/g, '\\.')}: page job failed for good \\(dead letter [0-9a-f-]+\\)`));
      expect(detail!.sourceStatus['llm-stats']!.status).toBe('ok');
    } finally {
      await worker.stop();
      await served.close();
    }
  }, 60_000);

  it('a run whose deadline passes fails as a whole and publishes nothing', async () => {
    const corpus = generateCorpus({ models: 12, seed: 6 });
    const served = await serveCorpus(corpus, { addresses: 1, delayMs: 700 });
    const worker = await startWorker(db.database, boss, { concurrency: 2, idleMs: 100 });
    const before = await factsWithoutFetchTimes(db.database.db);
    const beforeW16 = await queryFacts(db.database.db, { asOf: '2026-W16' });
    try {
      const run = await startDistributedRefresh(db.database, boss, {
        week: '2026-W16',
        sources: CORPUS_SOURCES,
        transport: { kind: 'mirror', origins: served.origins },
        fetcher: { hostIntervalMs: 0, hostConcurrency: 1 },
        deadlineMinutes: 3 / 60,
      });
      const end = await waitForRun(db.database, run.id, { intervalMs: 200 });
      expect(end.state).toBe('failed');
      expect(end.error).toMatch(/deadline passed/);
      const stopped = await runDetail(db.database.db, end.runId!);
      expect(stopped!.status).toBe('aborted');
      expect(stopped!.week).toBe('2026-W16');
      // nothing of the run is published: the facts of every week read as before
      expect(await factsWithoutFetchTimes(db.database.db)).toEqual(before);
      expect(await queryFacts(db.database.db, { asOf: '2026-W16' })).toEqual(beforeW16);
      const w16 = await db.database.db.execute(sql`select status from runs where week = '2026-W16'`);
      expect((w16 as unknown as { rows: { status: string }[] }).rows).toEqual([{ status: 'aborted' }]);
    } finally {
      await worker.stop();
      await served.close();
    }
  }, 60_000);

  it('`schedule --distributed` registers the weekly refresh as one pg-boss cron job, however many schedulers register it', async () => {
    const { spawn } = await import('node:child_process');
    const scheduler = () =>
      new Promise<void>((ok, fail) => {
        const child = spawn(process.execPath, ['bin/modelfacts.js', 'schedule', '--distributed', '--cron', '0 6 * * 1', '--source', 'litellm'], {
          env: { ...process.env, DATABASE_URL: db.url, CI: 'true' },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        let stopped = false;
        child.stderr.on('data', (d: Buffer) => {
          err += d.toString();
          if (!stopped && err.includes('"schedule.registered"')) stopped = child.kill('SIGTERM');
        });
        child.once('exit', (code) => (code === 0 && err.includes('"schedule.stopped"') ? ok() : fail(new Error(`scheduler exited ${code}: ${err}`))));
      });
    await Promise.all([scheduler(), scheduler()]);
    const schedules = await boss.getSchedules();
    expect(schedules.map((x) => ({ name: x.name, cron: x.cron, data: x.data }))).toEqual([
      { name: QUEUES.refresh, cron: '0 6 * * 1', data: { sources: ['litellm'] } },
    ]);
  }, 60_000);

  it('the cron job of `schedule --distributed` starts a distributed run of the current week; a second one while it runs is skipped', async () => {
    const events: string[] = [];
    const worker = await startWorker(db.database, boss, { concurrency: 2, idleMs: 100, log: (e) => events.push(e) });
    try {
      // what the cron monitor sends at the scheduled time
      await boss.send(QUEUES.refresh, { sources: ['openai-pricing'], replay: 'fixtures/replay/2026-W17', deadlineMinutes: 30 });
      await boss.send(QUEUES.refresh, { sources: ['openai-pricing'], replay: 'fixtures/replay/2026-W17', deadlineMinutes: 30 });
      for (let i = 0; i < 100 && !(events.includes('schedule.run.started') && events.includes('schedule.run.skipped')); i++) {
        await new Promise((ok) => setTimeout(ok, 100));
      }
      expect(events.filter((e) => e === 'schedule.run.started')).toHaveLength(1);
      expect(events.filter((e) => e === 'schedule.run.skipped')).toHaveLength(1);
      const [row] = (
        (await db.database.db.execute(sql`select id from distributed_runs order by id desc limit 1`)) as unknown as { rows: { id: number }[] }
      ).rows;
      const end = await waitForRun(db.database, row!.id, { intervalMs: 200 });
      expect(end.state).toBe('published');
      expect((await loadDistributedRun(db.database.db, row!.id))!.plan.sources).toEqual(['openai-pricing']);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});
