/**
 * One `bench:html` runner in its own process, so its peak RSS is its own:
 * crawls the served corpus from its index pages and runs the source modules'
 * extractors on every page, then prints one JSON line of figures.
 * Input: env BENCH_HTML = { runner, origins, concurrency }.
 *   modelfacts — the refresh path: Fetcher (politeness off) + runSource (extract and normalize);
 *   raw        — undici `request` + the same extractors, nothing else;
 *   crawlee    — Crawlee's CheerioCrawler, the same extractors in its request handler.
 */
import { CheerioCrawler, Configuration, log, LogLevel } from '@crawlee/cheerio';
import { request } from 'undici';
import type { Page, SourceModule } from '../extractors/contract.js';
import { Fetcher } from '../pipelines/fetch/index.js';
import { SEED_ALIAS_TABLE } from '../pipelines/normalize/identity.js';
import { runSource } from '../pipelines/run/refresh.js';
import { CORPUS_SOURCES, corpusTransport, liveUrlOf, localUrlFor } from './corpus.js';

export interface RunnerInput {
  runner: 'modelfacts' | 'raw' | 'crawlee';
  origins: string[];
  concurrency: number;
}
export interface RunnerResult {
  runner: string;
  pages: number;
  failed: number;
  observations: number;
  seconds: number;
  peakRssMb: number;
}

const input = JSON.parse(process.env.BENCH_HTML ?? '') as RunnerInput;
const local = localUrlFor(input.origins);
const byHost = new Map(CORPUS_SOURCES.map((s) => [s.hosts[0]!, s]));
const sourceOf = (liveUrl: string): SourceModule => byHost.get(new URL(liveUrl).hostname)!;
const indexUrls = CORPUS_SOURCES.flatMap((s) => s.index!.urls);
const page = (url: string, body: string, contentType: string): Page => ({ url, body, contentType, fetchedAt: new Date().toISOString() });

async function modelfacts(): Promise<Omit<RunnerResult, 'runner' | 'seconds' | 'peakRssMb'>> {
  const c = input.concurrency;
  const fetcher = new Fetcher({
    transport: corpusTransport(input.origins),
    hostIntervalMs: 0,
    hostConcurrency: c,
    maxConcurrency: c,
    respectRobots: false,
    // on a loaded machine a kept-alive socket is now and then reset: every runner retries, as a real run does
    retries: 3,
    backoffBaseMs: 50,
  });
  try {
    const outcomes = await Promise.all(
      CORPUS_SOURCES.map((s) => runSource(s, (url, src) => fetcher.fetch(url, src), SEED_ALIAS_TABLE, {}, undefined, undefined, c)),
    );
    const bad = outcomes.find((o) => o.status !== 'ok');
    if (bad) throw new Error(`${bad.sourceId}: ${bad.status}: ${bad.reason}`);
    return {
      pages: outcomes.reduce((n, o) => n + o.pages.length, 0),
      failed: outcomes.reduce((n, o) => n + o.pages.filter((p) => 'error' in p && p.error).length, 0),
      observations: outcomes.reduce((n, o) => n + o.observations, 0),
    };
  } finally {
    await fetcher.close();
  }
}

async function raw(): Promise<Omit<RunnerResult, 'runner' | 'seconds' | 'peakRssMb'>> {
  let observations = 0;
  let pages = 0;
  const get = async (url: string, attempt = 0): Promise<Page> => {
    let res;
    try {
      res = await request(local(url));
    } catch (error) {
      if (attempt >= 3) throw error;
      return get(url, attempt + 1);
    }
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}`);
    pages++;
    return page(url, body, String(res.headers['content-type']));
  };
  const pool = async (urls: string[], work: (url: string) => Promise<void>) => {
    let next = 0;
    const worker = async () => {
      while (next < urls.length) await work(urls[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(input.concurrency, urls.length) }, worker));
  };
  const modelUrls: string[] = [];
  await pool(indexUrls, async (url) => {
    const p = await get(url);
    modelUrls.push(...sourceOf(url).index!.discover(p));
  });
  await pool(modelUrls, async (url) => {
    const p = await get(url);
    observations += sourceOf(url).extract(p).observations.length;
  });
  return { pages, failed: 0, observations };
}

async function crawlee(): Promise<Omit<RunnerResult, 'runner' | 'seconds' | 'peakRssMb'>> {
  log.setLevel(LogLevel.OFF);
  // request queue in memory only, nothing written under ./storage
  const config = new Configuration({ persistStorage: false, purgeOnStart: true });
  let observations = 0;
  let pages = 0;
  let failed = 0;
  const crawler = new CheerioCrawler(
    {
      minConcurrency: input.concurrency,
      maxConcurrency: input.concurrency,
      maxRequestRetries: 3,
      async requestHandler({ request, body, contentType }) {
        const live = liveUrlOf(request.url);
        const p = page(live, body.toString(), contentType.type);
        pages++;
        if (request.label === 'index') {
          await crawler.addRequests(sourceOf(live).index!.discover(p).map((u) => ({ url: local(u) })));
        } else {
          observations += sourceOf(live).extract(p).observations.length;
        }
      },
      failedRequestHandler() {
        failed++;
      },
    },
    config,
  );
  await crawler.run(indexUrls.map((u) => ({ url: local(u), label: 'index' })));
  return { pages, failed, observations };
}

const t0 = performance.now();
const counts = await { modelfacts, raw, crawlee }[input.runner]();
const seconds = (performance.now() - t0) / 1000;
const result: RunnerResult = {
  runner: input.runner,
  ...counts,
  seconds,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
