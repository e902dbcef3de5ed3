/**
 * The jobs of a distributed refresh. A source job fetches the source's index pages and
 * enqueues one page job per page; a page job fetches, extracts and normalizes its page
 * and stages it (store/distributed.ts, keyed by run, source and page); when every page
 * is finished or failed for good, one finalize job runs `collectAndPublish` — the very
 * function a single-process refresh runs — over the staged pages: health checks,
 * reconcile and publish in one transaction, the staged readings used as they are.
 */
import type { SourceModule } from '../../../extractors/contract.js';
import { SOURCES } from '../../../extractors/registry.js';
import { SourceFailure } from '../../../schema/errors.js';
import { isoWeek } from '../../../schema/week.js';
import {
  Fetcher,
  liveTransport,
  MissingPageError,
  PermanentFetchError,
  RobotsDisallowedError,
  type FetchedPage,
  type Transport,
} from '../../fetch/index.js';
import { mirrorTransport } from '../../fetch/mirror.js';
import { loadArchive, startReplayServer } from '../../fetch/replay.js';
import type { Database } from '../../store/db.js';
import {
  discoveredUrls,
  dropStagedPages,
  finishDistributedRun,
  loadDistributedRun,
  recordDiscovery,
  runProgress,
  stagedAttempt,
  stagedPages,
  stagePage,
  type DistributedRun,
} from '../../store/distributed.js';
import { previousFetches } from '../../store/previous.js';
import type { Boss, QueueJob } from '../../store/queue.js';
import { publishedRunAt, recordStoppedRun } from '../../store/runs.js';
import { loadAliasTable } from '../aliases.js';
import { conditionalGetter } from '../conditional-get.js';
import { collectAndPublish, describeError, discoverPages, readPage, type PageReading } from '../refresh.js';
import { RunStoppedError } from '../stopped.js';
import { jobId, QUEUES, type DeadJob, type PageJob, type RefreshJob, type RunJob, type SourceJob } from './queues.js';
import { databaseHostLimiter, databaseRobotsStore } from './politeness.js';
import { startDistributedRefresh } from './start.js';

/** A staged fetch failure, read back in the finalize job: the page failed as it did in the page job. */
class StagedFetchError extends PermanentFetchError {
  constructor(message: string) {
    super(message);
    this.name = 'StagedFetchError';
  }
}

/** The least time between two completion checks of a run in one worker (each counts the run's staged pages). */
const CHECK_SPACING_MS = 250;

export type JobLog = (event: string, fields: Record<string, unknown>) => void;

interface RunContext {
  run: DistributedRun;
  get: (url: string, source: SourceModule) => Promise<FetchedPage>;
  identity: Awaited<ReturnType<typeof loadAliasTable>>;
  checkedAt: number;
  running: boolean;
  close(): Promise<void>;
}

function sourceById(id: string): SourceModule {
  const s = SOURCES.find((x) => x.id === id);
  // a worker older than the run's starter: a bug of the deployment, not a site failure
  if (!s) throw new Error(`source ${JSON.stringify(id)} is not registered in this worker (is it the same modelfacts version?)`);
  return s;
}

/** What a worker keeps while it takes a run's jobs: the fetcher (shared limits), previous fetches, the alias table. */
export class Jobs {
  private readonly contexts = new Map<number, Promise<RunContext>>();
  private readonly replays = new Map<string, Promise<Awaited<ReturnType<typeof startReplayServer>>>>();
  /** Per run: the completion check in progress and the one queued after it (finalizeSoon). */
  private readonly checks = new Map<number, { startedAt: number; running: Promise<void> | undefined; next: Promise<void> | undefined }>();

  constructor(
    private readonly database: Database,
    private readonly boss: Boss,
    private readonly log: JobLog = () => undefined,
  ) {}

  private transportFor(run: DistributedRun): Promise<Transport> | Transport {
    const t = run.plan.transport;
    if (t.kind === 'live') return liveTransport;
    if (t.kind === 'mirror') return mirrorTransport(t.origins);
    // each worker serves the archive itself, from the same folder
    let server = this.replays.get(t.folder);
    if (!server) {
      server = startReplayServer(loadArchive(t.folder));
      this.replays.set(t.folder, server);
    }
    return server.then((s) => s.transport);
  }

  private async context(runId: number): Promise<RunContext | undefined> {
    let ctx = this.contexts.get(runId);
    if (!ctx) {
      const run = await loadDistributedRun(this.database.db, runId);
      if (!run || run.state !== 'running') return undefined;
      // a worker lives for many weekly runs: the fetchers of runs seen ended are closed
      for (const [id, old] of this.contexts) {
        void old
          .then(async (c) => {
            if (c.running) return;
            this.contexts.delete(id);
            await c.close();
          })
          .catch(() => this.contexts.delete(id));
      }
      ctx = (async () => {
        const f = run.plan.fetcher ?? {};
        const fetcher = new Fetcher({
          transport: await this.transportFor(run),
          runDeadline: run.deadlineMs,
          ...f,
          hostLimiter: databaseHostLimiter(this.database.db, { leaseMs: (f.timeoutMs ?? 30_000) + 10_000 }),
          robotsStore: databaseRobotsStore(this.database.db, run.id, (f.timeoutMs ?? 30_000) + 5_000),
        });
        const previous = await previousFetches(this.database.db, run.plan.sources);
        return {
          run,
          get: conditionalGetter(this.database.db, fetcher, previous),
          identity: await loadAliasTable(this.database.db),
          checkedAt: Date.now(),
          running: true,
          close: () => fetcher.close(),
        };
      })();
      this.contexts.set(runId, ctx);
    }
    const c = await ctx;
    // the run may have ended (published, deadline) since this worker cached it: looked at once a second
    // (a job that outlives its run a moment writes nothing: stagePage checks the run is still running)
    if (Date.now() - c.checkedAt > 1000) {
      const now = await loadDistributedRun(this.database.db, runId);
      c.checkedAt = Date.now();
      c.running = now?.state === 'running';
    }
    return c.running ? c : undefined;
  }

  async close(): Promise<void> {
    for (const c of this.contexts.values()) await (await c.catch(() => undefined))?.close();
    for (const s of this.replays.values()) await (await s.catch(() => undefined))?.close();
    this.contexts.clear();
    this.replays.clear();
  }

  /**
   * Runs one job of the named queue; throws to have pg-boss retry it. A page job resolves
   * once its page is staged, with the rest of its work (the run's completion check, shared
   * by the page jobs that end about the same time) as a promise to await before the job
   * counts as done: the worker's slot is free meanwhile.
   */
  async handle(queue: string, job: QueueJob<unknown>): Promise<{ after?: Promise<void> } | void> {
    switch (queue) {
      case QUEUES.source:
        return this.sourceJob(job.data as SourceJob);
      case QUEUES.page:
        return this.pageJob(job.data as PageJob);
      case QUEUES.dead:
        return this.deadJob(job as QueueJob<DeadJob>);
      case QUEUES.finalize:
        return this.finalizeJob((job.data as RunJob).run);
      case QUEUES.deadline:
        return this.deadlineJob((job.data as RunJob).run);
      case QUEUES.refresh:
        return this.refreshJob(job.data as RefreshJob);
      default:
        throw new Error(`no handler for queue ${queue}`);
    }
  }

  private async sourceJob(data: SourceJob): Promise<void> {
    const ctx = await this.context(data.run);
    if (!ctx) return;
    const source = sourceById(data.sourceId);
    const db = this.database.db;
    const get = async (url: string) => {
      try {
        const page = await ctx.get(url, source);
        await stagePage(db, { run: data.run, sourceId: source.id, url, kind: 'index', state: 'ok', page });
        return page;
      } catch (error) {
        if (error instanceof SourceFailure) {
          await stagePage(db, { run: data.run, sourceId: source.id, url, kind: 'index', state: 'failed', error: errorRecord(error) });
        }
        throw error;
      }
    };
    let urls: string[];
    try {
      urls = await discoverPages(source, get);
    } catch (error) {
      // the index failed or changed layout: no page job; the finalize reads the same failure from the staged index
      if (!(error instanceof SourceFailure)) throw error;
      urls = [];
    }
    const plan = ctx.run.plan;
    if (urls.length > 0) {
      await this.boss.insert(
        urls.map((url) => ({
          id: jobId(data.run, source.id, url),
          name: QUEUES.page,
          data: { run: data.run, sourceId: source.id, url } satisfies PageJob,
          retryLimit: plan.pageRetries,
          retryDelay: 1,
          expireInSeconds: plan.jobExpireSeconds,
          deadLetter: QUEUES.dead,
        })),
      );
    }
    // recorded after the page jobs exist: from now on the run waits for them
    await recordDiscovery(db, data.run, source.id, urls);
    this.log('source.discovered', { run: data.run, source: source.id, pages: urls.length });
    await this.finalizeWhenDone(ctx.run);
  }

  /** Fetches, reads and stages the page; resolves with the run's completion check still to come (wrapped: a bare promise would be awaited). */
  private async pageJob(data: PageJob): Promise<{ after?: Promise<void> }> {
    const ctx = await this.context(data.run);
    if (!ctx) return {};
    const source = sourceById(data.sourceId);
    const db = this.database.db;
    const key = { run: data.run, sourceId: source.id, url: data.url, kind: 'page' as const };
    let page: FetchedPage;
    try {
      page = await ctx.get(data.url, source);
    } catch (error) {
      if (error instanceof SourceFailure) {
        // the fetcher's own retries are spent (or robots.txt said no, or 404): final for this page, as in one process
        await stagePage(db, { ...key, state: 'failed', error: errorRecord(error) });
        return { after: this.finalizeSoon(ctx.run) };
      }
      // anything else is worth another attempt by pg-boss; kept so the dead letter can name it
      await stagePage(db, { ...key, state: 'attempt', error: errorRecord(error) });
      throw error;
    }
    let reading: PageReading | undefined;
    try {
      reading = readPage(source, data.url, page, ctx.identity);
    } catch {
      // a changed layout (or a bug): the finalize reads the page again and meets the same error where one process would
      reading = undefined;
    }
    await stagePage(db, { ...key, state: 'ok', page, reading });
    return { after: this.finalizeSoon(ctx.run) };
  }

  /** A source or page job that failed for good: its page is recorded as failed, naming the dead letter. */
  private async deadJob(job: QueueJob<DeadJob>): Promise<void> {
    const data = job.data;
    const run = await loadDistributedRun(this.database.db, data.run);
    if (!run || run.state !== 'running') return;
    const db = this.database.db;
    const source = sourceById(data.sourceId);
    if ('url' in data) {
      const last = await stagedAttempt(db, data.run, data.sourceId, data.url);
      if (last && last.state !== 'attempt') return;
      const why = last?.error?.message ?? 'its worker was lost each time (the job expired while active)';
      await stagePage(db, {
        run: data.run,
        sourceId: data.sourceId,
        url: data.url,
        kind: 'page',
        state: 'failed',
        error: { class: 'DeadLetter', message: `${data.url}: page job failed for good (dead letter ${job.id}): ${why}` },
      });
    } else {
      if (await discoveredUrls(db, data.run, data.sourceId)) return;
      const message = `source job failed for good (dead letter ${job.id})`;
      for (const url of source.index?.urls ?? source.pages ?? []) {
        await stagePage(db, { run: data.run, sourceId: data.sourceId, url, kind: source.index ? 'index' : 'page', state: 'failed', error: { class: 'DeadLetter', message: `${url}: ${message}` } });
      }
      await recordDiscovery(db, data.run, data.sourceId, source.index ? [] : (source.pages ?? []));
    }
    this.log('job.dead', { run: data.run, source: data.sourceId, ...('url' in data ? { url: data.url } : {}) });
    await this.finalizeWhenDone(run);
  }

  /**
   * `finalizeWhenDone` for a page just staged, shared with the other page jobs of the run
   * in this worker: the check that resolves the promise starts after the call (so it sees
   * the page), at most one runs at a time and they start at least CHECK_SPACING_MS apart.
   * A page job is completed only after its check, so a worker killed in between leaves the
   * job to be retried, and the retry checks again: no run waits for a check that never ran.
   */
  private finalizeSoon(run: DistributedRun): Promise<void> {
    let c = this.checks.get(run.id);
    if (!c) {
      c = { startedAt: 0, running: undefined, next: undefined };
      this.checks.set(run.id, c);
    }
    const checks = c;
    if (checks.next) return checks.next;
    const start = async (): Promise<void> => {
      const wait = checks.startedAt + CHECK_SPACING_MS - Date.now();
      if (wait > 0) await new Promise((ok) => setTimeout(ok, wait));
      checks.startedAt = Date.now();
      await this.finalizeWhenDone(run);
    };
    const previous = checks.running;
    const next: Promise<void> = (previous ? previous.catch(() => undefined) : Promise.resolve()).then(() => {
      // from here on a new call needs a check that starts later than this one
      if (checks.next === next) checks.next = undefined;
      const running = start();
      checks.running = running;
      void running
        .catch(() => undefined)
        .finally(() => {
          if (checks.running === running) checks.running = undefined;
          if (!checks.running && !checks.next) this.checks.delete(run.id);
        });
      return running;
    });
    checks.next = next;
    return next;
  }

  /** Every source discovered and every page finished: queue the run's finalize (at most one waits). */
  private async finalizeWhenDone(run: DistributedRun): Promise<void> {
    const p = await runProgress(this.database.db, run);
    if (p.discovered < p.sources || p.done < p.expected) return;
    await this.boss.send(QUEUES.finalize, { run: run.id } satisfies RunJob, { singletonKey: `run-${run.id}`, expireInSeconds: 3600 });
  }

  private async finalizeJob(runId: number): Promise<void> {
    const db = this.database.db;
    const run = await loadDistributedRun(db, runId);
    if (!run || run.state !== 'running') return;
    if (Date.now() > run.deadlineMs) return this.failRun(run, 'the run\'s deadline passed before every page was done');
    const p = await runProgress(db, run);
    if (p.discovered < p.sources || p.done < p.expected) return;
    // the one-refresh-at-a-time lock of the single-process refresh: held, this job is retried shortly
    const release = await this.database.lock();
    try {
      const now = await loadDistributedRun(db, runId);
      if (!now || now.state !== 'running') return;
      // a finalize that published and died before recording it: the run record says so
      const published = await publishedRunAt(db, run.week, run.startedAt);
      if (published !== undefined) {
        await finishDistributedRun(db, runId, { state: 'published', runId: published });
        return;
      }
      const staged = new Map((await stagedPages(db, runId)).map((r) => [`${r.sourceId}\u0000${r.url}`, r]));
      const getPage = async (url: string, source: SourceModule): Promise<FetchedPage> => {
        const row = staged.get(`${source.id}\u0000${url}`);
        if (!row) throw new StagedFetchError(`${url}: no worker fetched it in this run`);
        if (row.state === 'ok') return row.page as FetchedPage;
        throw stagedError(url, row.error ?? { class: 'StagedFetchError', message: `${url}: failed` });
      };
      const readings = (sourceId: string, url: string) => (staged.get(`${sourceId}\u0000${url}`)?.reading ?? undefined) as PageReading | undefined;
      let result;
      try {
        result = await collectAndPublish(
          {
            database: this.database,
            sources: run.plan.sources.map(sourceById),
            week: run.week,
            mode: run.mode,
            health: { skipFor: run.plan.skipHealth },
          },
          getPage,
          true,
          { startedAt: run.startedAt, readings },
        );
      } catch (error) {
        // a bug or a database fault stopped the run (recorded as aborted, as in one process): the run fails
        if (error instanceof RunStoppedError) {
          await finishDistributedRun(db, runId, { state: 'failed', runId: error.runId, error: describeError(error) });
          this.log('run.failed', { run: runId, error: describeError(error) });
          return;
        }
        throw error;
      }
      await finishDistributedRun(db, runId, { state: 'published', runId: result.runId });
      await dropStagedPages(db, runId);
      this.log('run.published', { run: runId, runId: result.runId, status: result.status });
    } finally {
      await release();
    }
  }

  private async deadlineJob(runId: number): Promise<void> {
    const run = await loadDistributedRun(this.database.db, runId);
    if (!run || run.state !== 'running') return;
    if (Date.now() < run.deadlineMs) throw new Error(`run ${runId}: deadline job ran early`);
    await this.failRun(run, 'the run\'s deadline passed before it was published');
  }

  /** The run fails as a whole: nothing of it is published; `runs` lists it as aborted. */
  private async failRun(run: DistributedRun, why: string): Promise<void> {
    const release = await this.database.lock();
    try {
      const p = await runProgress(this.database.db, run);
      const error = `${why} (${p.discovered} of ${p.sources} sources discovered, ${p.done} of ${p.expected} pages done)`;
      const runId = await recordStoppedRun(this.database.db, { week: run.week, mode: run.mode, startedAt: run.startedAt, error });
      if (await finishDistributedRun(this.database.db, run.id, { state: 'failed', runId, error })) {
        await dropStagedPages(this.database.db, run.id);
        this.log('run.failed', { run: run.id, error });
      }
    } finally {
      await release();
    }
  }

  /** The cron job: a distributed refresh of the current week; a week already running is skipped. */
  private async refreshJob(data: RefreshJob): Promise<void> {
    const sources = (data.sources?.length ? data.sources : SOURCES.map((s) => s.id)).map(sourceById);
    try {
      const run = await startDistributedRefresh(this.database, this.boss, {
        week: isoWeek(new Date()),
        sources,
        skipHealth: data.skipHealth ?? [],
        transport: data.replay ? { kind: 'replay', folder: data.replay } : { kind: 'live' },
        deadlineMinutes: data.deadlineMinutes,
      });
      this.log('schedule.run.started', { run: run.id, week: run.week });
    } catch (error) {
      if ((error as Error).name !== 'DistributedRunHeldError') throw error;
      this.log('schedule.run.skipped', { error: (error as Error).message });
    }
  }
}

function errorRecord(error: unknown): { class: string; message: string } {
  return { class: (error as Error)?.name ?? 'Error', message: describeError(error) };
}

/** The staged failure as the error class the single-process refresh would have met. */
function stagedError(url: string, e: { class: string; message: string }): Error {
  if (e.class === 'MissingPageError') return new MissingPageError(url, e.message);
  if (e.class === 'RobotsDisallowedError') return new RobotsDisallowedError(url);
  return new StagedFetchError(e.message);
}
