/**
 * `npm run bench` (review part): the review app and the static report on the
 * four real weeks, printed (not asserted). Targets: queue first page ≤ 200 ms,
 * a model page ≤ 200 ms, an action round-trip ≤ 100 ms; the HTML report of a
 * real week < 3 MB, open in Chromium < 3 s.
 * Needs MODELFACTS_REAL_DATA and a Postgres server (MODELFACTS_TEST_PG).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright';
import { renderHtml } from '../cli/report-html.js';
import { buildConflictReport } from '../pipelines/report/conflicts.js';
import { openDatabase } from '../pipelines/store/db.js';
import { realDataWeeks } from '../pipelines/fetch/real-data.js';
import { startReviewServer } from '../review/server.js';
import { createPgDatabase } from '../test/helpers/db.js';

const realData = resolve(process.env.MODELFACTS_REAL_DATA ?? '../shared/real-data');
if (!existsSync(realData)) {
  console.error(`bench: no real data at ${realData}; set MODELFACTS_REAL_DATA`);
  process.exit(2);
}
const bench = await createPgDatabase();
const env = { ...process.env, DATABASE_URL: bench.url };
const tmp = mkdtempSync(join(tmpdir(), 'modelfacts-bench-review-'));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (${xs.length} runs)`;

try {
  execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env, stdio: 'ignore' });
  for (const w of realDataWeeks(realData)) execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', w], { env, stdio: 'ignore' });
  const database = await openDatabase({ url: bench.url });
  const server = await startReviewServer({ database, by: 'bench', host: '127.0.0.1', port: 0 });
  try {
    const timed = async (url: string, init?: RequestInit) => {
      const t0 = performance.now();
      const res = await fetch(url, { redirect: 'manual', ...init });
      await res.arrayBuffer();
      return { ms: performance.now() - t0, res };
    };
    const first = await timed(`${server.url}/`);
    const cookie = first.res.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = cookie.split('=')[1]!;
    const html = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
    const ids = [...html.matchAll(/data-conflict="(\d+)"/g)].map((m) => m[1]!);
    const queue: number[] = [];
    for (let i = 0; i < 10; i++) queue.push((await timed(`${server.url}/`, { headers: { cookie } })).ms);
    console.log(`review queue, first page (25 of the week's open conflicts): ${fmt(queue)}, ${(html.length / 1024).toFixed(0)} KB`);
    const model: number[] = [];
    for (let i = 0; i < 10; i++) model.push((await timed(`${server.url}/models/openai/gpt-image-1-mini`, { headers: { cookie } })).ms);
    const big: number[] = [];
    for (let i = 0; i < 5; i++) big.push((await timed(`${server.url}/models/openai/gpt-4o`, { headers: { cookie } })).ms);
    console.log(`model page openai/gpt-image-1-mini: ${fmt(model)}; openai/gpt-4o: ${fmt(big)}`);
    const action: number[] = [];
    for (const id of ids.slice(0, 10)) {
      const body = new URLSearchParams({ _csrf: csrf, action: 'defer', note: 'bench', back: '/' });
      const r = await timed(`${server.url}/conflicts/${id}/decide`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      if (r.res.status !== 303) throw new Error(`action on conflict ${id} answered ${r.res.status}`);
      action.push(r.ms);
    }
    console.log(`action round-trip (defer: log, conflict row, re-reconcile the fact's model and attribute): ${fmt(action)}`);

    const report = await buildConflictReport(database.db, {});
    const file = join(tmp, 'conflicts.html');
    writeFileSync(file, renderHtml(report));
    const mb = statSync(file).size / 1024 / 1024;
    const browser = await chromium.launch({ executablePath: process.env.MODELFACTS_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const loads: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage();
        const t0 = performance.now();
        await page.goto(`file://${file}`, { waitUntil: 'load', timeout: 120_000 });
        loads.push(performance.now() - t0);
        await page.close();
      }
      console.log(`conflicts --format html, week ${report.week} (${report.summary.listed} facts): ${mb.toFixed(1)} MB, opens in Chromium in ${fmt(loads)}`);
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
    await database.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await bench.drop();
}
