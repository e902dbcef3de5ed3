/**
 * `npm run bench` (review part): the review app and the static report on the
 * four real weeks, printed (not asserted). Targets: queue first page ≤ 200 ms,
 * a model page ≤ 200 ms, an action round-trip ≤ 100 ms; the HTML report of a
 * real week < 3 MB, open in Chromium < 3 s.
 * Needs MODELFACTS_REAL_DATA and a Postgres server (MODELFACTS_TEST_PG).
 *
 * BENCH_REVIEW_DB=<postgres url>: use that database (the four weeks are
 * loaded into it only when it has no run yet) and keep it, for profiling
 * again and again. `--report-only`: only the static report's figures
 * (`npm run bench:report`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright';
import { renderHtml } from '../cli/report-html.js';
import { buildConflictReport } from '../pipelines/report/conflicts.js';
import { openDatabase } from '../pipelines/store/db.js';
import { realDataWeeks } from '../pipelines/fetch/real-data.js';
import { createPgDatabase } from '../test/helpers/db.js';

const realData = resolve(process.env.MODELFACTS_REAL_DATA ?? '../shared/real-data');
if (!existsSync(realData)) {
  console.error(`bench: no real data at ${realData}; set MODELFACTS_REAL_DATA`);
  process.exit(2);
}
const reportOnly = process.argv.includes('--report-only');
const kept = process.env.BENCH_REVIEW_DB;
const bench = kept ? { url: kept, drop: async () => undefined } : await createPgDatabase();
const env = { ...process.env, DATABASE_URL: bench.url };
const tmp = mkdtempSync(join(tmpdir(), 'modelfacts-bench-review-'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} runs)`;

try {
  execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env, stdio: 'ignore' });
  const database = await openDatabase({ url: bench.url });
  const counted = (await database.db.execute(sql`select count(*)::int as n from runs`)) as unknown as { rows: { n: number }[] };
  const n = counted.rows[0]?.n ?? 0;
  if (Number(n) === 0) {
    for (const w of realDataWeeks(realData)) execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', w], { env, stdio: 'ignore' });
  }
  console.log(`load average when measuring: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores)`);
  const server = reportOnly ? undefined : await serve();
  try {
    if (server) await app(server.url);
    await staticReport(database);
  } finally {
    server?.child.kill('SIGINT');
    await database.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await bench.drop();
}

/** `modelfacts serve` as a reviewer starts it: the bundled CLI (built first) in its own process. */
async function serve(): Promise<{ url: string; child: ChildProcess }> {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
  const child = spawn(process.execPath, ['bin/modelfacts.js', 'serve', '--port', '0', '--by', 'bench'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /on (http:\/\/\S+?)\/? /.exec(out);
      if (m) ok(m[1]!);
    });
    child.on('exit', (code) => fail(new Error(`modelfacts serve exited ${code}: ${out}`)));
  });
  return { url, child };
}

async function app(base: string) {
  const timed = async (url: string, init?: RequestInit) => {
    const t0 = performance.now();
    const res = await fetch(url, { redirect: 'manual', ...init });
    await res.arrayBuffer();
    return { ms: performance.now() - t0, res };
  };
  // the first request of a fresh server (its week figures are worked out while it starts)
  await new Promise((r) => setTimeout(r, 1000));
  const first = await timed(`${base}/`);
  const cookie = first.res.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = cookie.split('=')[1]!;
  const html = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  const ids = [...html.matchAll(/data-conflict="(\d+)"/g)].map((m) => m[1]!);
  const total = /of (\d+) conflicts/.exec(html)?.[1] ?? '?';
  const runs = async (path: string, times: number) => {
    const xs: number[] = [];
    for (let i = 0; i < times; i++) xs.push((await timed(`${base}${path}`, { headers: { cookie } })).ms);
    return xs;
  };
  console.log(`review queue, first page (25 of ${total} open conflicts, ${(html.length / 1024).toFixed(0)} KB): ${fmt(await runs('/', 10))}; the server's first request (1 s after it started) ${first.ms.toFixed(0)} ms`);
  console.log(`  filtered by model openai/gpt-image-1-mini: ${fmt(await runs('/?model=openai%2Fgpt-image-1-mini', 10))}`);
  console.log(`  by source openrouter-api: ${fmt(await runs('/?source=openrouter-api', 5))}; searched "gpt-4o": ${fmt(await runs('/?q=gpt-4o', 5))}; page 20: ${fmt(await runs('/?page=20', 5))}`);
  const model = await runs('/models/openai/gpt-image-1-mini', 10);
  const big = await runs('/models/openai/gpt-4o', 5);
  console.log(`model page openai/gpt-image-1-mini: ${fmt(model)}; openai/gpt-4o: ${fmt(big)}`);
  const action: number[] = [];
  for (const id of ids.slice(0, 10)) {
    const body = new URLSearchParams({ _csrf: csrf, action: 'defer', note: 'bench', back: '/' });
    const r = await timed(`${base}/conflicts/${id}/decide`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (r.res.status !== 303) throw new Error(`action on conflict ${id} answered ${r.res.status}`);
    action.push(r.ms);
  }
  console.log(`action round-trip (defer: log, conflict row, re-reconcile the fact's model and attribute): ${fmt(action)}`);
}

/** `conflicts --format html` of the latest week: size, and the time Chromium takes to open it (and to open every fact's details). */
async function staticReport(database: Awaited<ReturnType<typeof openDatabase>>) {
  const report = await buildConflictReport(database.db, {});
  const file = join(tmp, 'conflicts.html');
  writeFileSync(file, renderHtml(report));
  const mb = statSync(file).size / 1024 / 1024;
  const browser = await chromium.launch({ executablePath: process.env.MODELFACTS_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const loads: number[] = [];
    const opens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      const t0 = performance.now();
      await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 120_000 });
      loads.push(performance.now() - t0);
      const t1 = performance.now();
      await page.click('#find-open');
      await page.locator('tr.detail').nth(report.summary.listed - 1).waitFor({ state: 'attached' });
      opens.push(performance.now() - t1);
      await page.close();
    }
    console.log(`conflicts --format html, week ${report.week} (${report.summary.listed} facts): ${mb.toFixed(2)} MB, opens in Chromium in ${fmt(loads)}; opening every fact's details ${fmt(opens)}`);
  } finally {
    await browser.close();
  }
}
