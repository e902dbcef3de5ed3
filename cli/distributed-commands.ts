/**
 * Commands of a distributed refresh (pg-boss on the DATABASE_URL database):
 * `worker`, `refresh --distributed [--wait]`, `schedule --distributed`.
 * See README "Running on several machines".
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../schema/errors.js';
import type { Database } from '../pipelines/store/db.js';
import { checkQueueSchema, DEFAULT_QUEUE_SCHEMA, retryRace, startQueue, stopQueue } from '../pipelines/store/queue.js';
import { runDetail } from '../pipelines/store/runs.js';
import { ensureQueues, QUEUES, type RefreshJob } from '../pipelines/run/distributed/queues.js';
import { startDistributedRefresh, waitForRun } from '../pipelines/run/distributed/start.js';
import { startWorker } from '../pipelines/run/distributed/worker.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import type { SourceModule } from '../extractors/contract.js';
import { safeText } from './terminal.js';

const log = (event: string, fields: Record<string, unknown> = {}) =>
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, pid: process.pid, ...fields })}\n`);

/** The queue is shared by processes on several machines: the embedded database belongs to one process. */
function requirePostgres(database: Database | undefined, what: string): void {
  if (!database && !process.env.DATABASE_URL) {
    throw new InputError(`${what} needs DATABASE_URL (a Postgres database every worker reaches); the embedded database belongs to one process`);
  }
  if (database && database.kind !== 'postgres') {
    throw new InputError(
      `${what} needs DATABASE_URL (a Postgres database every worker reaches); the embedded database (${database.describe}) belongs to one process`,
    );
  }
}

function positiveInt(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number ≥ 1 (got ${JSON.stringify(text)})`);
  return n;
}

export interface DistributedArgs {
  wait?: boolean;
  queueSchema?: string;
  deadlineMinutes?: string;
  json?: boolean;
}

/** `refresh --distributed`: creates the run and its source jobs; with --wait follows it and exits with the run's code. */
export async function distributedRefresh(
  /** The checked refresh (run-commands' planRefresh). */
  plan: { sources: readonly SourceModule[]; week: string; replay?: { folder: string }; skipHealth: readonly string[] },
  args: DistributedArgs,
): Promise<void> {
  const schema = checkQueueSchema(args.queueSchema ?? DEFAULT_QUEUE_SCHEMA);
  const deadlineMinutes = positiveInt('--deadline-minutes', args.deadlineMinutes, 120);
  requirePostgres(undefined, 'refresh --distributed');
  await withDatabase(async (database) => {
    requirePostgres(database, 'refresh --distributed');
    const boss = await startQueue(database, { schema, schedule: false, supervise: false });
    let run;
    try {
      run = await startDistributedRefresh(database, boss, {
        week: plan.week,
        sources: plan.sources,
        skipHealth: plan.skipHealth,
        transport: plan.replay ? { kind: 'replay', folder: resolve(plan.replay.folder) } : { kind: 'live' },
        deadlineMinutes,
      });
    } finally {
      await stopQueue(boss);
    }
    process.stderr.write(`distributed run ${run.id} (${run.week}): ${plan.sources.length} source job(s) queued; deadline ${new Date(run.deadlineMs).toISOString()}\n`);
    if (!args.wait) {
      if (args.json) process.stdout.write(`${JSON.stringify({ distributedRun: run.id, week: run.week, state: run.state })}\n`);
      return;
    }
    const end = await waitForRun(database, run.id, {
      onProgress: (p) =>
        process.stderr.write(`  ${p.discovered}/${p.sources} sources discovered, ${p.done}/${p.expected} pages done${p.failed ? ` (${p.failed} failed)` : ''}\n`),
    });
    const detail = end.runId === null ? undefined : await runDetail(database.db, end.runId);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ distributedRun: end.id, state: end.state, error: end.error, run: detail ?? null }, null, 2)}\n`);
    } else if (end.state === 'failed') {
      process.stdout.write(safeText(`distributed run ${end.id} (${end.week}) failed, nothing published: ${end.error ?? ''}\n`));
    } else {
      process.stdout.write(`distributed run ${end.id} (${end.week}): published as run ${end.runId} — ${detail?.status}\n`);
      for (const [id, s] of Object.entries(detail?.sourceStatus ?? {})) {
        if (s.status !== 'ok') process.stdout.write(safeText(`  ${id}: ${s.status} — ${s.reason ?? ''}\n`));
      }
    }
    if (end.state === 'failed' || detail?.status !== 'ok') process.exitCode = 1;
  });
}

/** Waits for SIGTERM or SIGINT. */
function untilSignal(): Promise<string> {
  return new Promise((ok) => {
    process.once('SIGTERM', () => ok('SIGTERM'));
    process.once('SIGINT', () => ok('SIGINT'));
  });
}

export function registerDistributedCommands(program: Command): void {
  program
    .command('worker')
    .description('take distributed refresh jobs from the queue in the DATABASE_URL database until SIGTERM (which finishes the jobs in hand)')
    .option('--concurrency <n>', 'jobs at once in this process (each host is still limited across all workers)', '4')
    .option('--queue-schema <schema>', 'the schema of the pg-boss tables', DEFAULT_QUEUE_SCHEMA)
    .action(async (opts: { concurrency: string; queueSchema: string }) => {
      const concurrency = positiveInt('--concurrency', opts.concurrency, 4);
      const schema = checkQueueSchema(opts.queueSchema);
      requirePostgres(undefined, 'modelfacts worker');
      // listening before anything starts: a signal during start-up stops the worker once it is up
      const stopSignal = untilSignal();
      await withDatabase(async (database) => {
        requirePostgres(database, 'modelfacts worker');
        const boss = await startQueue(database, { schema });
        const worker = await startWorker(database, boss, { concurrency, log });
        log('worker.started', { concurrency, schema });
        const signal = await stopSignal;
        log('worker.stopping', { signal });
        await worker.stop();
        await stopQueue(boss);
        log('worker.stopped');
        // each job in hand holds a connection now and then (staging, host slots): one each, and a few spare;
        // its writes wait for no WAL flush (~4 ms each on a disk that syncs): a job counts once pg-boss,
        // committing synchronously on its own pool, records it done (store/db.ts `asyncCommit`)
      }, { poolMax: concurrency + 4, asyncCommit: true });
    });
}

/** `schedule --distributed`: the weekly refresh as a pg-boss cron job; several schedulers send it once. */
export async function distributedSchedule(opts: { cron: string; timezone: string; source?: string[]; replay?: string; queueSchema?: string }): Promise<void> {
  const cronExpr = minuteCron(opts.cron);
  const schema = checkQueueSchema(opts.queueSchema ?? DEFAULT_QUEUE_SCHEMA);
  requirePostgres(undefined, 'schedule --distributed');
  const stopSignal = untilSignal();
  await withDatabase(async (database) => {
    requirePostgres(database, 'schedule --distributed');
    // MODELFACTS_CRON_CHECK_SECONDS: how often schedules are checked (default 10; the tests race schedulers each second)
    const check = process.env.MODELFACTS_CRON_CHECK_SECONDS;
    const cronCheckSeconds = check === undefined ? undefined : positiveInt('MODELFACTS_CRON_CHECK_SECONDS', check, 10);
    if (cronCheckSeconds !== undefined && cronCheckSeconds > 45) throw new UsageError(`MODELFACTS_CRON_CHECK_SECONDS must be at most 45 (got ${check})`);
    const boss = await startQueue(database, { schema, schedule: true, supervise: true, cronCheckSeconds });
    await ensureQueues(boss);
    const data: RefreshJob = { ...(opts.source?.length ? { sources: opts.source } : {}), ...(opts.replay ? { replay: resolve(opts.replay) } : {}) };
    // one schedule per name: registering again (another machine, a restart) replaces it
    await retryRace(() => boss.schedule(QUEUES.refresh, cronExpr, data, { tz: opts.timezone }));
    log('schedule.registered', { queue: QUEUES.refresh, cron: cronExpr, timezone: opts.timezone, ...data });
    const signal = await stopSignal;
    log('schedule.stopping', { signal });
    await stopQueue(boss);
    log('schedule.stopped');
  });
}

/**
 * pg-boss sends a cron job at most once a minute, deduplicated per clock minute: a seconds
 * field other than 0 would fire off the minute (and could be sent in two minutes), so a
 * six-field expression is taken only with seconds 0, as its five-field rest.
 */
function minuteCron(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 6) return expr;
  if (fields[0] !== '0') {
    throw new UsageError(`schedule --distributed runs at minute granularity (pg-boss cron): give 5 fields, or seconds 0 (got ${JSON.stringify(expr)})`);
  }
  return fields.slice(1).join(' ');
}

/** `migrate`: the pg-boss schema and queues, next to the SQL migrations (Postgres only). */
export async function migrateQueue(database: Database, schema = DEFAULT_QUEUE_SCHEMA): Promise<void> {
  const boss = await startQueue(database, { schema: checkQueueSchema(schema), schedule: false, supervise: false });
  try {
    await ensureQueues(boss);
  } finally {
    await stopQueue(boss);
  }
}
