/**
 * Reading a large page in a worker thread (page-thread.ts), so a refresh's big
 * catalog pages are extracted and normalized on the other core while this
 * thread reads the small ones and the other sources. Reading is the refresh's
 * first phase and all JavaScript: run in one thread, the second core idles.
 *
 * Only a page worth it goes to a thread: starting one costs ≈ 0.1 s (more under
 * tsx, which compiles the extractors again in the thread) and copying its
 * reading back ≈ 10 ms per thousand claims, which only a page of many thousand
 * claims earns back. Tests, fixtures and a site's HTML pages are far under the
 * threshold, so they are read here as before and never start a thread.
 *
 * A thread's error comes back as the error it was: a changed layout as a
 * LayoutError (the source is quarantined), anything else as an error of the
 * same name, message, stack and fields (a bug: the run stops naming the source).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SourceModule } from '../../extractors/contract.js';
import { LayoutError } from '../../extractors/contract.js';
import { SOURCES } from '../../extractors/registry.js';
import type { PageReading, PageToRead } from './read-page.js';

/** Pages of at least this many characters are read in a thread (the real catalogs: 1.2 and 1.7 MB, 14k and 41k claims). */
export const THREAD_PAGE_CHARS = 1_000_000;

/** What a thread is given: the page, its source by id (its module is the registry's), the alias table. */
export interface PageThreadJob {
  sourceId: string;
  url: string;
  page: PageToRead;
  identity: { map: ReadonlyMap<string, string>; fingerprint: string };
}

/** An error as it crosses the thread boundary. */
export interface ThrownInThread {
  name: string;
  message: string;
  stack?: string;
  /** Its own fields (SchemaError's problems, ParseError's text…), when they can be copied. */
  fields?: Record<string, unknown>;
  cause?: ThrownInThread;
  /** Set for a LayoutError: rebuilt as one, so the source is quarantined as it is when read here. */
  layout?: { sourceId: string; url: string; part: string };
}

export type PageThreadAnswer = { reading: PageReading } | { error: ThrownInThread };

/** The thread side: an error as data (a few causes deep). */
export function thrownInThread(error: unknown, depth = 0): ThrownInThread {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { cause, ...own } = error as Error & { cause?: unknown };
  let fields: Record<string, unknown> | undefined;
  try {
    fields = Object.keys(own).length > 0 ? structuredClone(own) : undefined;
  } catch {
    fields = undefined; // a field that cannot be copied: the name, message and stack still say what happened
  }
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(fields ? { fields } : {}),
    ...(cause !== undefined && depth < 5 ? { cause: thrownInThread(cause, depth + 1) } : {}),
    ...(error instanceof LayoutError ? { layout: { sourceId: error.sourceId, url: error.url, part: error.part } } : {}),
  };
}

/** This side: the error again, a LayoutError as a LayoutError. */
export function rethrown(t: ThrownInThread): Error {
  const cause = t.cause ? { cause: rethrown(t.cause) } : undefined;
  const e = t.layout ? new LayoutError(t.layout.sourceId, t.layout.url, t.layout.part, cause) : new Error(t.message, cause);
  if (t.fields) Object.assign(e, t.fields);
  e.name = t.name;
  if (t.stack) e.stack = t.stack;
  return e;
}

/** Whether this page is read in a thread: a large page of a registry source (a thread finds its module by id). */
export function readsInThread(source: SourceModule, page: PageToRead, minChars = THREAD_PAGE_CHARS): boolean {
  return page.body.length >= minChars && SOURCES.some((s) => s === source);
}

/** Set in the bundle by scripts/build.mjs: the bundled thread entry, relative to this module's source file. */
declare const MODELFACTS_PAGE_THREAD: string | undefined;

/** How a thread is started: the bundled entry from dist/, else the TypeScript one, compiled in the thread by tsx. */
function threadStart(): { entry: URL | string; eval?: true } {
  if (typeof MODELFACTS_PAGE_THREAD === 'string') return { entry: new URL(MODELFACTS_PAGE_THREAD, import.meta.url) };
  // a thread does not inherit the process's module hooks (nor, on Node 20, apply `--import tsx` before its entry):
  // a small script registers tsx in the thread first, then imports the entry
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./page-thread.ts', import.meta.url).href;
  return { entry: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}

/** Threads at once: one per core (the pages wait their turn), so many large pages never hold many heaps at once. */
const MAX_THREADS = Math.max(1, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_THREADS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

/** Reads one page in a worker thread: what readPage would return, or throw, here. */
export async function readPageInThread(
  source: SourceModule,
  url: string,
  page: PageToRead,
  identity: { map: ReadonlyMap<string, string>; fingerprint: string },
): Promise<PageReading> {
  const release = await slot();
  try {
    const start = threadStart();
    // only what reading needs crosses: not the page's headers, nor the alias table's other fields
    const job: PageThreadJob = {
      sourceId: source.id,
      url,
      page: { url: page.url, body: page.body, contentType: page.contentType, fetchedAt: page.fetchedAt, hash: page.hash },
      identity: { map: identity.map, fingerprint: identity.fingerprint },
    };
    const worker = new Worker(start.entry, { workerData: job, ...(start.eval ? { eval: true } : {}) });
    const answer = await new Promise<PageThreadAnswer>((resolve, reject) => {
      worker.once('message', resolve);
      // the thread itself failed (its modules did not load, it ran out of memory): a bug, as a throw here would be
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the thread reading ${url} (${source.id}) exited with code ${code} before answering`)));
    });
    // the answer is all it had to give: its heap is freed now, not when it winds down
    void worker.terminate();
    if ('error' in answer) throw rethrown(answer.error);
    return answer.reading;
  } finally {
    release();
  }
}
