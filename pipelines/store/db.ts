/**
 * One code path, two backends: any Postgres through DATABASE_URL (pg), or an
 * embedded PGlite database in ./.modelfacts/ when it is unset.
 */
import { Failure, ModelfactsError } from '../../schema/errors.js';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as tables from '../../schema/tables.js';
import { acquireFileLock, LOCK_KEY, LockHeldError } from './lock.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof tables>;
/** A transaction on the database, as drizzle hands it to a transaction's callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  /** Which backend: any Postgres through DATABASE_URL, or the embedded PGlite. */
  kind: 'postgres' | 'pglite';
  /** "postgres" or "pglite", with where it lives (password removed). */
  describe: string;
  /** Takes the one-refresh-at-a-time lock; throws LockHeldError when another run holds it. */
  lock(): Promise<() => Promise<void>>;
  /** How the job queue (pg-boss, store/queue.ts) reaches the same database: its URL, or the embedded client. */
  raw: { url: string } | { pglite: { query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>; exec(text: string): Promise<{ rows: unknown[] }[]> } };
  close(): Promise<void>;
}

/** The database could not be reached or opened: fix the URL or the server, then retry. */
export class DatabaseUnavailableError extends ModelfactsError {
  exitCode: 1 | 2 = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** DATABASE_URL is not a Postgres URL: bad input, exit 2. */
export class DatabaseUrlError extends DatabaseUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUrlError';
    // a DATABASE_URL that cannot be read is bad input, not an outage
    this.exitCode = 2;
  }
}

/** The database is at an older (or newer) schema version than this program: run `modelfacts migrate`. */
export class SchemaVersionError extends Failure {
  constructor(
    message: string,
    /** The database is ahead of the program, not behind: migrating cannot fix it. */
    readonly newer = false,
  ) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

const MIGRATIONS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // not a URL at all: show nothing of it rather than a password
    return '(unparseable DATABASE_URL)';
  }
}

export interface OpenOptions {
  url?: string;
  dataDir?: string;
  poolMax?: number;
  /**
   * Postgres: commit without waiting for the WAL flush (`synchronous_commit = off` on this
   * pool's connections). For a worker of a distributed refresh, whose writes (staging rows,
   * host slots) are only relied on once pg-boss — on its own pool, with synchronous commits —
   * records the job done; that commit's flush covers every earlier commit in the WAL, so a
   * database crash loses only rows of jobs not yet done, which are retried.
   */
  asyncCommit?: boolean;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const url = opts.url ?? process.env.DATABASE_URL;
  if (url) return openPostgres(url, opts.poolMax, opts.asyncCommit);
  const dir = opts.dataDir ?? process.env.MODELFACTS_DATA_DIR ?? join(process.cwd(), '.modelfacts');
  return openPglite(dir);
}

async function openPostgres(url: string, poolMax = 6, asyncCommit = false): Promise<Database> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new DatabaseUrlError(`DATABASE_URL must start with postgres:// (got ${redact(url)})`);
  }
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  // connectionTimeoutMillis also bounds the wait for a free pooled client: on a loaded machine a
  // refresh's reads queue behind the lock and transaction clients for seconds, which is not a fault
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 60_000,
    ...(asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
  // an idle client's error (server restart) must not crash the process; the next query reports it
  pool.on('error', () => undefined);
  // nor a checked-out one's (a transaction's, the lock's): with no listener, pg's 'error' event is
  // unhandled and kills the process; with one, the query in flight fails and the transaction rolls back
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnavailableError(`cannot connect to ${redact(url)}: ${(cause as Error).message}`, { cause });
  }
  const db = drizzle(pool, { schema: tables }) as unknown as Db;
  const lock = async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_KEY]);
    if (!rows[0]?.ok) {
      client.release();
      throw new LockHeldError(`advisory lock ${LOCK_KEY} on ${redact(url)}`);
    }
    return async () => {
      try {
        await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
        client.release();
      } catch (error) {
        // a connection that may still hold the lock is destroyed, not returned to the pool
        client.release(error as Error);
      }
    };
  };
  return { db, kind: 'postgres', describe: `postgres ${redact(url)}`, lock, raw: { url }, close: () => pool.end() };
}

/**
 * New WAL segments of the embedded database are not zero-filled (`wal_init_zero=off`). Postgres writes
 * 16 MB of zeros into each new segment to reserve its disk space; through PGlite's WebAssembly file layer
 * that was 48 MB of a first real week's 130 MB of writes (strace: 48 MB of zeros, 43 MB of WAL, 38 MB of
 * tables). Reserving the space buys no durability here (PGlite runs with fsync off): on a full disk the
 * write that does not fit fails either way, the run's transaction is lost and what was committed stays.
 * First real week, twelve runs each, alternating on a noisy machine: 8.86 → 8.14 s on average (medians 8.67 → 7.93).
 */
const PGLITE_WAL_SETTINGS = ['-c', 'wal_init_zero=off'];

/** Shared buffers of the embedded database (see openPglite). */
const PGLITE_SHARED_BUFFERS = '32MB';

async function openPglite(dir: string): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    throw new DatabaseUnavailableError(`the embedded database folder ${dir} is a file, not a folder (check MODELFACTS_DATA_DIR)`);
  }
  mkdirSync(dir, { recursive: true });
  let client: InstanceType<typeof PGlite>;
  try {
    client = new PGlite(dir, {
      // PGlite's default 128 MB of shared buffers live inside its WebAssembly memory, which never shrinks:
      // opening an existing database took 286 MB resident with them and 180 MB with 32 MB, and a week's
      // refresh touches mostly its own new rows (pages past the buffers are read back from the OS cache)
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`, ...PGLITE_WAL_SETTINGS],
    });
    await client.waitReady;
  } catch (cause) {
    throw new DatabaseUnavailableError(`cannot open the embedded database in ${dir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const db = drizzle(client, { schema: tables }) as unknown as Db;
  const lock = async () => {
    const release = acquireFileLock(dir);
    return async () => release();
  };
  return { db, kind: 'pglite', describe: `pglite ${dir}`, lock, raw: { pglite: client }, close: () => client.close() };
}

/** Applies the committed SQL migrations in migrations/ (or those of `folder`: the upgrade tests' earlier releases). */
export async function migrateDatabase(database: Database, folder = MIGRATIONS_DIR): Promise<void> {
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(database.db as never, { migrationsFolder: folder });
  }
}

/** Refuses a database migrated by a newer modelfacts; an older or empty one is for `migrate` to bring up. */
export async function refuseNewerSchema(database: Database): Promise<void> {
  try {
    await assertSchemaCurrent(database);
  } catch (error) {
    if (error instanceof SchemaVersionError && error.newer) throw error;
  }
}

/**
 * Checks that the database has every committed migration applied; commands
 * other than `migrate` refuse to run against an older schema.
 */
export async function assertSchemaCurrent(database: Database): Promise<void> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const { sql } = await import('drizzle-orm');
  let applied: string[];
  try {
    const rows = await database.db.execute(sql`select hash from drizzle.__drizzle_migrations order by created_at`);
    applied = (rows as unknown as { rows: { hash: string }[] }).rows.map((r) => r.hash);
  } catch (cause) {
    throw new SchemaVersionError(
      `the database (${database.describe}) has no modelfacts schema yet: run \`modelfacts migrate\` first` +
        ((cause as Error).message.includes('does not exist') ? '' : ` (${(cause as Error).message})`),
    );
  }
  const known = new Set(expected.map((m) => m.hash));
  const unknown = applied.filter((h) => !known.has(h));
  if (unknown.length > 0) {
    // a newer modelfacts migrated this database: this one would misread or damage it
    throw new SchemaVersionError(
      `the database (${database.describe}) is at a newer schema than this program (${unknown.length} migration(s) it does not know): upgrade modelfacts`,
      true,
    );
  }
  const missing = expected.filter((m) => !applied.includes(m.hash));
  if (missing.length > 0) {
    throw new SchemaVersionError(
      `the database (${database.describe}) is at an older schema version (${applied.length} of ${expected.length} migrations applied): run \`modelfacts migrate\``,
    );
  }
}
