/**
 * The daemon: bad input stops it before it starts; on start it notices a
 * missed scheduled run and runs it once; every line it logs is JSON; SIGTERM
 * stops it after the current run. On both backends, as a real child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';

function daemon(args: string[], env: Record<string, string>, opts: { ownGroup?: boolean; command?: string } = {}) {
  const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), opts.command ?? 'schedule', ...args], {
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group, as a terminal gives a foreground job: Ctrl-C is a SIGINT to the whole group
    detached: opts.ownGroup ?? false,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const waitFor = async (re: RegExp, ms: number) => {
    const end = Date.now() + ms;
    while (!re.test(stderr)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${re} in:\n${stderr.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, waitFor, stderr: () => stderr };
}

const WEEKLY = ['--cron', '0 6 * * 1', '--replay', 'fixtures/replay/2026-W16', '--source', 'openai-docs'];

describe.each(['pglite', 'postgres'] as const)('schedule on %s', (kind) => {
  let env: Record<string, string>;
  let drop = async () => {};
  beforeAll(async () => {
    if (kind === 'pglite') env = { DATABASE_URL: '', MODELFACTS_DATA_DIR: freshPgliteDir() };
    else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      env = { DATABASE_URL: pg.url };
      const { openDatabase, migrateDatabase } = await import('../pipelines/store/db.js');
      const database = await openDatabase({ url: pg.url });
      await migrateDatabase(database);
      await database.close();
    }
  });
  afterAll(() => drop());

  it('refuses a bad replay folder or time zone before starting (exit 2)', async () => {
    const bad = daemon(['--replay', '/nonexistent/archive'], env);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/replay folder \/nonexistent\/archive does not exist/);
    const tz = daemon(['--timezone', 'Mars/Olympus'], env);
    expect(await tz.exited).toBe(2);
    expect(tz.stderr()).toMatch(/unknown time zone "Mars\/Olympus"/);
  });

  it('runs a missed scheduled run once on start, logs only JSON, and stops on SIGTERM; a later start finds nothing missed', async () => {
    const first = daemon(WEEKLY, env);
    await first.waitFor(/schedule\.run\.finished/, 120_000);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const lines = first.stderr().trim().split('\n');
    const events = lines.map((l) => JSON.parse(l).event as string);
    expect(events[0]).toBe('schedule.started');
    const started = lines.map((l) => JSON.parse(l)).find((e) => e.event === 'schedule.run.started');
    expect(started).toMatchObject({ reason: 'catch-up' });
    expect(Date.parse(started.missed)).toBeLessThanOrEqual(Date.now());
    expect(events.at(-1)).toBe('schedule.stopped');

    const second = daemon(WEEKLY, env);
    await second.waitFor(/schedule\.started/, 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).not.toMatch(/schedule\.run\.started/);
  }, 240_000);

  it('Ctrl-C (SIGINT to the process group) during a run with the browser source: the run finishes ok, then the daemon stops', async () => {
    // a database with no run yet, so the daemon starts with a catch-up run
    let dropFresh = async () => {};
    let fresh: Record<string, string> = { ...env, MODELFACTS_DATA_DIR: freshPgliteDir() };
    if (kind === 'postgres') {
      const pg = await createPgDatabase();
      dropFresh = pg.drop;
      const { openDatabase, migrateDatabase } = await import('../pipelines/store/db.js');
      const database = await openDatabase({ url: pg.url });
      await migrateDatabase(database);
      await database.close();
      fresh = { DATABASE_URL: pg.url };
    }
    const args = ['--cron', '0 6 * * 1', '--replay', 'fixtures/replay/2026-W16', '--source', 'vercel-gateway-page'];
    const d = daemon(args, fresh, { ownGroup: true });
    await d.waitFor(/schedule\.run\.started/, 60_000);
    process.kill(-d.child.pid!, 'SIGINT');
    expect(await d.exited).toBe(0);
    const events = d.stderr().trim().split('\n').map((l) => JSON.parse(l));
    const names = events.map((e) => e.event as string);
    expect(names.indexOf('schedule.stopping')).toBeGreaterThan(names.indexOf('schedule.run.started'));
    const finished = events.find((e) => e.event === 'schedule.run.finished');
    expect(finished, d.stderr()).toMatchObject({ status: 'ok' });
    expect(names.indexOf('schedule.run.finished')).toBeLessThan(names.indexOf('schedule.stopped'));
    await dropFresh();
  }, 240_000);

  it('Ctrl-C during a one-off refresh: one line, exit 130, nothing published, and the next refresh runs', async () => {
    const refresh = (extra: { ownGroup?: boolean } = {}) =>
      daemon(['--replay', 'fixtures/replay/2026-W16', '--source', 'vercel-gateway-page'], env, { ...extra, command: 'refresh' });
    const published = () => {
      const r = spawnSync(process.execPath, [resolve('bin/modelfacts.js'), 'runs', '--json'], { env: { ...process.env, ...env }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { status: string }[]).filter((x) => x.status === 'ok' || x.status === 'partial').length;
    };
    const before = published();
    const r = refresh({ ownGroup: true });
    await r.waitFor(/"event":"page\.fetched"/, 60_000);
    process.kill(-r.child.pid!, 'SIGINT');
    expect(await r.exited).toBe(130);
    expect(r.stderr().trim().split('\n').at(-1)).toBe(
      "modelfacts: SIGINT received: stopped; the run's uncommitted writes are rolled back (see `modelfacts runs`)",
    );
    expect(published()).toBe(before);
    const again = refresh();
    expect(await again.exited).toBe(0);
    expect(published()).toBe(before + 1);
  }, 240_000);
});
