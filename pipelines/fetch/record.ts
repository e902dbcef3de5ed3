/**
 * Recording: every response the fetch layer sees (redirect hops, robots.txt,
 * the browser's scripts and XHR calls) collected in memory and written as a
 * replay archive in the manifest format of fixtures/replay/<week>/, so a live
 * capture replays through the same code as the bundled fixtures.
 *
 * Only headers that matter to a replay are kept (an allowlist): a capture is
 * meant to be shared, and cookies or tracking headers must not end up in it.
 */
import { InputError } from '../../schema/errors.js';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sha256 } from './http.js';
import { normalizeUrl, type Manifest, type ManifestEntry } from './replay.js';
import type { RecordedResponse } from './types.js';

const KEPT_HEADERS = new Set(['content-type', 'location', 'etag', 'last-modified', 'retry-after', 'content-language']);

const EXTENSIONS: [RegExp, string][] = [
  [/html/i, '.html'],
  [/json/i, '.json'],
  [/xml/i, '.xml'],
  [/javascript|ecmascript/i, '.js'],
  [/css/i, '.css'],
  [/^text\//i, '.txt'],
];

/** The archive folder is not usable for a new recording (it holds files already). Bad input, exit 2. */
export class RecordTargetError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'RecordTargetError';
  }
}

const short = (text: string) => sha256(text).slice(0, 10);

/** `pages/<host>/<path>.<ext>`, the layout scripts/build-manifest.ts reads; a query string becomes a hash suffix. */
export function archivePath(url: URL, contentType: string): string {
  const ext = EXTENSIONS.find(([re]) => re.test(contentType))?.[1] ?? '.bin';
  const segments = url.pathname
    .split('/')
    .slice(1)
    .map((s) => {
      let text = s;
      try {
        text = decodeURIComponent(s);
      } catch {
        // a malformed escape stays as written; the sanitizing below makes it safe
      }
      return text.replace(/[^A-Za-z0-9._~@+=-]/g, '_').replace(/^\.+$/, '_');
    });
  if (segments.length === 0 || segments[segments.length - 1] === '') segments[Math.max(0, segments.length - 1)] = '_index';
  if (url.search) segments[segments.length - 1] += `@${short(url.search)}`;
  return ['pages', url.host.replace(/[^A-Za-z0-9.-]/g, '_'), ...segments].join('/') + ext;
}

export class ArchiveRecorder {
  private readonly responses = new Map<string, RecordedResponse>();

  /** The recorder to hand to the Fetcher (`record` option). */
  readonly record = (response: RecordedResponse): void => {
    const key = normalizeUrl(response.url);
    const had = this.responses.get(key);
    // a success is not replaced by a later failure of the same URL
    if (had && had.status < 300 && response.status >= 300) return;
    this.responses.set(key, { ...response, url: key });
  };

  get size(): number {
    return this.responses.size;
  }

  urls(): string[] {
    return [...this.responses.keys()].sort();
  }

  /** Writes bodies and manifest.json into `folder`, which must be missing or empty. */
  write(folder: string, meta: { week?: string; recordedAt?: string } = {}): Manifest {
    const dir = resolve(folder);
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new RecordTargetError(`${folder} is not empty: record into a new folder`);
    }
    const used = new Set<string>();
    const entries: ManifestEntry[] = [];
    for (const url of this.urls()) {
      const r = this.responses.get(url)!;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers)) if (KEPT_HEADERS.has(k.toLowerCase())) headers[k.toLowerCase()] = v;
      let body = archivePath(new URL(url), headers['content-type'] ?? '');
      if (used.has(body.toLowerCase())) body = body.replace(/(\.[a-z]+)$/, `@${short(url)}$1`);
      used.add(body.toLowerCase());
      mkdirSync(dirname(join(dir, body)), { recursive: true });
      writeFileSync(join(dir, body), r.body);
      entries.push({ url, status: r.status, headers, body });
    }
    const manifest: Manifest = {
      ...(meta.week ? { week: meta.week } : {}),
      recordedAt: meta.recordedAt ?? new Date().toISOString(),
      entries,
    };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
  }
}
