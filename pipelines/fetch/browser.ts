/**
 * Browser fetching: Playwright driving the system's Chromium, for pages whose
 * content a script renders. Every request the page makes goes through one
 * route handler: undeclared hosts are refused, and in replay the request is
 * sent to the local replay server, so the browser sees only the archive.
 */
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright';
import { BrowserUnavailableError, HostNotAllowedError, PermanentFetchError, RetryableFetchError } from './errors.js';
import { flatHeaders, hostAllowed, parseRetryAfter, sha256 } from './http.js';
import { guardPage, NETWORK_LOCKDOWN_ARGS } from './browser-guard.js';
import { MissingPageError } from './missing-page.js';
import { redirectRefusal } from './redirect-policy.js';
import type { FetchedPage, ResponseRecorder, Transport } from './types.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  ...NETWORK_LOCKDOWN_ARGS,
];

/** The Chromium to launch: MODELFACTS_CHROMIUM, else the usual Debian paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.MODELFACTS_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) {
      throw new BrowserUnavailableError(`MODELFACTS_CHROMIUM points at ${configured}, which does not exist`);
    }
    return configured;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new BrowserUnavailableError(
      `no Chromium found (looked in ${CANDIDATES.join(', ')}): install it (apt-get install chromium) or set MODELFACTS_CHROMIUM to its path`,
    );
  }
  return found;
}

export interface BrowserOptions {
  transport: Transport;
  userAgent: string;
  timeoutMs: number;
  maxBytes: number;
  executablePath?: string;
  /** Sees every response the page loads (document, scripts, XHR): how `modelfacts record` captures a rendered page. */
  record?: ResponseRecorder;
}

export class BrowserFetcher {
  private browser?: Browser;
  private launching?: Promise<Browser>;
  /** One context per set of allowed hosts (a source), reused page after page: a new one costs more than the page. */
  private readonly contexts = new Map<string, Promise<BrowserContext>>();
  /** Tabs that finished a fetch cleanly, per context: navigating one costs a fraction of opening a new tab. */
  private readonly idleTabs = new Map<BrowserContext, Page[]>();

  constructor(private readonly opts: BrowserOptions) {}

  private async launch(): Promise<Browser> {
    if (this.browser) return this.browser;
    this.launching ??= (async () => {
      const executablePath = this.opts.executablePath ?? findChromium();
      const { chromium } = await import('playwright');
      try {
        // Playwright already starts Chromium in its own process group; its default SIGINT/SIGTERM/SIGHUP
        // handlers would still kill it on Ctrl-C, before the run could finish: our signal handling decides
        this.browser = await chromium.launch({
          executablePath,
          args: CHROMIUM_ARGS,
          headless: true,
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        });
        return this.browser;
      } catch (cause) {
        throw new BrowserUnavailableError(`cannot start Chromium at ${executablePath}: ${(cause as Error).message}`, {
          cause,
        });
      }
    })();
    return this.launching;
  }

  private context(allowedHosts: readonly string[]): Promise<BrowserContext> {
    const key = allowedHosts.join(' ');
    let context = this.contexts.get(key);
    if (!context) {
      context = (async () => {
        const browser = await this.launch();
        const created = await browser.newContext({ userAgent: this.opts.userAgent, serviceWorkers: 'block' });
        await this.routeRequests(created, allowedHosts);
        return created;
      })();
      // a failed start is not kept: the next fetch tries again
      context.catch(() => this.contexts.delete(key));
      this.contexts.set(key, context);
    }
    return context;
  }

  async fetch(
    url: string,
    allowedHosts: readonly string[],
    options: { timeoutMs?: number; renderedWhen?: string } = {},
  ): Promise<FetchedPage> {
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const target = new URL(url);
    if (!hostAllowed(target, allowedHosts)) throw new HostNotAllowedError(url, allowedHosts);
    const context = await this.context(allowedHosts);
    const page = this.idleTabs.get(context)?.pop() ?? (await context.newPage());
    let reusable = false;
    try {
      let response;
      try {
        response = await page.goto(url, { waitUntil: options.renderedWhen ? 'load' : 'networkidle', timeout: timeoutMs });
        if (options.renderedWhen) await rendered(page, options.renderedWhen, timeoutMs);
      } catch (cause) {
        throw new RetryableFetchError(`${url}: browser navigation failed: ${(cause as Error).message.split('\n')[0]}`, undefined, {
          cause,
        });
      }
      if (!response) throw new RetryableFetchError(`${url}: browser got no response`);
      // live, the browser follows redirects itself: check where it ended, too
      if (!hostAllowed(new URL(page.url()), allowedHosts)) throw new HostNotAllowedError(page.url(), allowedHosts, url);
      const refusal = redirectRefusal(target, new URL(page.url()));
      if (refusal) throw new PermanentFetchError(`${url}: redirect to ${page.url()} refused: ${refusal}`);
      const status = response.status();
      if (status === 429 || status >= 500) {
        const retryAfter = parseRetryAfter(await response.headerValue('retry-after').catch(() => null) ?? undefined, new Date());
        throw new RetryableFetchError(`${url}: HTTP ${status} (browser)`, retryAfter);
      }
      if (status === 404 || status === 410) throw new MissingPageError(url, `${url}: HTTP ${status} (browser)`);
      if (status >= 400) throw new PermanentFetchError(`${url}: HTTP ${status} (browser)`);
      const body = await pageHtml(page, url);
      if (Buffer.byteLength(body) > this.opts.maxBytes) {
        throw new PermanentFetchError(`${url}: rendered page larger than the ${this.opts.maxBytes}-byte cap`);
      }
      const headers = await response.allHeaders();
      reusable = true;
      return {
        url,
        finalUrl: page.url(),
        status,
        contentType: headers['content-type'] ?? 'text/html',
        headers,
        body,
        hash: sha256(body),
        fetchedAt: new Date().toISOString(),
        mode: 'browser',
      };
    } finally {
      // a tab whose fetch failed may be stuck mid-navigation: closed, not reused
      if (reusable && this.contexts.size > 0) {
        const idle = this.idleTabs.get(context) ?? [];
        idle.push(page);
        this.idleTabs.set(context, idle);
      } else await page.close();
    }
  }

  private async routeRequests(context: BrowserContext, allowedHosts: readonly string[]): Promise<void> {
    const { transport, record } = this.opts;
    await guardPage(context);
    await context.route('**/*', async (route) => {
      const requested = new URL(route.request().url());
      if (requested.protocol === 'data:' || requested.protocol === 'blob:') return route.continue();
      if (!hostAllowed(requested, allowedHosts)) return route.abort('blockedbyclient');
      if (requested.protocol !== 'https:' && requested.protocol !== 'http:') return route.abort('blockedbyclient');
      // what only paints the page (images, fonts, audio and video) changes no text an extractor reads: not fetched
      if (UNREAD_RESOURCES.has(route.request().resourceType())) return route.abort('blockedbyclient');
      try {
        // every request, live too, is made here and not by Chromium, whose own network is locked (browser-guard.ts)
        // redirects come back to the page one hop at a time, so each hop passes the host check above
        const response = await route.fetch({ url: transport.target(requested), maxRedirects: 0 });
        if (record && response.status() !== 429 && response.status() < 500) {
          const headers = flatHeaders(response.headers(), true);
          record({ url: requested.toString(), status: response.status(), headers, body: await response.body() });
        }
        return route.fulfill({ response });
      } catch {
        // in replay the server is local, so a failure here is an archive miss; live, a failed request — the page sees either as one
        return route.abort('failed');
      }
    });
  }

  async close(): Promise<void> {
    this.contexts.clear();
    this.idleTabs.clear();
    await this.browser?.close();
    this.browser = undefined;
    this.launching = undefined;
  }
}

/** Request kinds a rendered page is read without (Playwright's resource types): refused before any fetch. */
const UNREAD_RESOURCES: ReadonlySet<string> = new Set(['image', 'font', 'media']);

/**
 * The rendered document as page.content() gives it (doctype, then the root element's HTML), read in the
 * page's own world: page.content() and waitForSelector run in a second, isolated world that Playwright
 * builds in every new document, and building it cost more than rendering this kind of page (19 against
 * 12 pages a second, bench:html). The page's scripts could tamper with what this reads, but no more than
 * with the document itself, which is theirs.
 */
async function pageHtml(page: Page, url: string): Promise<string> {
  try {
    // a string concatenation: text whatever the page's scripts return from the parts
    return await page.evaluate(() => {
      const doctype = document.doctype;
      return (doctype ? new XMLSerializer().serializeToString(doctype) : '') + (document.documentElement?.outerHTML ?? '');
    });
  } catch (cause) {
    throw new RetryableFetchError(`${url}: cannot read the rendered page: ${(cause as Error).message.split('\n')[0]}`, undefined, { cause });
  }
}

/**
 * Resolves once the page shows `selector`, or once its network has gone quiet
 * without it (then the extractor sees the page as it is and says what is
 * missing); rejects only when neither happens within the time left. The
 * selector is watched from the page's own world (see pageHtml), with this
 * side's own timer: a page that stops the watch only leaves the wait to the network.
 */
async function rendered(page: Page, selector: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const shown = Promise.race([
    page.evaluate(
      (sel) =>
        new Promise<void>((resolve) => {
          if (document.querySelector(sel)) return resolve();
          const watch = new MutationObserver(() => {
            if (!document.querySelector(sel)) return;
            watch.disconnect();
            resolve();
          });
          watch.observe(document, { subtree: true, childList: true, attributes: true });
        }),
      selector,
    ),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timeout ${timeoutMs}ms exceeded waiting for ${selector}`)), timeoutMs);
    }),
  ]);
  const idle = page.waitForLoadState('networkidle', { timeout: timeoutMs });
  // whichever loses the race is settled later, when the page closes: it must not surface as unhandled
  shown.catch(() => undefined);
  idle.catch(() => undefined);
  try {
    await Promise.any([shown, idle]).catch((all: AggregateError) => {
      throw all.errors[0];
    });
  } finally {
    clearTimeout(timer);
  }
}
