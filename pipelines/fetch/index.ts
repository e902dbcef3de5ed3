/**
 * The fetch layer's one interface: `fetcher.fetch(url, source)` picks HTTP or
 * the browser per source, obeys robots.txt, limits each host, retries what is
 * worth retrying with exponential backoff and jitter, and honours Retry-After.
 */
import { createRequire } from 'node:module';
import { BrowserFetcher } from './browser.js';
import { PermanentFetchError, RetryableFetchError } from './errors.js';
import { httpGet } from './http.js';
import type { Conditional, FetchedPage, Transport } from './types.js';

interface RobotsRules {
  isAllowed(url: string, ua?: string): boolean | undefined;
}
// robots-parser is CommonJS whose type file does not describe its export for NodeNext
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, text: string) => RobotsRules;

export * from './errors.js';
export * from './types.js';

export const USER_AGENT = 'modelfacts/0.1 (+https://github.com/modelfacts/modelfacts; model-facts catalog bot)';

export interface FetchSource {
  id: string;
  hosts: readonly string[];
  fetchMode: 'http' | 'browser';
}

export interface FetcherOptions {
  transport: Transport;
  userAgent?: string;
  timeoutMs?: number;
  maxBytes?: number;
  /** Attempts after the first for retryable failures. */
  retries?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Minimum pause between two requests to the same host. */
  hostIntervalMs?: number;
  hostConcurrency?: number;
  respectRobots?: boolean;
  /** Epoch ms after which no new request starts (per-run deadline). */
  runDeadline?: number;
  executablePath?: string;
  sleep?: (ms: number) => Promise<void>;
}

/** robots.txt forbids the page: reported, not fetched. */
export class RobotsDisallowedError extends PermanentFetchError {
  constructor(readonly url: string) {
    super(`${url}: disallowed by robots.txt`);
    this.name = 'RobotsDisallowedError';
  }
}

class HostGate {
  private active = 0;
  private last = 0;
  private queue: (() => void)[] = [];
  constructor(
    private readonly concurrency: number,
    private readonly intervalMs: number,
    private readonly sleep: (ms: number) => Promise<void>,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((ok) => this.queue.push(ok));
    this.active++;
    try {
      const wait = this.last + this.intervalMs - Date.now();
      this.last = Math.max(Date.now(), this.last + this.intervalMs);
      if (wait > 0) await this.sleep(wait);
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export class Fetcher {
  private readonly gates = new Map<string, HostGate>();
  private readonly robots = new Map<string, Promise<RobotsRules | undefined>>();
  private readonly browser: BrowserFetcher;
  readonly opts: Required<Omit<FetcherOptions, 'runDeadline' | 'executablePath'>> &
    Pick<FetcherOptions, 'runDeadline' | 'executablePath'>;

  constructor(options: FetcherOptions) {
    this.opts = {
      userAgent: USER_AGENT,
      timeoutMs: 30_000,
      maxBytes: 25 * 1024 * 1024,
      retries: 3,
      backoffBaseMs: 500,
      backoffMaxMs: 30_000,
      hostIntervalMs: options.transport.name === 'replay' ? 0 : 1000,
      hostConcurrency: 2,
      respectRobots: true,
      sleep: (ms) => new Promise((ok) => setTimeout(ok, ms)),
      ...options,
    };
    this.browser = new BrowserFetcher({
      transport: this.opts.transport,
      userAgent: this.opts.userAgent,
      timeoutMs: this.opts.timeoutMs,
      maxBytes: this.opts.maxBytes,
      executablePath: this.opts.executablePath,
    });
  }

  private gate(host: string): HostGate {
    let g = this.gates.get(host);
    if (!g) {
      g = new HostGate(this.opts.hostConcurrency, this.opts.hostIntervalMs, this.opts.sleep);
      this.gates.set(host, g);
    }
    return g;
  }

  private async allowedByRobots(url: URL, hosts: readonly string[]): Promise<boolean> {
    if (!this.opts.respectRobots) return true;
    let rules = this.robots.get(url.origin);
    if (!rules) {
      const robotsUrl = `${url.origin}/robots.txt`;
      rules = this.gate(url.host)
        .run(() =>
          httpGet(robotsUrl, {
            transport: this.opts.transport,
            allowedHosts: hosts,
            userAgent: this.opts.userAgent,
            timeoutMs: this.opts.timeoutMs,
            maxBytes: 512 * 1024,
          }),
        )
        .then(
          (page) => robotsParser(robotsUrl, page.body),
          // no robots.txt (404) or none reachable: nothing is disallowed
          () => undefined,
        );
      this.robots.set(url.origin, rules);
    }
    const parsed = await rules;
    return parsed?.isAllowed(url.toString(), 'modelfacts') !== false;
  }

  /** Fetches one page for a source, with retries; throws a Retryable/Permanent error naming the URL. */
  async fetch(url: string, source: FetchSource, conditional?: Conditional): Promise<FetchedPage> {
    const u = new URL(url);
    if (!(await this.allowedByRobots(u, source.hosts))) throw new RobotsDisallowedError(url);
    for (let attempt = 0; ; attempt++) {
      if (this.opts.runDeadline && Date.now() > this.opts.runDeadline) {
        throw new PermanentFetchError(`${url}: run deadline passed before the request could start`);
      }
      try {
        return await this.gate(u.host).run(() =>
          source.fetchMode === 'browser'
            ? this.browser.fetch(url, source.hosts)
            : httpGet(url, {
                transport: this.opts.transport,
                allowedHosts: source.hosts,
                userAgent: this.opts.userAgent,
                timeoutMs: this.opts.timeoutMs,
                maxBytes: this.opts.maxBytes,
                conditional,
              }),
        );
      } catch (error) {
        if (!(error instanceof RetryableFetchError) || attempt >= this.opts.retries) throw error;
        const backoff = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** attempt);
        const jittered = backoff / 2 + Math.random() * (backoff / 2);
        await this.opts.sleep(Math.min(this.opts.backoffMaxMs, Math.max(error.retryAfterMs ?? 0, jittered)));
      }
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
