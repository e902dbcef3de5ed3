/**
 * The database side of a distributed refresh (migration 0008_distributed.sql): the run
 * record and its lock, the pages each source job discovered, run-scoped staging rows the
 * page jobs write (one per run, source and page, so a retried job overwrites its own row
 * and its claims count once), robots.txt answers shared for the run, and the per-host
 * politeness state every worker shares. Database only: the jobs are in pipelines/run/distributed/.
 */
import { sql, type SQL } from 'drizzle-orm';
import { Failure } from '../../schema/errors.js';
import type { Db } from './db.js';

/** What a distributed run was asked to do, as the workers read it. */
export interface DistributedPlan {
  sources: string[];
  skipHealth: string[];
  transport: { kind: 'live' } | { kind: 'replay'; folder: string } | { kind: 'mirror'; origins: string[] };
  /** Fetcher politeness overrides for the run (per host: concurrency, interval between starts). */
  fetcher?: { hostConcurrency?: number; hostIntervalMs?: number; timeoutMs?: number; retries?: number; respectRobots?: boolean };
  /** Page job attempts after the first, and how long an active source or page job may run before it counts as lost (s). */
  pageRetries: number;
  jobExpireSeconds: number;
}

export interface DistributedRun {
  id: number;
  week: string;
  mode: 'live' | 'replay';
  plan: DistributedPlan;
  state: 'running' | 'published' | 'failed';
  startedAt: string;
  deadlineMs: number;
  runId: number | null;
  error: string | null;
}

export interface StagedPage {
  sourceId: string;
  url: string;
  kind: 'index' | 'page';
  state: 'ok' | 'failed' | 'attempt';
  page: unknown;
  error: { class: string; message: string } | null;
  reading: unknown;
  attempts: number;
}

/** A distributed refresh of this week is running already: the second one is refused. */
export class DistributedRunHeldError extends Failure {
  constructor(week: string, id: number) {
    super(`a distributed refresh of ${week} is already running (distributed run ${id}); wait for it, or for its deadline`);
    this.name = 'DistributedRunHeldError';
  }
}

async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

const RUN_COLUMNS = sql`id, week, mode, plan, state, to_json(started_at) #>> '{}' as "startedAt",
  (extract(epoch from deadline) * 1000)::float8 as "deadlineMs", run_id as "runId", error`;

/** Runs whose deadline passed while nobody was left to notice: failed, so they hold no lock. */
export async function expireOverdueRuns(db: Db): Promise<number[]> {
  const expired = await rows<{ id: number }>(
    db,
    sql`update distributed_runs set state = 'failed', finished_at = now(), error = 'the run''s deadline passed before it was published'
        where state = 'running' and deadline < now() returning id`,
  );
  return expired.map((r) => r.id);
}

/** Creates the run record (the lock: one running distributed run per week); refused while one runs. */
export async function createDistributedRun(
  db: Db,
  run: { week: string; mode: DistributedRun['mode']; plan: DistributedPlan; deadline: Date },
): Promise<DistributedRun> {
  await expireOverdueRuns(db);
  const [row] = await rows<DistributedRun>(
    db,
    sql`insert into distributed_runs (week, mode, plan, deadline)
        values (${run.week}, ${run.mode}, ${json(run.plan)}, ${run.deadline.toISOString()}::timestamptz)
        on conflict (week) where state = 'running' do nothing
        returning ${RUN_COLUMNS}`,
  );
  if (row) return row;
  const [held] = await rows<{ id: number }>(db, sql`select id from distributed_runs where week = ${run.week} and state = 'running'`);
  throw new DistributedRunHeldError(run.week, held?.id ?? 0);
}

export async function loadDistributedRun(db: Db, id: number): Promise<DistributedRun | undefined> {
  const [row] = await rows<DistributedRun>(db, sql`select ${RUN_COLUMNS} from distributed_runs where id = ${id}`);
  return row;
}

/** Ends a running run (published or failed); false when it had ended already. */
export async function finishDistributedRun(
  db: Db,
  id: number,
  end: { state: 'published' | 'failed'; runId?: number; error?: string },
): Promise<boolean> {
  const done = await rows<{ id: number }>(
    db,
    sql`update distributed_runs set state = ${end.state}, finished_at = now(), run_id = ${end.runId ?? null}, error = ${end.error ?? null}
        where id = ${id} and state = 'running' returning id`,
  );
  return done.length === 1;
}

/** The pages a source job found (fixed pages, then the index's links), in the source's order. */
export async function recordDiscovery(db: Db, run: number, sourceId: string, urls: readonly string[]): Promise<void> {
  await db.execute(
    sql`insert into distributed_sources (run, source_id, urls) values (${run}, ${sourceId}, ${json(urls)})
        on conflict (run, source_id) do update set urls = excluded.urls`,
  );
}

export async function discoveredUrls(db: Db, run: number, sourceId: string): Promise<string[] | undefined> {
  const [row] = await rows<{ urls: string[] }>(db, sql`select urls from distributed_sources where run = ${run} and source_id = ${sourceId}`);
  return row?.urls;
}

/**
 * Writes a page's staging row, keyed by (run, source, url): a retry overwrites it. A
 * failed attempt (state 'attempt') never overwrites a finished row.
 */
export async function stagePage(
  db: Db,
  row: { run: number; sourceId: string; url: string; kind: StagedPage['kind']; state: StagedPage['state']; page?: unknown; error?: StagedPage['error']; reading?: unknown },
): Promise<void> {
  await db.execute(
    sql`insert into distributed_pages (run, source_id, url, kind, state, page, error, reading)
        select ${row.run}, ${row.sourceId}, ${row.url}, ${row.kind}, ${row.state},
               ${row.page === undefined ? null : json(row.page)}, ${row.error ? json(row.error) : null},
               ${row.reading === undefined ? null : json(row.reading)}
        -- a job that outlived its run (published, failed) writes nothing
        where exists (select 1 from distributed_runs where id = ${row.run} and state = 'running')
        on conflict (run, source_id, url) do update set
          state = excluded.state, page = excluded.page, error = excluded.error, reading = excluded.reading,
          attempts = distributed_pages.attempts + 1, updated_at = now()
        -- an attempt's error never hides a finished row; a dead letter is final (a lost job that wakes up late changes nothing)
        where (distributed_pages.state = 'attempt' or excluded.state <> 'attempt')
          and distributed_pages.error ->> 'class' is distinct from 'DeadLetter'`,
  );
}

export async function stagedPages(db: Db, run: number): Promise<StagedPage[]> {
  return rows<StagedPage>(
    db,
    sql`select source_id as "sourceId", url, kind, state, page, error, reading, attempts from distributed_pages where run = ${run}`,
  );
}

export async function stagedAttempt(db: Db, run: number, sourceId: string, url: string): Promise<StagedPage | undefined> {
  const [row] = await rows<StagedPage>(
    db,
    sql`select source_id as "sourceId", url, kind, state, page, error, reading, attempts from distributed_pages
        where run = ${run} and source_id = ${sourceId} and url = ${url}`,
  );
  return row;
}

export interface RunProgress {
  sources: number;
  discovered: number;
  /** Pages the discovered sources fetch. */
  expected: number;
  /** Of those, pages finished (fetched or failed for good). */
  done: number;
  failed: number;
}

export async function runProgress(db: Db, run: DistributedRun): Promise<RunProgress> {
  const [row] = await rows<Omit<RunProgress, 'sources'>>(
    db,
    sql`select
          (select count(*)::int from distributed_sources where run = ${run.id}) as discovered,
          (select coalesce(sum(jsonb_array_length(urls)), 0)::int from distributed_sources where run = ${run.id}) as expected,
          (select count(*)::int from distributed_pages where run = ${run.id} and kind = 'page' and state in ('ok', 'failed')) as done,
          (select count(*)::int from distributed_pages where run = ${run.id} and kind = 'page' and state = 'failed') as failed`,
  );
  return { sources: run.plan.sources.length, ...row! };
}

/** Removes a finished run's staged pages (bodies and readings); its record and discovery stay. */
export async function dropStagedPages(db: Db, run: number): Promise<void> {
  await db.execute(sql`delete from distributed_pages where run = ${run}`);
  await db.execute(sql`delete from distributed_robots where run = ${run}`);
}

// ---- robots.txt, once per run per origin

/** The stored answer; `claimed` true when this caller won the right to fetch it (no row yet, or a holder gone silent). */
export async function claimRobots(db: Db, run: number, origin: string, staleAfterMs: number): Promise<{ result?: unknown; claimed: boolean }> {
  const inserted = await rows<{ origin: string }>(
    db,
    sql`insert into distributed_robots (run, origin) values (${run}, ${origin}) on conflict do nothing returning origin`,
  );
  if (inserted.length === 1) return { claimed: true };
  const taken = await rows<{ origin: string }>(
    db,
    sql`update distributed_robots set claimed_at = clock_timestamp()
        where run = ${run} and origin = ${origin} and result is null
          and claimed_at < clock_timestamp() - make_interval(secs => ${staleAfterMs / 1000})
        returning origin`,
  );
  if (taken.length === 1) return { claimed: true };
  const [row] = await rows<{ result: unknown }>(db, sql`select result from distributed_robots where run = ${run} and origin = ${origin}`);
  return { result: row?.result ?? undefined, claimed: false };
}

export async function storeRobots(db: Db, run: number, origin: string, result: unknown): Promise<void> {
  await db.execute(sql`update distributed_robots set result = ${json(result)} where run = ${run} and origin = ${origin}`);
}

// ---- per-host politeness shared by all workers

/** A start slot on the host (wait `waitMs`, then start; release the lease after), or undefined when the host is at its concurrency. */
export async function acquireHostSlot(
  db: Db,
  host: string,
  limits: { concurrency: number; intervalMs: number; leaseMs: number },
): Promise<{ leaseId: string; waitMs: number } | undefined> {
  const [row] = await rows<{ lease_id: string | null; wait_ms: number | null }>(
    db,
    sql`select lease_id::text, wait_ms from host_slot_acquire(${host}, ${limits.concurrency}, ${Math.round(limits.intervalMs)}, ${Math.round(limits.leaseMs)})`,
  );
  if (!row || row.lease_id === null) return undefined;
  return { leaseId: row.lease_id, waitMs: Number(row.wait_ms ?? 0) };
}

export async function releaseHostSlot(db: Db, leaseId: string): Promise<void> {
  await db.execute(sql`delete from host_leases where id = ${leaseId}::bigint`);
}

/** A Retry-After: no worker starts a request to the host for `ms`. */
export async function pauseHost(db: Db, host: string, ms: number): Promise<void> {
  await db.execute(
    sql`insert into host_slots (host, paused_until) values (${host}, clock_timestamp() + make_interval(secs => ${ms / 1000}))
        on conflict (host) do update set paused_until = greatest(host_slots.paused_until, excluded.paused_until)`,
  );
}
