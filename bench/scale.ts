/**
 * `npm run bench:scale`: a distributed refresh of the generated corpus (bench/corpus.ts)
 * by 1, 2 and 4 `modelfacts worker` processes on one Postgres, printed (not asserted).
 * The corpus is served from ten loopback servers (ten hosts), each limited to
 * BENCH_RATE requests/s (default 20): a request over the limit is answered 429 and
 * counted as a politeness violation. The run asks every host for starts 1000/(rate·0.9) ms
 * apart, at most 2 at once, shared by all workers through the database.
 * Options: BENCH_MODELS (default 2000), BENCH_WORKERS (default "1,2,4"), BENCH_CONCURRENCY
 * (jobs per worker, default 8), BENCH_PG (admin URL, default MODELFACTS_TEST_PG or the local server).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import pg from 'pg';
import { CORPUS_SOURCES, generateCorpus, serveCorpus } from './corpus.js';
import { openDatabase } from '../pipelines/store/db.js';
import { startQueue, stopQueue } from '../pipelines/store/queue.js';
import { runDetail } from '../pipelines/store/runs.js';
import { startDistributedRefresh, waitForRun } from '../pipelines/run/distributed/start.js';

const models = Number(process.env.BENCH_MODELS ?? 2000);
const rate = Number(process.env.BENCH_RATE ?? 20);
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const admin = process.env.BENCH_PG ?? process.env.MODELFACTS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOSTS = 10;
const intervalMs = Math.ceil(1000 / (rate * 0.9));

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`modelfacts ${args.join(' ')} exited ${code}`))));
  });
}

function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), 'worker', '--concurrency', String(concurrency)], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (process.env.BENCH_LOG) process.stderr.write(d);
      if (seen.includes('"worker.started"')) {
        child.stderr!.off('data', onData);
        if (process.env.BENCH_LOG) child.stderr!.pipe(process.stderr);
        else child.stderr!.resume();
        ok(child);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`worker exited ${code} before starting: ${seen.slice(-500)}`)));
  });
}

const corpus = generateCorpus({ models });
const served = await serveCorpus(corpus, { addresses: HOSTS, ratePerSecond: rate });
const pages = corpus.pages.size;
console.log(
  `corpus: ${pages} pages (${models} model pages + ${corpus.sites.length} index pages) on ${HOSTS} hosts, each limited to ${rate} req/s by its server; ` +
    `the run spaces starts ${intervalMs} ms per host (≤ ${(HOSTS * 1000 / intervalMs).toFixed(0)} pages/s over all hosts), ${concurrency} jobs per worker`,
);
const results: { workers: number; fetchRate: number; total: number; violations: number }[] = [];
try {
  for (const n of workerCounts) {
    const name = `modelfacts_bench_scale_${process.pid}_${n}`;
    await adminQuery(`drop database if exists ${name} with (force)`);
    await adminQuery(`create database ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const env = { ...process.env, DATABASE_URL: url.toString(), CI: 'true' };
    const workers: ChildProcess[] = [];
    try {
      await run(['migrate'], env);
      for (let i = 0; i < n; i++) workers.push(await startWorkerProcess(env));
      const database = await openDatabase({ url: url.toString() });
      const boss = await startQueue(database, { schedule: false, supervise: false });
      const violationsBefore = served.violations();
      const t0 = performance.now();
      let fetched = 0;
      const r = await startDistributedRefresh(database, boss, {
        week: '2026-W17',
        sources: CORPUS_SOURCES,
        transport: { kind: 'mirror', origins: served.origins },
        fetcher: { hostIntervalMs: intervalMs, hostConcurrency: 2 },
      });
      const end = await waitForRun(database, r.id, {
        intervalMs: 100,
        onProgress: (p) => {
          if (!fetched && p.discovered === p.sources && p.done >= p.expected) fetched = performance.now();
        },
      });
      const total = (performance.now() - t0) / 1000;
      const fetchSeconds = ((fetched || performance.now()) - t0) / 1000;
      const detail = end.runId === null ? undefined : await runDetail(database.db, end.runId);
      await stopQueue(boss);
      await database.close();
      if (end.state !== 'published') throw new Error(`${n} worker(s): run ${end.state}: ${end.error}`);
      const violations = served.violations() - violationsBefore;
      results.push({ workers: n, fetchRate: pages / fetchSeconds, total, violations });
      console.log(
        `  ${n} worker(s): ${(pages / fetchSeconds).toFixed(0).padStart(4)} pages/s fetched+extracted (${fetchSeconds.toFixed(1)} s), ` +
          `${total.toFixed(1)} s with finalize (reconcile + publish); run ${detail?.status}, ${detail?.counts.claims} claims; ${violations} politeness violations`,
      );
    } finally {
      for (const w of workers) w.kill('SIGTERM');
      await Promise.all(workers.map((w) => new Promise((ok) => (w.exitCode !== null ? ok(null) : w.once('exit', ok)))));
      await adminQuery(`drop database if exists ${name} with (force)`);
    }
  }
} finally {
  await served.close();
}
const base = results[0]!;
console.log(
  `scaling: ${results.map((r) => `${r.workers}w ${(r.fetchRate / base.fetchRate).toFixed(2)}×`).join(', ')} (of ${base.fetchRate.toFixed(0)} pages/s); ` +
    `host limits bound at ≈${(HOSTS * 1000 / intervalMs).toFixed(0)} pages/s; violations ${results.reduce((a, r) => a + r.violations, 0)}`,
);
