/**
 * Plain HTTP fetching with undici: manual redirects checked against the
 * source's hosts, a deadline, a cap on the decompressed size, conditional GET.
 */
import { promisify } from 'node:util';
import { brotliDecompress, createBrotliDecompress, createGunzip, createInflate, gunzip, inflate } from 'node:zlib';
import { request } from 'undici';
import { HostNotAllowedError, PermanentFetchError, RetryableFetchError } from './errors.js';
import { decodeBody } from './charset.js';
import { MissingPageError } from './missing-page.js';
import { redirectRefusal } from './redirect-policy.js';
import type { Conditional, FetchedPage, ResponseRecorder, Transport } from './types.js';
import { sha256Hex } from '../../schema/keys.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const brotliAsync = promisify(brotliDecompress);

const MAX_REDIRECTS = 5;

export interface HttpOptions {
  transport: Transport;
  allowedHosts: readonly string[];
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  conditional?: Conditional;
  /** Sees every response (redirect hops included, body decoded): how `modelfacts record` captures an archive. */
  record?: ResponseRecorder;
  /** Keep the first `maxBytes` of a longer body instead of refusing it (robots.txt: RFC 9309 parses at least 500 KiB). */
  truncate?: boolean;
}

/** Headers that describe the transfer, not the content: dropped from recordings, whose bodies are stored decoded. */
const TRANSFER_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** Headers flattened to strings; with `dropTransfer`, the transfer headers recordings leave out. */
export function flatHeaders(h: Record<string, string | string[] | undefined>, dropTransfer = false): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || (dropTransfer && TRANSFER_HEADERS.has(k.toLowerCase()))) continue;
    flat[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return flat;
}

export function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  return allowed.some((h) => url.hostname === h || url.hostname.endsWith(`.${h}`));
}

/** A page body's hash (hex), as the schema hashes every text. */
export const sha256 = sha256Hex;

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Retry-After as milliseconds: either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number, url: string, truncate = false): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      if (!truncate) throw new PermanentFetchError(`${url}: response larger than the ${maxBytes}-byte cap`);
      chunks.push(chunk.subarray(0, chunk.length - (total - maxBytes)));
      break;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function decode(raw: Buffer, encoding: string | undefined, maxBytes: number, url: string): Promise<Buffer> {
  const enc = (encoding ?? 'identity').toLowerCase().trim();
  const opts = { maxOutputLength: maxBytes };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return await gunzipAsync(raw, opts);
    if (enc === 'deflate') return await inflateAsync(raw, opts);
    if (enc === 'br') return await brotliAsync(raw, opts);
  } catch (cause) {
    const tooBig = (cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw new PermanentFetchError(
      tooBig
        ? `${url}: decompressed body larger than the ${maxBytes}-byte cap`
        : `${url}: cannot decode ${enc} body: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (enc !== 'identity') throw new PermanentFetchError(`${url}: unsupported content-encoding ${enc}`);
  return raw;
}

/** One GET with redirects followed by hand, so each hop is checked against the allowed hosts. */
export async function httpGet(url: string, opts: HttpOptions): Promise<FetchedPage> {
  const seen = new Set<string>();
  let current = new URL(url);
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  for (let hop = 0; ; hop++) {
    if (!hostAllowed(current, opts.allowedHosts)) {
      throw new HostNotAllowedError(current.toString(), opts.allowedHosts, hop > 0 ? url : undefined);
    }
    if (seen.has(current.toString())) throw new PermanentFetchError(`${url}: redirect loop at ${current}`);
    seen.add(current.toString());
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent,
      accept: 'text/html,application/json;q=0.9,*/*;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (hop === 0 && opts.conditional?.etag) headers['if-none-match'] = opts.conditional.etag;
    if (hop === 0 && opts.conditional?.lastModified) headers['if-modified-since'] = opts.conditional.lastModified;
    let res;
    try {
      res = await request(opts.transport.target(current), {
        ...(opts.transport.dispatcher ? { dispatcher: opts.transport.dispatcher } : {}),
        method: 'GET',
        headers,
        signal: deadline,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
    } catch (cause) {
      throw new RetryableFetchError(`${current}: ${describeNetworkError(cause)}`, undefined, { cause });
    }
    const status = res.statusCode;
    const h = res.headers as Record<string, string | string[] | undefined>;
    if (status >= 300 && status < 400 && status !== 304) {
      await res.body.dump();
      opts.record?.({ url: current.toString(), status, headers: flatHeaders(h, true), body: Buffer.alloc(0) });
      const location = header(h, 'location');
      if (!location) throw new PermanentFetchError(`${current}: ${status} redirect without a Location`);
      if (hop >= MAX_REDIRECTS) throw new PermanentFetchError(`${url}: more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, current);
      const refusal = redirectRefusal(new URL(url), next);
      if (refusal) throw new PermanentFetchError(`${current}: redirect to ${next} refused: ${refusal}`);
      current = next;
      continue;
    }
    const now = new Date();
    if (status === 429 || status === 503) {
      await res.body.dump();
      throw new RetryableFetchError(`${current}: HTTP ${status}`, parseRetryAfter(header(h, 'retry-after'), now));
    }
    if (status >= 500) {
      await res.body.dump();
      throw new RetryableFetchError(`${current}: HTTP ${status}`);
    }
    if (status >= 400) {
      await res.body.dump();
      opts.record?.({ url: current.toString(), status, headers: flatHeaders(h, true), body: Buffer.alloc(0) });
      if (status === 404 || status === 410) throw new MissingPageError(url, `${current}: HTTP ${status}`);
      throw new PermanentFetchError(`${current}: HTTP ${status}`);
    }
    const declared = Number(header(h, 'content-length'));
    if (opts.truncate) return truncatedPage(url, current, status, h, res.body as AsyncIterable<Buffer> & { destroy(): void }, opts);
    if (Number.isFinite(declared) && declared > opts.maxBytes) {
      res.body.destroy();
      throw new PermanentFetchError(`${current}: response of ${declared} bytes is larger than the ${opts.maxBytes}-byte cap`);
    }
    let raw: Buffer;
    try {
      raw = await readCapped(res.body as AsyncIterable<Buffer>, opts.maxBytes, current.toString());
    } catch (cause) {
      if (cause instanceof PermanentFetchError) {
        res.body.destroy();
        throw cause;
      }
      throw new RetryableFetchError(`${current}: body interrupted: ${describeNetworkError(cause)}`, undefined, {
        cause,
      });
    }
    if (!header(h, 'content-encoding') && Number.isFinite(declared) && declared > raw.length) {
      throw new RetryableFetchError(`${current}: truncated body (${raw.length} of ${declared} bytes)`);
    }
    const decoded = await decode(raw, header(h, 'content-encoding'), opts.maxBytes, current.toString());
    if (status !== 304) opts.record?.({ url: current.toString(), status, headers: flatHeaders(h, true), body: decoded });
    const body = decodeBody(decoded, header(h, 'content-type') ?? '');
    const flat = flatHeaders(h);
    return {
      url,
      finalUrl: current.toString(),
      status,
      contentType: header(h, 'content-type') ?? 'application/octet-stream',
      headers: flat,
      body,
      hash: sha256(body),
      fetchedAt: now.toISOString(),
      mode: 'http',
      notModified: status === 304 ? true : undefined,
    };
  }
}

/** A body of which only the first `maxBytes` (decompressed) are kept: the rest is not read. */
async function truncatedPage(
  url: string,
  current: URL,
  status: number,
  h: Record<string, string | string[] | undefined>,
  stream: AsyncIterable<Buffer> & { destroy(): void },
  opts: HttpOptions,
): Promise<FetchedPage> {
  let decoded: Buffer;
  try {
    // compressed input is cut at 4× the cap, and its decompression again at the cap
    const raw = await readCapped(stream, opts.maxBytes * 4, current.toString(), true);
    stream.destroy();
    decoded = await decodePrefix(raw, header(h, 'content-encoding'), opts.maxBytes);
  } catch (cause) {
    if (cause instanceof PermanentFetchError) throw cause;
    throw new RetryableFetchError(`${current}: body interrupted: ${describeNetworkError(cause)}`, undefined, { cause });
  }
  opts.record?.({ url: current.toString(), status, headers: flatHeaders(h, true), body: decoded });
  const body = decodeBody(decoded, header(h, 'content-type') ?? '');
  return {
    url,
    finalUrl: current.toString(),
    status,
    contentType: header(h, 'content-type') ?? 'application/octet-stream',
    headers: flatHeaders(h),
    body,
    hash: sha256(body),
    fetchedAt: new Date().toISOString(),
    mode: 'http',
  };
}

/** Decompresses as much of `raw` as fits in `limit` bytes, in a stream stopped at the limit (a bomb never inflates further). */
async function decodePrefix(raw: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const enc = (encoding ?? 'identity').toLowerCase().trim();
  if (enc === 'identity') return raw.subarray(0, limit);
  const inflater =
    enc === 'br' ? createBrotliDecompress() : enc === 'deflate' ? createInflate() : enc === 'gzip' || enc === 'x-gzip' ? createGunzip() : undefined;
  if (!inflater) throw new PermanentFetchError(`unsupported content-encoding ${enc}`);
  const chunks: Buffer[] = [];
  let total = 0;
  await new Promise<void>((ok, fail) => {
    inflater.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= limit) {
        inflater.destroy();
        ok();
      }
    });
    // a body cut off mid-stream ends with an error here: what was inflated so far is kept
    inflater.on('error', (cause) => (chunks.length > 0 ? ok() : fail(new PermanentFetchError(`cannot decode ${enc} body: ${cause.message}`, { cause }))));
    inflater.on('end', () => ok());
    inflater.end(raw);
  });
  return Buffer.concat(chunks).subarray(0, limit);
}

function describeNetworkError(cause: unknown): string {
  const e = cause as { code?: string; name?: string; message?: string };
  if (e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') {
    return 'timed out';
  }
  if (e.code === 'ECONNRESET' || e.code === 'UND_ERR_SOCKET') return 'connection reset';
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  return e.message ?? String(cause);
}
