/**
 * `npm run bench:scale`: a distributed refresh of the generated corpus (bench/corpus.ts)
 * by 1, 2 and 4 `modelfacts worker` processes on one Postgres, printed (not asserted).
 * The corpus is served from ten loopback servers (ten hosts), each limited to
 * BENCH_RATE requests/s (default 20): a request over the limit is answered 429 and
 * counted as a politeness violation. The run asks every host for starts 1000/(rate·0.9) ms
 * apart, at most 2 at once, shared by all workers through the database.
 * Options: BENCH_MODELS (default 2000), BENCH_WORKERS (default "1,2,4"), BENCH_CONCURRENCY
 * (jobs per worker, default 8), BENCH_PG (admin URL, default MODELFACTS_TEST_PG or the local server),
 * BENCH_PROFILE=<dir> (each worker writes a V8 CPU profile there, `node --cpu-prof`), BENCH_WARMUP=0
 * (measure the workers' first run; by default they first do one unmeasured run of another week,
 * as long-lived workers would have: a fresh process's first thousand pages run cold JIT code),
 * BENCH_COMPARE=<dir of another checkout, built> (its workers run first at each worker count,
 * interleaved with this checkout's, for a before/after under the same load).
 * Each line also gives the CPU seconds each worker process, this process (the ten servers)
 * and the machine's Postgres processes used during the fetch phase (Linux /proc; on a
 * shared machine the Postgres figure includes other users' queries).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
/** The workers' code: this checkout, and with BENCH_COMPARE=<another checkout> that one first at each worker count. */
const variants = [
  ...(process.env.BENCH_COMPARE ? [{ name: 'before', bin: resolve(process.env.BENCH_COMPARE, 'bin/modelfacts.js') }] : []),
  { name: process.env.BENCH_COMPARE ? 'after' : 'this', bin: resolve('bin/modelfacts.js') },
];
/** A first, unmeasured run by the same workers (BENCH_WARMUP=0: none). */
const warmup = process.env.BENCH_WARMUP !== '0';
const HOSTS = 10;
const intervalMs = Math.ceil(1000 / (rate * 0.9));

/** Transactions committed in the database so far (each statement outside a transaction is one). */
async function commits(db: string): Promise<number> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    // the statistics are a snapshot per transaction: read fresh
    await c.query('select pg_stat_clear_snapshot()');
    const { rows } = await c.query<{ n: string }>('select xact_commit::text as n from pg_stat_database where datname = $1', [db]);
    return Number(rows[0]?.n ?? 0);
  } finally {
    await c.end();
  }
}

async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

const TICKS = 100; // USER_HZ on Linux
/** CPU seconds (user + system) of a process, with its reaped children when `children`. */
function cpuSeconds(pid: number, children = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14-17 of proc(5): utime stime cutime cstime (f[0] is field 3)
    const own = Number(f[11]) + Number(f[12]);
    return (children ? own + Number(f[13]) + Number(f[14]) : own) / TICKS;
  } catch {
    return 0;
  }
}
/** CPU seconds of every postgres process on the machine (the postmaster counts its exited backends). */
function postgresCpu(): number {
  let total = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue;
    }
    total += cpuSeconds(Number(d), true);
  }
  return total;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [resolve('bin/modelfacts.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`modelfacts ${args.join(' ')} exited ${code}`))));
  });
}

function startWorkerProcess(env: NodeJS.ProcessEnv, bin: string): Promise<ChildProcess> {
  return new Promise((ok, fail) => {
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_PROFILE)}`] : [];
    const child = spawn(process.execPath, [...profile, bin, 'worker', '--concurrency', String(concurrency)], {
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
const results: { workers: number; variant: string; fetchRate: number; total: number; violations: number }[] = [];
try {
  for (const [n, variant] of workerCounts.flatMap((n) => variants.map((v) => [n, v] as const))) {
    const name = `modelfacts_bench_scale_${process.pid}_${n}`;
    await adminQuery(`drop database if exists ${name} with (force)`);
    await adminQuery(`create database ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const env = { ...process.env, DATABASE_URL: url.toString(), CI: 'true' };
    const workers: ChildProcess[] = [];
    try {
      await run(['migrate'], env);
      for (let i = 0; i < n; i++) workers.push(await startWorkerProcess(env, variant.bin));
      const database = await openDatabase({ url: url.toString() });
      const boss = await startQueue(database, { schedule: false, supervise: false });
      if (warmup) {
        // workers live for many runs: the measured run is not a fresh process's first (JIT, caches)
        const w = await startDistributedRefresh(database, boss, {
          week: '2026-W16',
          sources: CORPUS_SOURCES,
          transport: { kind: 'mirror', origins: served.origins },
          fetcher: { hostIntervalMs: intervalMs, hostConcurrency: 2 },
        });
        const end = await waitForRun(database, w.id, { intervalMs: 200 });
        if (end.state !== 'published') throw new Error(`${n} worker(s): warm-up run ${end.state}: ${end.error}`);
      }
      const violationsBefore = served.violations();
      const commits0 = await commits(name);
      const cpu0 = { workers: workers.map((w) => cpuSeconds(w.pid!)), self: process.cpuUsage(), pg: postgresCpu() };
      let cpu1: typeof cpu0 | undefined;
      let commits1: number | undefined;
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
          if (!fetched && p.discovered === p.sources && p.done >= p.expected) {
            fetched = performance.now();
            cpu1 = { workers: workers.map((w) => cpuSeconds(w.pid!)), self: process.cpuUsage(), pg: postgresCpu() };
            void commits(name).then((c) => (commits1 = c));
          }
        },
      });
      const total = (performance.now() - t0) / 1000;
      const fetchSeconds = ((fetched || performance.now()) - t0) / 1000;
      const detail = end.runId === null ? undefined : await runDetail(database.db, end.runId);
      await stopQueue(boss);
      await database.close();
      if (end.state !== 'published') throw new Error(`${n} worker(s): run ${end.state}: ${end.error}`);
      const violations = served.violations() - violationsBefore;
      results.push({ workers: n, variant: variant.name, fetchRate: pages / fetchSeconds, total, violations });
      const c1 = cpu1 ?? { workers: workers.map((w) => cpuSeconds(w.pid!)), self: process.cpuUsage(), pg: postgresCpu() };
      const workerCpu = c1.workers.map((c, i) => c - cpu0.workers[i]!);
      const selfCpu = (c1.self.user + c1.self.system - cpu0.self.user - cpu0.self.system) / 1e6;
      console.log(
        `  ${variants.length > 1 ? `${variant.name}: ` : ''}${n} worker(s): ${(pages / fetchSeconds).toFixed(0).padStart(4)} pages/s fetched+extracted (${fetchSeconds.toFixed(1)} s), ` +
          `${total.toFixed(1)} s with finalize (reconcile + publish); run ${detail?.status}, ${detail?.counts.claims} claims; ${violations} politeness violations`,
      );
      const pct = (s: number) => `${((100 * s) / fetchSeconds).toFixed(0)}%`;
      console.log(
        `      CPU during the fetch phase: worker${n > 1 ? 's' : ''} ${workerCpu.map((c) => `${c.toFixed(1)} s (${pct(c)})`).join(', ')}; ` +
          `${(workerCpu.reduce((a, b) => a + b, 0) / pages * 1000).toFixed(1)} ms worker CPU per page; ` +
          `servers (this process) ${selfCpu.toFixed(1)} s (${pct(selfCpu)}); postgres ${(c1.pg - cpu0.pg).toFixed(1)} s (${pct(c1.pg - cpu0.pg)}); ` +
          `${commits1 === undefined ? '?' : ((commits1 - commits0) / pages).toFixed(1)} statements per page`,
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
for (const v of variants) {
  const mine = results.filter((r) => r.variant === v.name);
  const base = mine[0]!;
  console.log(
    `scaling${variants.length > 1 ? ` (${v.name})` : ''}: ${mine.map((r) => `${r.workers}w ${(r.fetchRate / base.fetchRate).toFixed(2)}×`).join(', ')} (of ${base.fetchRate.toFixed(0)} pages/s); ` +
      `host limits bound at ≈${(HOSTS * 1000 / intervalMs).toFixed(0)} pages/s; violations ${mine.reduce((a, r) => a + r.violations, 0)}`,
  );
}
