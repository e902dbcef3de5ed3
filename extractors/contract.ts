/** The contract between a source module and the pipeline: the page it receives, what it returns, LayoutError. */
import type { Attribute } from '../schema/attributes.js';
import type { Observation } from '../schema/observation.js';
import type { DateValue } from '../schema/values.js';
import { SourceFailure } from '../schema/errors.js';

/** What an extractor receives: the fetched page, already decoded. No IO happens past this point. */
export interface Page {
  /** The URL that was requested (the live URL, also in replay). */
  url: string;
  body: string;
  contentType: string;
  /** ISO timestamp of the fetch. */
  fetchedAt: string;
}

export interface Extraction {
  observations: Observation[];
  /** The page's own "last verified / refreshed" date, when it states one: freshness is data too. */
  statedAsOf?: DateValue;
  /** Values the page states that could not be read, recorded instead of dropped. */
  problems?: { locator: string; message: string; excerpt?: string }[];
}

/** How much a source is trusted: the creator's docs, a gateway for its own route, aggregators last. */
export type Authority = 'creator' | 'gateway' | 'aggregator';

/**
 * The contract each source module satisfies. A source module only fetches
 * (by declaring URLs), parses and translates: no writing, no comparison.
 */
export interface SourceModule {
  id: string;
  description: string;
  kind: 'html' | 'catalog';
  /** HTTP is enough for server-rendered pages; `browser` runs the page's scripts in Chromium. */
  fetchMode: 'http' | 'browser';
  /**
   * Browser sources: a CSS selector that matches once the page's scripts have
   * rendered what extract() reads, so the fetch need not wait for the network
   * to go quiet. Unset: the fetch waits for network idle.
   */
  renderedWhen?: string;
  /** The only hosts this source may fetch from; redirects elsewhere are refused. */
  hosts: string[];
  /** Bumped whenever extraction output changes, recorded with every claim. */
  version: string;
  authority: Authority;
  /** For a gateway: the route id whose prices it is the authority for. */
  ownRoute?: string;
  /** Attributes every successful extraction of a model page must yield (health check). */
  requiredAttributes: Attribute[];
  /** Pages fetched and extracted every run (catalog endpoints). */
  pages?: string[];
  /** Index pages listing model pages; discover() returns the model page URLs (absolute). */
  index?: { urls: string[]; discover(page: Page): string[] };
  extract(page: Page): Extraction;
}

/** Raised when a page lacks a part the extractor needs: the site changed, don't retry, keep old facts. */
export class LayoutError extends SourceFailure {
  constructor(
    readonly sourceId: string,
    readonly url: string,
    readonly part: string,
    options?: { cause?: unknown },
  ) {
    super(`${sourceId}: layout changed at ${url}: missing ${part}`, options);
    this.name = 'LayoutError';
  }
}
