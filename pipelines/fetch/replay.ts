/**
 * Replay: a recorded archive served from a local HTTP server on 127.0.0.1.
 * Both the HTTP client and the browser are pointed at it through a Transport,
 * so a replay runs exactly the fetch code a live run does. The HTTP client's
 * requests are answered in this process (the transport's undici dispatcher)
 * rather than over the socket: the same answers, status, headers and body, and
 * everything above the connection (redirects, caps, decoding, charset, robots.txt,
 * retries) the same code; sending 3 MB of catalogs through a loopback socket
 * and undici's HTTP parser was half the time of replaying a week whose pages had
 * not changed. The browser still loads its pages from the server.
 *
 * Archive layout: <folder>/manifest.json = { week?, recordedAt?, entries: [{ url, status, headers, body }] }
 * with `body` a file path relative to the folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Dispatcher } from 'undici';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, parseOrThrow } from '../../schema/errors.js';
import { RealDataError, realDataWeekEntries } from './real-data.js';
import { ArchiveHeaders, BodyFileError, checkedBodyFile, readBodyFile } from './archive-files.js';
import type { Transport } from './types.js';
import { weekStart } from '../../schema/week.js';

export const ManifestEntry = z.object({
  url: z.string().url(),
  status: z.number().int().min(100).max(599),
  headers: ArchiveHeaders.default({}),
  body: z.string().min(1),
});
export const Manifest = z.object({
  week: z.string().optional(),
  recordedAt: z.string().optional(),
  entries: z.array(ManifestEntry),
});
export type Manifest = z.infer<typeof Manifest>;
export type ManifestEntry = z.infer<typeof ManifestEntry>;

/** The replay folder is unusable: missing, unreadable, or its manifest is malformed. Bad input, exit 2. */
export class ArchiveError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArchiveError';
  }
}

export interface Archive {
  week?: string;
  /** When the archive was recorded (manifest `recordedAt`; a real-data week folder: that week's Monday 06:00 UTC). */
  recordedAt?: string;
  entries: Map<string, ManifestEntry & { file: string }>;
}

/** A real-data week folder (catalog copies named as in ../shared/real-data), served at the live URLs they stand for. */
function realDataArchive(dir: string): Archive | undefined {
  let entries;
  try {
    entries = realDataWeekEntries(dir);
  } catch (error) {
    if (error instanceof RealDataError) return undefined; // not a real-data folder either
    throw error;
  }
  const name = basename(dir);
  const week = /^\d{4}-W\d{2}$/.test(name) ? name : undefined;
  return {
    week,
    // each copy is the newest one before that week's Monday 06:00 UTC (real-data README)
    ...(week ? { recordedAt: new Date(weekStart(week).getTime() + 6 * 3_600_000).toISOString() } : {}),
    entries: new Map(
      entries.map((e) => [
        normalizeUrl(e.url),
        { url: e.url, status: 200, headers: { 'content-type': e.contentType }, body: e.file, file: e.file },
      ]),
    ),
  };
}

/** Does the archive hold any page this source starts from (its catalog pages or index pages)? */
export function archiveCovers(archive: Archive, startUrls: readonly string[]): boolean {
  return startUrls.some((u) => archive.entries.has(normalizeUrl(u)));
}

export function loadArchive(folder: string): Archive {
  const dir = resolve(folder);
  if (!existsSync(dir)) throw new ArchiveError(`replay folder ${folder} does not exist`);
  if (!statSync(dir).isDirectory()) throw new ArchiveError(`replay folder ${folder} is not a folder`);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    const archive = realDataArchive(dir);
    if (archive) return archive;
    throw new ArchiveError(`replay folder ${folder} has no manifest.json (and is not a known real-data week folder)`);
  }
  let json: unknown;
  try {
    // a UTF-8 byte-order mark (some Windows editors write one) is ignored, as RFC 8259 allows
    json = JSON.parse(readFileSync(manifestPath, 'utf8').replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new ArchiveError(`${manifestPath} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  let manifest: Manifest;
  try {
    manifest = parseOrThrow(Manifest, json, `replay manifest ${manifestPath}`);
  } catch (cause) {
    throw new ArchiveError((cause as Error).message, { cause });
  }
  const entries = new Map<string, ManifestEntry & { file: string }>();
  const firstIndex = new Map<string, number>();
  manifest.entries.forEach((entry, i) => {
    const key = normalizeUrl(entry.url);
    const earlier = firstIndex.get(key);
    if (earlier !== undefined) {
      throw new ArchiveError(`${manifestPath}: entries #${earlier + 1} and #${i + 1} both hold ${key}; keep one`);
    }
    firstIndex.set(key, i);
    let file: string;
    try {
      file = checkedBodyFile(dir, entry.body);
    } catch (cause) {
      if (!(cause instanceof BodyFileError)) throw cause;
      throw new ArchiveError(`${manifestPath}: entry #${i + 1} (${entry.url}): ${cause.message}`, { cause });
    }
    entries.set(key, { ...entry, file });
  });
  // an archive that does not say when it was recorded keeps the fetch times of the replay
  const recordedAt = manifest.recordedAt;
  return { week: manifest.week, ...(recordedAt ? { recordedAt } : {}), entries };
}

/** The URL as an archive key: the fragment never reaches the server, so it is dropped. */
export function normalizeUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.toString();
}

export interface ReplayServer {
  transport: Transport;
  port: number;
  /** URLs the run asked for that the archive does not hold. */
  misses: string[];
  close(): Promise<void>;
}

/** What the archive answers to one request: what the server sends, and what the in-process dispatcher hands undici. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body?: Buffer | string;
}

/** The archive's answer to a request for `raw` (/<host>/<path>?<query>, standing for https://<host>/<path>?<query>). */
function answer(archive: Archive, misses: string[], raw: string, ifNoneMatch: string | string[] | undefined): Answer {
  const slash = raw.indexOf('/', 1);
  const host = slash < 0 ? raw.slice(1) : raw.slice(1, slash);
  const rest = slash < 0 ? '/' : raw.slice(slash);
  const live = normalizeUrl(`https://${host}${rest}`);
  const entry = archive.entries.get(live);
  if (!entry) {
    misses.push(live);
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `not in the replay archive: ${live}\n` };
  }
  const etag = Object.entries(entry.headers).find(([k]) => k.toLowerCase() === 'etag')?.[1];
  if (etag && ifNoneMatch === etag) return { status: 304, headers: { etag } };
  let body: Buffer;
  try {
    body = readBodyFile(entry.file);
  } catch (error) {
    // the file changed since the archive was loaded: the page fails, the server goes on
    return { status: 500, headers: { 'content-type': 'text/plain' }, body: `replay body unreadable: ${(error as Error).message}\n` };
  }
  return { status: entry.status, headers: { ...entry.headers, 'content-length': String(body.length) }, body };
}

/**
 * Answers the HTTP client's requests to the replay server without the socket: undici calls
 * `dispatch` with the request and a handler, which gets the status, the headers (as an HTTP
 * parser hands them over, names lower-cased by undici) and the body in one piece. A request
 * aborted (the fetch deadline) before it is answered ends in the handler's error, as on a socket.
 */
class ReplayDispatcher extends Dispatcher {
  constructor(
    private readonly archive: Archive,
    private readonly misses: string[],
  ) {
    super();
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const { onConnect, onHeaders, onData, onComplete, onError } = handler;
    // the handler of undici's request(), the only caller (http.ts)
    if (!onConnect || !onHeaders || !onData || !onComplete || !onError) throw new TypeError('replay dispatcher: unsupported undici handler');
    let done = false;
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      onError.call(handler, error);
    };
    onConnect.call(handler, (error?: Error) => fail(error ?? new Error('request aborted')));
    // answered on a later turn, as a socket would: the caller has its promise before the response arrives
    setImmediate(() => {
      if (done) return;
      let a: Answer;
      try {
        const h = opts.headers as Record<string, string | string[] | undefined> | undefined;
        a = answer(this.archive, this.misses, opts.path, h?.['if-none-match']);
      } catch (error) {
        fail(error as Error);
        return;
      }
      done = true;
      const raw = Object.entries(a.headers).flatMap(([k, v]) => [Buffer.from(k, 'latin1'), Buffer.from(v, 'latin1')]);
      onHeaders.call(handler, a.status, raw, () => undefined, '');
      if (a.body !== undefined && a.body.length > 0) onData.call(handler, typeof a.body === 'string' ? Buffer.from(a.body) : a.body);
      onComplete.call(handler, []);
    });
    return true;
  }

  override async close(): Promise<void> {}
  override async destroy(): Promise<void> {}
}

export async function startReplayServer(archive: Archive): Promise<ReplayServer> {
  const misses: string[] = [];
  const server: Server = createServer((req, res) => {
    const a = answer(archive, misses, req.url ?? '/', req.headers['if-none-match']);
    res.writeHead(a.status, a.headers).end(a.body);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    misses,
    transport: {
      name: 'replay',
      target: (url) => `http://127.0.0.1:${port}/${url.host}${url.pathname}${url.search}`,
      dispatcher: new ReplayDispatcher(archive, misses),
      ...(archive.recordedAt ? { recordedAt: archive.recordedAt } : {}),
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
