/**
 * Issue 18 point 5 across real cron ticks: two `schedule --distributed` processes on one
 * Postgres, both running while the minute turns, each checking the schedules every second
 * (MODELFACTS_CRON_CHECK_SECONDS=1; the default is 10). An every-minute schedule has a tick
 * due when they start (the minute begun) and a second one at the next minute while both
 * run: each tick queues the refresh exactly once. pg-boss's cron granularity is a minute,
 * so the test lasts until the next minute plus a few seconds (≤ ~70 s, mostly waiting).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, type Database } from '../pipelines/store/db.js';
import { QUEUES } from '../pipelines/run/distributed/queues.js';
import { DEFAULT_QUEUE_SCHEMA } from '../pipelines/store/queue.js';
import { runCli } from './helpers/cli.js';
import { createPgDatabase } from './helpers/db.js';

const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

function scheduler(url: string): { child: ChildProcess; log: () => string; registered: Promise<void> } {
  const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), 'schedule', '--distributed', '--cron', '* * * * *', '--source', 'litellm'], {
    env: { ...process.env, DATABASE_URL: url, CI: 'true', MODELFACTS_CRON_CHECK_SECONDS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  const registered = new Promise<void>((ok, fail) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('"schedule.registered"')) ok();
    });
    child.once('exit', (code) => fail(new Error(`scheduler exited ${code} before registering: ${err}`)));
  });
  return { child, log: () => err, registered };
}

describe('schedule --distributed: two schedulers across real cron ticks', () => {
  let url: string;
  let drop: () => Promise<void>;
  let database: Database;

  beforeAll(async () => {
    ({ url, drop } = await createPgDatabase());
    const m = await runCli(['migrate'], { DATABASE_URL: url });
    expect(m.code, m.stderr).toBe(0);
    database = await openDatabase({ url });
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('each tick queues the refresh exactly once, however many schedulers check it', async () => {
    const schedulers = [scheduler(url), scheduler(url)];
    let registeredAt: number;
    let nextMinute: number;
    try {
      await Promise.all(schedulers.map((s) => s.registered));
      registeredAt = Date.now();
      // both run across the next minute's tick, and some seconds after it (each checks every second)
      nextMinute = Math.floor(registeredAt / 60_000 + 1) * 60_000;
      await sleep(nextMinute - Date.now() + 6_000);
      // the schedulers, still running, went on checking after the tick: pg-boss's cron time moved past it
      const [version] = (await rows<{ cron_on: Date }>(database, `select cron_on from ${DEFAULT_QUEUE_SCHEMA}.version`));
      expect(new Date(version!.cron_on).getTime()).toBeGreaterThan(nextMinute);
      for (const s of schedulers) expect(s.child.exitCode, s.log()).toBeNull();
    } finally {
      for (const s of schedulers) s.child.kill('SIGTERM');
      await Promise.all(schedulers.map((s) => new Promise((ok) => (s.child.exitCode !== null ? ok(null) : s.child.once('exit', ok)))));
    }
    // a due tick is sent as one job of pg-boss's send-it queue per minute (singleton), which queues the refresh job
    const sends = await rows<{ slot: Date }>(
      database,
      `select singleton_on as slot from ${DEFAULT_QUEUE_SCHEMA}.job where name = '__pgboss__send-it' and singleton_key = '${QUEUES.refresh}' order by singleton_on`,
    );
    const refreshes = await rows<{ data: unknown }>(database, `select data from ${DEFAULT_QUEUE_SCHEMA}.job where name = '${QUEUES.refresh}'`);
    const minutes = sends.map((r) => new Date(r.slot).getTime());
    const begun = nextMinute - 60_000;
    // the minute begun when they registered (checked twice or more before it ended), then the tick they ran across
    const expected = registeredAt < nextMinute - 3_000 ? [begun, nextMinute] : [nextMinute];
    expect(minutes.filter((m) => m !== begun || registeredAt < nextMinute - 3_000)).toEqual(expected);
    // each sent tick queued one refresh job, as registered; none queued twice
    expect(refreshes).toHaveLength(sends.length);
    for (const r of refreshes) expect(r.data).toEqual({ sources: ['litellm'] });
  }, 120_000);

  it('a cron expression with seconds is refused for the queue, which fires once a minute at most', async () => {
    const r = await runCli(['schedule', '--distributed', '--cron', '*/10 * * * * *'], { DATABASE_URL: url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/minute granularity.*"\*\/10 \* \* \* \* \*"/);
  });
});

async function rows<T>(database: Database, text: string): Promise<T[]> {
  return ((await database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;
}
