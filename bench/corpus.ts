/**
 * A generated HTML corpus for load benchmarks (`npm run bench:html`, and the
 * scale-out bench): N model pages made from the recorded fixture pages of the
 * three server-rendered catalog sites (llmreference.com, anttisahla.com,
 * llm-stats.com), each with its own model slug, name and prices, plus one
 * index page per site listing them in that site's own markup.
 *
 * Pages keep their live URLs (https://llmreference.com/model/<slug> ...) so
 * the real source modules discover and extract them unchanged. They are
 * served by `serveCorpus` from one HTTP server per loopback address
 * (127.0.0.1 … 127.0.0.N, port 0 each), every page on the address its URL
 * hashes to: a crawler sees N origins, as it would a site behind several
 * edge hosts. No delay, no robots.txt rules, no rate limit.
 *
 *   const corpus = generateCorpus({ models: 2000 });
 *   const served = await serveCorpus(corpus, { addresses: 10 });
 *   served.local('https://llmreference.com/models') // → http://127.0.0.3:41234/llmreference.com/models
 *   await served.close();
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { anttisahla } from '../extractors/anttisahla.js';
import type { SourceModule } from '../extractors/contract.js';
import { llmStats } from '../extractors/llm-stats.js';
import { llmreferenceModel } from '../extractors/llmreference-model.js';
import type { Transport } from '../pipelines/fetch/types.js';
import { mirrorTransport, mirrorUrlFor } from '../pipelines/fetch/mirror.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/replay/2026-W17/pages/', import.meta.url));
/** The model every template page is about; replaced by each generated model. */
const TEMPLATE_SLUG = 'gpt-image-1-mini';
const TEMPLATE_NAME = 'GPT Image 1 Mini';

/** The source modules whose pages the corpus holds. */
export const CORPUS_SOURCES: readonly SourceModule[] = [llmreferenceModel, anttisahla, llmStats];

export interface CorpusPage {
  body: string;
  contentType: string;
}

export interface CorpusSite {
  source: SourceModule;
  host: string;
  indexUrl: string;
  /** Live URLs of the site's model pages, in index order. */
  modelUrls: string[];
}

export interface Corpus {
  sites: CorpusSite[];
  /** Every page (index and model pages) by live URL. */
  pages: Map<string, CorpusPage>;
  /** Total bytes of all page bodies. */
  bytes: number;
}

export interface CorpusOptions {
  /** Model pages in all (spread over the three sites by `shares`). Default 2000. */
  models?: number;
  /** Share of the model pages per site, in the order llmreference, anttisahla, llm-stats. */
  shares?: readonly [number, number, number];
  /** Varies slugs and prices between corpora of the same size. Default 1. */
  seed?: number;
}

interface Family {
  source: SourceModule;
  host: string;
  indexUrl: string;
  template: string;
  modelUrl(slug: string): string;
  index(models: { slug: string; name: string }[]): string;
}

const html = (main: string, head = '') =>
  `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Models</title>${head}</head><body>` +
  `<header class="site-header"><nav><a href="/">Home</a></nav></header><main id="content">${main}</main>` +
  `<footer><a href="/about">About</a></footer></body></html>\n`;

function families(): Family[] {
  const read = (path: string) => readFileSync(`${FIXTURES}${path}`, 'utf8');
  return [
    {
      source: llmreferenceModel,
      host: 'llmreference.com',
      indexUrl: llmreferenceModel.index.urls[0]!,
      template: read('llmreference.com/model/gpt-image-1-mini.html'),
      modelUrl: (slug) => `https://llmreference.com/model/${slug}`,
      index: (models) =>
        html(
          `<table class="directory"><thead><tr><th>Model</th></tr></thead><tbody>${models
            .map((m) => `<tr><td><a href="/model/${m.slug}">${m.name}</a></td></tr>`)
            .join('\n')}</tbody></table>`,
        ),
    },
    {
      source: anttisahla,
      host: 'anttisahla.com',
      indexUrl: anttisahla.index.urls[0]!,
      template: read('anttisahla.com/ai/models/gpt-image-1-mini.html'),
      modelUrl: (slug) => `https://anttisahla.com/ai/models/${slug}`,
      index: (models) =>
        html(`<ul class="catalog">${models.map((m) => `<li><a href="/ai/models/${m.slug}">${m.name}</a></li>`).join('\n')}</ul>`),
    },
    {
      source: llmStats,
      host: 'llm-stats.com',
      indexUrl: llmStats.index.urls[0]!,
      template: read('llm-stats.com/models/gpt-image-1-mini.html'),
      modelUrl: (slug) => `https://llm-stats.com/models/${slug}`,
      index: (models) => {
        const data = { props: { pageProps: { models: models.map((m) => ({ model_id: m.slug, name: m.name })) } } };
        // JSON inside a script element: "<" escaped so no name can close the element
        const json = JSON.stringify(data).replace(/</g, '\\u003c');
        return html('<h1>Models</h1>', `<script id="__NEXT_DATA__" type="application/json">${json}</script>`);
      },
    },
  ];
}

/** A decimal text scaled by (10 + k) / 10, computed on digits (never through a float): "2.00", k=3 → "2.600". */
function scaleDecimal(text: string, k: number): string {
  const [whole, frac = ''] = text.split('.');
  const scaled = (BigInt(`${whole}${frac}`) * BigInt(10 + k)).toString().padStart(frac.length + 2, '0');
  const places = frac.length + 1;
  return `${scaled.slice(0, -places)}.${scaled.slice(-places)}`;
}

/** Money in text ("$2.00") and price fields in embedded JSON ("price_per_image":0.01), varied per model. */
const PRICES = /(\$|"[a-z_]*price[a-z_]*":\s*)(\d+\.\d+)/g;

function modelPage(template: string, slug: string, name: string, k: number): string {
  return template
    .replaceAll(TEMPLATE_SLUG, slug)
    .replaceAll(TEMPLATE_NAME, name)
    .replace(PRICES, (_, prefix: string, amount: string) => `${prefix}${scaleDecimal(amount, k)}`);
}

export function generateCorpus(options: CorpusOptions = {}): Corpus {
  const total = options.models ?? 2000;
  const shares = options.shares ?? [0.5, 0.25, 0.25];
  const seed = options.seed ?? 1;
  const pages = new Map<string, CorpusPage>();
  const sites: CorpusSite[] = [];
  const fams = families();
  let made = 0;
  fams.forEach((fam, f) => {
    const count = f === fams.length - 1 ? total - made : Math.round(total * shares[f]!);
    made += count;
    const models = Array.from({ length: count }, (_, i) => {
      const tag = createHash('sha1').update(`${seed}:${f}:${i}`).digest('hex').slice(0, 6);
      return { slug: `bench-image-${i}-${tag}`, name: `Bench Image ${i} ${tag.toUpperCase()}`, k: (i + seed) % 13 };
    });
    const modelUrls: string[] = [];
    for (const m of models) {
      const url = fam.modelUrl(m.slug);
      modelUrls.push(url);
      pages.set(url, { body: modelPage(fam.template, m.slug, m.name, m.k), contentType: 'text/html; charset=utf-8' });
    }
    pages.set(fam.indexUrl, { body: fam.index(models), contentType: 'text/html; charset=utf-8' });
    sites.push({ source: fam.source, host: fam.host, indexUrl: fam.indexUrl, modelUrls });
  });
  let bytes = 0;
  for (const p of pages.values()) bytes += Buffer.byteLength(p.body);
  return { sites, pages, bytes };
}

export interface ServedCorpus {
  /** The loopback origins serving the corpus, e.g. http://127.0.0.4:40123. */
  origins: string[];
  /** Where a live URL of the corpus is served. */
  local(liveUrl: string): string;
  /** The live URL a local one stands for (inverse of `local`). */
  live(localUrl: string): string;
  /** A fetch Transport that sends modelfacts' requests to the corpus servers. */
  transport: Transport;
  /** Requests answered so far (all servers). */
  requests(): number;
  /** Requests over a server's rate limit (answered 429), all servers; 0 when no limit was set. */
  violations(): number;
  close(): Promise<void>;
}

export interface ServeOptions {
  addresses?: number;
  /**
   * Each server's limit, requests per second: a request that would make more than this
   * many within the last second is a violation, answered 429 with Retry-After: 1.
   */
  ratePerSecond?: number;
  /** Time before a page's answer, ms (a slow site): a number, or per live URL. */
  delayMs?: number | ((liveUrl: string) => number);
}

/** Serves the corpus from one server on each of `addresses` loopback addresses (no delay and no limit unless asked). */
export async function serveCorpus(corpus: Corpus, options: ServeOptions = {}): Promise<ServedCorpus> {
  const n = options.addresses ?? 10;
  let answered = 0;
  let violations = 0;
  const bodies = new Map<string, { body: Buffer; type: string }>();
  for (const [url, p] of corpus.pages) bodies.set(url, { body: Buffer.from(p.body), type: p.contentType });
  const servers: Server[] = [];
  const origins: string[] = [];
  for (let i = 0; i < n; i++) {
    /** Arrival times (ms) of the requests within the last second. */
    const recent: number[] = [];
    const server = createServer((req, res) => {
      answered++;
      if (options.ratePerSecond !== undefined) {
        const now = performance.now();
        while (recent.length > 0 && recent[0]! <= now - 1000) recent.shift();
        if (recent.length >= options.ratePerSecond) {
          violations++;
          res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' }).end('too many requests\n');
          return;
        }
        recent.push(now);
      }
      // request path is /<host>/<path>, standing for https://<host>/<path>
      const raw = req.url ?? '/';
      const live = `https:/${raw}`;
      const page = bodies.get(live);
      const answer = () => {
        if (!page) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not in the corpus\n');
          return;
        }
        res.writeHead(200, { 'content-type': page.type, 'content-length': String(page.body.length) }).end(page.body);
      };
      const delay = typeof options.delayMs === 'function' ? options.delayMs(live) : (options.delayMs ?? 0);
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, `127.0.0.${i + 1}`, () => ok());
    });
    servers.push(server);
    origins.push(`http://127.0.0.${i + 1}:${(server.address() as AddressInfo).port}`);
  }
  const local = localUrlFor(origins);
  return {
    origins,
    local,
    live: liveUrlOf,
    transport: corpusTransport(origins),
    requests: () => answered,
    violations: () => violations,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((ok) => {
              s.closeAllConnections();
              s.close(() => ok());
            }),
        ),
      ).then(() => undefined),
  };
}

/**
 * Where a live URL is served, given the servers' origins: the address its
 * path hashes to. Pure, so a crawler in another process computes the same.
 */
export const localUrlFor = mirrorUrlFor;

/** The live URL a corpus server's URL stands for. */
export function liveUrlOf(localUrl: string): string {
  const u = new URL(localUrl);
  return `https:/${u.pathname}${u.search}`;
}

/** A fetch Transport sending modelfacts' requests for live URLs to the corpus servers (each server a host of its own). */
export const corpusTransport = mirrorTransport;
