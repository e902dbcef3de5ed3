/**
 * Distributed refresh on the embedded database (PGlite), in one process: pg-boss 10 runs
 * on PGlite through its `executeSql` hook, a worker in this process takes the jobs, and
 * the published week equals a single-process refresh of the same replay archive.
 * (The CLI refuses `worker` / `refresh --distributed` on PGlite: other processes cannot open it.)
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { selectSources } from '../cli/options.js';
import { liveTransport } from '../pipelines/fetch/index.js';
import { loadArchive, startReplayServer } from '../pipelines/fetch/replay.js';
import { migrateDatabase, openDatabase, type Database } from '../pipelines/store/db.js';
import { startQueue, stopQueue } from '../pipelines/store/queue.js';
import { runDetail } from '../pipelines/store/runs.js';
import { startDistributedRefresh, waitForRun } from '../pipelines/run/distributed/start.js';
import { startWorker } from '../pipelines/run/distributed/worker.js';
import { refresh } from '../pipelines/run/refresh.js';
import { runCli } from './helpers/cli.js';
import { freshDb, freshPgliteDir, type TestDb } from './helpers/db.js';
import { factsWithoutFetchTimes } from './helpers/distributed.js';

const ARCHIVE = 'fixtures/replay/2026-W17';
const SOURCES = selectSources(['anttisahla', 'llm-stats', 'llmreference-model', 'llmreference-route', 'openai-pricing', 'anthropic-pricing', 'litellm']);

let embedded: Database;
let dataDir: string;
let single: TestDb;

beforeAll(async () => {
  dataDir = freshPgliteDir();
  embedded = await openDatabase({ url: '', dataDir });
  await migrateDatabase(embedded);
  single = await freshDb('pglite');
});
afterAll(async () => {
  await embedded?.close();
  rmSync(dirname(dataDir), { recursive: true, force: true });
  await single?.drop();
});

it('a distributed refresh on PGlite (worker in this process) publishes what a single-process refresh does', async () => {
  const archive = loadArchive(ARCHIVE);
  const server = await startReplayServer(archive);
  try {
    const one = await refresh({ database: single.database, sources: SOURCES, week: '2026-W17', mode: 'replay', transport: server.transport ?? liveTransport });
    expect(one.status).toBe('ok');
  } finally {
    await server.close();
  }

  const boss = await startQueue(embedded, { maintenanceIntervalSeconds: 1 });
  const worker = await startWorker(embedded, boss, { concurrency: 3, idleMs: 50 });
  try {
    const run = await startDistributedRefresh(embedded, boss, {
      week: '2026-W17',
      sources: SOURCES,
      transport: { kind: 'replay', folder: ARCHIVE },
    });
    const end = await waitForRun(embedded, run.id, { intervalMs: 100 });
    expect(end.error).toBeNull();
    expect(end.state).toBe('published');
    const detail = await runDetail(embedded.db, end.runId!);
    expect(detail!.status).toBe('ok');
    expect(detail!.counts).toEqual((await runDetail(single.database.db, 1))!.counts);
    expect(await factsWithoutFetchTimes(embedded.db)).toEqual(await factsWithoutFetchTimes(single.database.db));
  } finally {
    await worker.stop();
    await stopQueue(boss);
  }
}, 90_000);

it('the CLI refuses a worker on the embedded database, naming why (exit 2)', async () => {
  const r = await runCli(['worker'], { DATABASE_URL: '', MODELFACTS_DATA_DIR: single.dataDir });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/modelfacts worker needs DATABASE_URL .*the embedded database belongs to one process/);
});
