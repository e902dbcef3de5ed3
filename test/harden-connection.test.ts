/**
 * A Postgres connection dropped under a run (the transaction's or the lock's)
 * fails that run with the server's reason and rolls it back; it never
 * crashes the process with an unhandled 'error' event.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '../schema/tables.js';
import { ADMIN_URL, freshDb, type TestDb } from './helpers/db.js';

async function terminate(pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query('select pg_terminate_backend($1)', [pid]);
  await admin.end();
}

describe('dropped Postgres connections', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb('postgres');
  });
  afterAll(() => t?.drop());

  it('a transaction whose connection drops rolls back with an error, and the process goes on', async () => {
    const attempt = t.database.db.transaction(async (tx) => {
      await tx.insert(runs).values({ week: '2026-W10', mode: 'live', status: 'running', startedAt: new Date().toISOString(), sourceStatus: {}, counts: {} as never });
      const res = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] };
      await terminate(res.rows[0]!.pid);
      await new Promise((r) => setTimeout(r, 200));
      await tx.execute(sql`select 1`);
    });
    await expect(attempt).rejects.toThrow();
    const left = await t.database.db.select().from(runs);
    expect(left).toEqual([]);
  });

  it('the lock connection dropping does not crash the process; releasing afterwards resolves', async () => {
    const release = await t.database.lock();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = $1)",
      [new URL(t.url!).pathname.slice(1)],
    );
    await admin.end();
    expect(rows.length).toBe(1);
    await terminate(rows[0]!.pid);
    await new Promise((r) => setTimeout(r, 300));
    await expect(release()).resolves.toBeUndefined();
    // the lock went with the connection: a new one can be taken
    const again = await t.database.lock();
    await again();
  });
});
