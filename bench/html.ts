/**
 * `npm run bench:html`: the HTML path against a raw client and Crawlee, printed (not asserted).
 *  1. A generated corpus (bench/corpus.ts: model pages of three catalog sites plus their
 *     index pages) served without delay from ten loopback addresses.
 *  2. Three runners on it, each in its own process, interleaved, three repetitions, all at
 *     the same concurrency: modelfacts' fetch + extract + normalize path (politeness off),
 *     raw undici + the same extractors, Crawlee's CheerioCrawler + the same extractors.
 *  3. Browser pages: the client-rendered Vercel page from the replay fixtures, rendered
 *     repeatedly through modelfacts' browser fetcher (one browser, contexts reused).
 * Options: BENCH_MODELS (default 2000), BENCH_CONCURRENCY (default 16), BENCH_REPS (default 3).
 */
import { spawn } from 'node:child_process';
import { vercelGatewayPage } from '../extractors/vercel-gateway-page.js';
import { Fetcher } from '../pipelines/fetch/index.js';
import { findChromium } from '../pipelines/fetch/browser.js';
import { loadArchive, startReplayServer } from '../pipelines/fetch/replay.js';
import { generateCorpus, serveCorpus } from './corpus.js';
import type { RunnerInput, RunnerResult } from './html-runner.js';

const models = Number(process.env.BENCH_MODELS ?? 2000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const reps = Number(process.env.BENCH_REPS ?? 3);
const RUNNERS: RunnerInput['runner'][] = ['modelfacts', 'raw', 'crawlee'];

function runChild(input: RunnerInput): Promise<RunnerResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/html-runner.ts'], {
      env: { ...process.env, BENCH_HTML: JSON.stringify(input) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`${input.runner} runner exited ${code}`));
      ok(JSON.parse(out.trim().split('\n').pop()!) as RunnerResult);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const corpus = generateCorpus({ models });
const served = await serveCorpus(corpus, { addresses: 10 });
console.log(
  `corpus: ${corpus.pages.size} pages (${models} model pages + ${corpus.sites.length} index pages, ${(corpus.bytes / 1024 / 1024).toFixed(1)} MB) from ${served.origins.length} loopback origins; concurrency ${concurrency}; ${reps} repetitions, runners interleaved`,
);
const results = new Map<string, RunnerResult[]>(RUNNERS.map((r) => [r, []]));
try {
  for (let rep = 0; rep < reps; rep++) {
    // the order rotates so no runner always goes first (or last) on a machine others share
    const order = RUNNERS.map((_, i) => RUNNERS[(i + rep) % RUNNERS.length]!);
    for (const runner of order) {
      const r = await runChild({ runner, origins: served.origins, concurrency });
      if (r.pages !== corpus.pages.size || r.failed > 0) {
        throw new Error(`${runner}: crawled ${r.pages} pages (${r.failed} failed), the corpus has ${corpus.pages.size}`);
      }
      results.get(runner)!.push(r);
      console.log(
        `  run ${rep + 1} ${runner.padEnd(10)} ${(r.pages / r.seconds).toFixed(0).padStart(5)} pages/s  ${r.seconds.toFixed(2)} s  peak RSS ${r.peakRssMb} MB  ${r.observations} observations`,
      );
    }
  }
} finally {
  await served.close();
}
const rate = (r: string) => median(results.get(r)!.map((x) => x.pages / x.seconds));
const rss = (r: string) => median(results.get(r)!.map((x) => x.peakRssMb));
console.log('median of the runs:');
for (const r of RUNNERS) {
  const all = results.get(r)!.map((x) => (x.pages / x.seconds).toFixed(0)).join(' / ');
  console.log(`  ${r.padEnd(10)} ${rate(r).toFixed(0)} pages/s (${all}), peak RSS ${rss(r)} MB`);
}
console.log(
  `  modelfacts / raw ${(rate('modelfacts') / rate('raw')).toFixed(2)}×, modelfacts / crawlee ${(rate('modelfacts') / rate('crawlee')).toFixed(2)}×, raw / crawlee ${(rate('raw') / rate('crawlee')).toFixed(2)}×`,
);

// ---- browser pages: the client-rendered page, rendered again and again through one browser
const archive = loadArchive('fixtures/replay/2026-W17');
const replay = await startReplayServer(archive);
const pageUrls = [...archive.entries.keys()].filter((u) => /vercel\.com\/ai-gateway\/models\/[^_/]+$/.test(u));
const fetcher = new Fetcher({
  transport: replay.transport,
  hostIntervalMs: 0,
  hostConcurrency: 4,
  respectRobots: false,
  retries: 0,
  executablePath: findChromium(),
});
try {
  // the first page launches Chromium: timed apart
  const t0 = performance.now();
  await fetcher.fetch(pageUrls[0]!, vercelGatewayPage);
  const launch = performance.now() - t0;
  for (const parallel of [1, 4]) {
    const rates: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const n = 20;
      const t1 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: parallel }, async () => {
          while (next < n) {
            const url = pageUrls[next++ % pageUrls.length]!;
            const page = await fetcher.fetch(url, vercelGatewayPage);
            const extraction = vercelGatewayPage.extract({ ...page, url });
            if (extraction.observations.length === 0) throw new Error(`${url}: rendered page yielded no observation`);
          }
        }),
      );
      rates.push(n / ((performance.now() - t1) / 1000));
    }
    console.log(
      `browser (Vercel page, rendered + extracted, ${parallel} at a time): ${median(rates).toFixed(1)} pages/s (${rates.map((r) => r.toFixed(1)).join(' / ')}); first page with browser launch ${(launch / 1000).toFixed(2)} s`,
    );
  }
} finally {
  await fetcher.close();
  await replay.close();
}
console.log(`peak RSS of this process (corpus server + browser driver): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
