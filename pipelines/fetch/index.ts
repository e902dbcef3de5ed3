/**
 * The fetch layer's one interface: `fetcher.fetch(url, source)` picks HTTP or
 * the browser per source, obeys robots.txt (and its Crawl-delay), limits each
 * host (concurrency and spacing), retries what is worth retrying with
 * exponential backoff and jitter, honours Retry-After host-wide, keeps each
 * request and the whole run inside a deadline, and refuses responses that are
 * not what the source parses (wrong content type, empty body).
 */
import { createRequire } from 'node:module';
import { BrowserFetcher } from './browser.js';
import { DeadlineError, PermanentFetchError, RetryableFetchError, WrongContentTypeError } from './errors.js';
import { httpGet } from './http.js';
import { Limit } from './limit.js';
import type { Conditional, FetchedPage, ResponseRecorder, Transport } from './types.js';

interface RobotsRules {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// robots-parser is CommonJS whose type file does not describe its export for NodeNext
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => RobotsRules;

export * from './errors.js';
export { MissingPageError } from './missing-page.js';
export * from './types.js';

export const USER_AGENT = 'modelfacts/0.1 (+https://github.com/modelfacts/modelfacts; model-facts catalog bot)';
/** The token robots.txt groups are matched against. */
const ROBOTS_TOKEN = 'modelfacts';

export interface FetchSource {
  id: string;
  hosts: readonly string[];
  fetchMode: 'http' | 'browser';
  /** Browser sources: the selector that says the page has rendered (see SourceModule). */
  renderedWhen?: string;
  /** What the source parses; a response of another content type is refused. Unset: not checked. */
  kind?: 'html' | 'catalog';
}

export interface FetcherOptions {
  transport: Transport;
  userAgent?: string;
  /** Deadline of one request (all its redirects and its body), in ms. */
  timeoutMs?: number;
  /** Cap on a body after decompression, in bytes. */
  maxBytes?: number;
  /** Attempts after the first for retryable failures. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A Retry-After longer than this is not waited for: the page fails now and is tried next run. */
  maxRetryAfterMs?: number;
  /** Minimum pause between two requests to the same host (raised by a robots.txt Crawl-delay). */
  hostIntervalMs?: number;
  /** Cap on the Crawl-delay honoured from robots.txt. */
  maxCrawlDelayMs?: number;
  hostConcurrency?: number;
  /** Requests in flight at once over all hosts. */
  maxConcurrency?: number;
  respectRobots?: boolean;
  /** Epoch ms after which no new request starts (per-run deadline). Default: now + runBudgetMs. */
  runDeadline?: number;
  /** Time budget of the whole run when no runDeadline is given. */
  runBudgetMs?: number;
  executablePath?: string;
  sleep?: (ms: number) => Promise<void>;
  /** The clock (epoch ms), injectable with `sleep` so tests run in virtual time. */
  now?: () => number;
  /** Sees every response (redirect hops and browser sub-requests included): `modelfacts record`. */
  record?: ResponseRecorder;
}

/** RFC 9309 2.5: a crawler must parse at least the first 500 KiB of a robots.txt; the rest is ignored. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

/** The part of a (possibly cut) robots.txt that ends with a whole line. */
function robotsPrefix(text: string): string {
  if (Buffer.byteLength(text) < ROBOTS_MAX_BYTES) return text;
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** robots.txt forbids the page: reported, not fetched. */
export class RobotsDisallowedError extends PermanentFetchError {
  constructor(readonly url: string) {
    super(`${url}: disallowed by robots.txt`);
    this.name = 'RobotsDisallowedError';
  }
}

/** robots.txt answered 5xx or could not be reached: RFC 9309 says assume everything is disallowed. */
export class RobotsUnavailableError extends PermanentFetchError {
  constructor(
    readonly url: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${url}: robots.txt could not be read (${(options?.cause as Error | undefined)?.message ?? 'unreachable'}); not fetching, as RFC 9309 asks`,
      options,
    );
    this.name = 'RobotsUnavailableError';
  }
}

/**
 * Per-host limits: at most `concurrency` requests at once, starts spaced by
 * `intervalMs`, and none before `notBefore` (a Retry-After pauses the host).
 */
class HostGate {
  private active = 0;
  private last = Number.NEGATIVE_INFINITY;
  private notBefore = 0;
  private queue: (() => void)[] = [];
  constructor(
    private readonly concurrency: number,
    public intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly now: () => number,
  ) {}

  pauseUntil(at: number): void {
    this.notBefore = Math.max(this.notBefore, at);
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // a finishing request hands its slot straight to the next waiter, so no newcomer can slip in between
    if (this.active >= this.concurrency) await new Promise<void>((ok) => this.queue.push(ok));
    else this.active++;
    try {
      const start = Math.max(this.last + this.intervalMs, this.notBefore, this.now());
      this.last = start;
      const wait = start - this.now();
      if (wait > 0) await this.sleep(wait);
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const ACCEPTED_TYPES: Record<NonNullable<FetchSource['kind']>, { pattern: RegExp; sniff: RegExp; label: string }> = {
  html: { pattern: /^\s*(text\/html|application\/xhtml\+xml)\b/i, sniff: /^\s*</, label: 'text/html' },
  // raw.githubusercontent.com serves JSON as text/plain
  catalog: {
    pattern: /^\s*(application\/([\w.-]+\+)?json|text\/json|text\/plain)\b/i,
    sniff: /^\s*[[{]/,
    label: 'application/json',
  },
};

/** Refuses a body that is not what the source parses; a missing or generic type is judged by the body's first character. */
function checkContentType(page: FetchedPage, kind: FetchSource['kind']): void {
  if (!kind) return;
  const accepted = ACCEPTED_TYPES[kind];
  const type = page.contentType.trim();
  if (accepted.pattern.test(type)) return;
  const generic = type === '' || /^application\/octet-stream\b/i.test(type);
  if (generic && accepted.sniff.test(page.body)) return;
  throw new WrongContentTypeError(page.url, type, accepted.label);
}

export class Fetcher {
  private readonly gates = new Map<string, HostGate>();
  private readonly robots = new Map<string, Promise<RobotsRules | Error | undefined>>();
  private readonly browser: BrowserFetcher;
  private readonly inFlight: Limit;
  readonly deadline: number;
  readonly opts: Required<Omit<FetcherOptions, 'runDeadline' | 'executablePath' | 'record'>> &
    Pick<FetcherOptions, 'runDeadline' | 'executablePath' | 'record'>;

  constructor(options: FetcherOptions) {
    this.opts = {
      userAgent: USER_AGENT,
      timeoutMs: 30_000,
      maxBytes: 25 * 1024 * 1024,
      retries: 3,
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      maxRetryAfterMs: 120_000,
      hostIntervalMs: options.transport.name === 'replay' ? 0 : 1000,
      maxCrawlDelayMs: 30_000,
      hostConcurrency: 2,
      maxConcurrency: 16,
      respectRobots: true,
      runBudgetMs: 60 * 60_000,
      sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
      now: () => Date.now(),
      ...options,
    };
    this.deadline = this.opts.runDeadline ?? this.opts.now() + this.opts.runBudgetMs;
    this.inFlight = new Limit(this.opts.maxConcurrency);
    this.browser = new BrowserFetcher({
      transport: this.opts.transport,
      userAgent: this.opts.userAgent,
      timeoutMs: this.opts.timeoutMs,
      maxBytes: this.opts.maxBytes,
      executablePath: this.opts.executablePath,
      record: this.opts.record,
    });
  }

  private gate(host: string): HostGate {
    let g = this.gates.get(host);
    if (!g) {
      g = new HostGate(this.opts.hostConcurrency, this.opts.hostIntervalMs, this.opts.sleep, this.opts.now);
      this.gates.set(host, g);
    }
    return g;
  }

  private get(
    url: string,
    hosts: readonly string[],
    timeoutMs: number,
    extra: { conditional?: Conditional; maxBytes?: number; truncate?: boolean } = {},
  ) {
    return httpGet(url, {
      transport: this.opts.transport,
      allowedHosts: hosts,
      userAgent: this.opts.userAgent,
      timeoutMs,
      maxBytes: extra.maxBytes ?? this.opts.maxBytes,
      conditional: extra.conditional,
      record: this.opts.record,
      truncate: extra.truncate,
    });
  }

  /**
   * Runs attempts through the host's gate until one succeeds, a permanent
   * error comes, retries run out, or waiting would pass the run deadline.
   */
  private async withRetries<T>(url: string, host: string, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await this.gate(host).run(() => {
          // checked after the host's wait, which a Retry-After or Crawl-delay may have made long
          const left = this.deadline - this.opts.now();
          if (left <= 0) throw new DeadlineError(`${url}: the run's time budget was spent before the request could start`);
          // the run-wide slot is taken after the host's wait, so a slow host holds none while it waits
          return this.inFlight.run(() => attempt(Math.ceil(Math.min(this.opts.timeoutMs, left))));
        });
      } catch (error) {
        if (!(error instanceof RetryableFetchError)) throw error;
        const tries = `${n + 1} attempt${n ? 's' : ''}`;
        if (n >= this.opts.retries) {
          throw new RetryableFetchError(`${error.message} (gave up after ${tries})`, error.retryAfterMs, { cause: error });
        }
        let wait: number;
        if (error.retryAfterMs !== undefined) {
          if (error.retryAfterMs > this.opts.maxRetryAfterMs) {
            throw new RetryableFetchError(
              `${error.message}: the server asks to retry after ${Math.round(error.retryAfterMs / 1000)} s, longer than a run waits (${Math.round(this.opts.maxRetryAfterMs / 1000)} s)`,
              error.retryAfterMs,
              { cause: error },
            );
          }
          // the whole host is asked to wait, not only this request
          this.gate(host).pauseUntil(this.opts.now() + error.retryAfterMs);
          wait = 0;
        } else {
          const backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** n);
          wait = backoff / 2 + Math.random() * (backoff / 2);
        }
        if (this.opts.now() + Math.max(wait, error.retryAfterMs ?? 0) >= this.deadline) {
          throw new DeadlineError(`${error.message}: no time left in the run for another attempt`, { cause: error });
        }
        if (wait > 0) await this.opts.sleep(wait);
      }
    }
  }

  private robotsFor(url: URL, hosts: readonly string[]): Promise<RobotsRules | Error | undefined> {
    let rules = this.robots.get(url.origin);
    if (!rules) {
      const robotsUrl = `${url.origin}/robots.txt`;
      const get = (timeoutMs: number) => this.get(robotsUrl, hosts, timeoutMs, { maxBytes: ROBOTS_MAX_BYTES, truncate: true });
      rules = this.withRetries(robotsUrl, url.host, get).then(
        (page) => {
          const parsed = robotsParser(robotsUrl, robotsPrefix(page.body));
          const delay = parsed.getCrawlDelay(ROBOTS_TOKEN);
          if (delay !== undefined && delay > 0) {
            const gate = this.gate(url.host);
            gate.intervalMs = Math.max(gate.intervalMs, Math.min(delay * 1000, this.opts.maxCrawlDelayMs));
          }
          return parsed;
        },
        // 5xx and network failures: assume all disallowed (RFC 9309 2.3.1.4); 4xx and the rest: no rules
        (error: unknown) =>
          error instanceof RetryableFetchError ? new RobotsUnavailableError(robotsUrl, { cause: error }) : undefined,
      );
      this.robots.set(url.origin, rules);
    }
    return rules;
  }

  /** Fetches one page for a source, with retries; throws a Retryable/Permanent error naming the URL. */
  async fetch(url: string, source: FetchSource, conditional?: Conditional): Promise<FetchedPage> {
    const u = new URL(url);
    if (this.opts.respectRobots) {
      const rules = await this.robotsFor(u, source.hosts);
      if (rules instanceof Error) throw rules;
      if (rules?.isAllowed(u.toString(), ROBOTS_TOKEN) === false) throw new RobotsDisallowedError(url);
    }
    const page = await this.withRetries(url, u.host, async (timeoutMs) => {
      const got =
        source.fetchMode === 'browser'
          ? await this.browser.fetch(url, source.hosts, { timeoutMs, renderedWhen: source.renderedWhen })
          : await this.get(url, source.hosts, timeoutMs, { conditional });
      // a 304 answers a conditional request only; unasked, there is no page to read (not a layout change)
      if (got.notModified && !conditional)
        throw new PermanentFetchError(`${url}: the server answered 304 Not Modified to a request without validators, so there is no page to read`);
      // an empty 200 is most often a server glitch under load: worth another attempt
      if (!got.notModified && got.body.trim() === '') throw new RetryableFetchError(`${url}: empty body (HTTP ${got.status})`);
      return got;
    });
    if (!page.notModified) checkContentType(page, source.kind);
    // in a replay the page speaks for when the archive was recorded, never for the replay's own clock
    const recordedAt = this.opts.transport.recordedAt;
    return recordedAt ? { ...page, fetchedAt: recordedAt } : page;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
