/**
 * The job queue of a distributed refresh: pg-boss (10.x, the last major that runs on
 * Node 20) on the database modelfacts already uses — its own pg pool for Postgres, the
 * embedded client for PGlite (pg-boss takes any `executeSql`). Its tables live in their
 * own schema (default `modelfacts_queue`), created and upgraded by pg-boss's versioned
 * migrations when `modelfacts migrate` (or any worker) starts it.
 */
import PgBoss from 'pg-boss';
import { InputError } from '../../schema/errors.js';
import type { Database } from './db.js';

export type Boss = PgBoss;
export type QueueJob<T> = PgBoss.JobWithMetadata<T>;

export const DEFAULT_QUEUE_SCHEMA = 'modelfacts_queue';

export interface QueueOptions {
  schema?: string;
  /** Send cron jobs from registered schedules (several instances send each once). Default true. */
  schedule?: boolean;
  /** Run pg-boss's maintenance (expire timed-out active jobs into retries, archive). Default true. */
  supervise?: boolean;
  /** How often maintenance runs, s: the longest a killed worker's job waits past its expiry. Default 5. */
  maintenanceIntervalSeconds?: number;
  /** Migrate the queue schema on start. Default true. */
  migrate?: boolean;
  /**
   * How often the schedules are checked, s (one instance checks per interval, whichever gets
   * there first; a due cron job is sent once per minute however many check). Default 10.
   */
  cronCheckSeconds?: number;
}

/** A schema name for the queue tables: a plain SQL identifier (it is written into pg-boss's SQL). */
export function checkQueueSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new InputError(`--queue-schema must be a lowercase SQL identifier (got ${JSON.stringify(schema)})`);
  return schema;
}

/** PGlite runs one statement per `query`; pg-boss sends parameterless multi-statement scripts (its migrations). */
function pgliteDb(client: Extract<Database['raw'], { pglite: unknown }>['pglite']): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      if (values && values.length > 0) return client.query(text, values);
      const results = await client.exec(text);
      return results[results.length - 1] ?? { rows: [] };
    },
  };
}

/**
 * Runs a queue setup step again when it lost a race with another process doing the same
 * (pg-boss's DDL — schema, queue partitions, schedules — deadlocks or collides when two
 * workers or schedulers start at once): the step is idempotent, the second try finds it done.
 */
export async function retryRace<T>(step: () => Promise<T>, attempts = 4): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await step();
    } catch (error) {
      const code = (error as { code?: string }).code;
      // 40P01 deadlock, 40001 serialization, 23505 unique violation, 42P07 relation already exists
      if (n >= attempts || !['40P01', '40001', '23505', '42P07'].includes(code ?? '')) throw error;
      await new Promise((ok) => setTimeout(ok, 100 * n + Math.random() * 200));
    }
  }
}

/** Starts pg-boss on the database (creating or upgrading its schema). Stop it with `stopQueue`. */
export async function startQueue(database: Database, options: QueueOptions = {}): Promise<Boss> {
  const schema = checkQueueSchema(options.schema ?? DEFAULT_QUEUE_SCHEMA);
  const common = {
    schema,
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    migrate: options.migrate ?? true,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 5,
    cronMonitorIntervalSeconds: options.cronCheckSeconds ?? 10,
    // a sent cron job waits this long at most before it is queued for the workers
    cronWorkerIntervalSeconds: Math.min(5, options.cronCheckSeconds ?? 5),
  };
  const boss =
    'url' in database.raw
      ? new PgBoss({ connectionString: database.raw.url, max: 4, application_name: 'modelfacts-queue', ...common })
      : new PgBoss({ db: pgliteDb(database.raw.pglite), ...common });
  // pg-boss reports background faults (maintenance, a lost connection) as events: kept, not fatal
  boss.on('error', (error) => process.emitWarning(`job queue: ${error.message}`));
  await retryRace(() => boss.start());
  return boss;
}

export async function stopQueue(boss: Boss, opts: { graceful?: boolean; timeoutMs?: number } = {}): Promise<void> {
  await boss.stop({ graceful: opts.graceful ?? true, wait: true, timeout: opts.timeoutMs ?? 30_000 });
}
