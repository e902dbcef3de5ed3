/**
 * Conditional GET across runs, for the refresh: requests go out with the
 * validators of the previous fetch, and a 304 comes back as the archived page.
 *
 * Conditional GET across runs: each page is requested with the ETag and
 * Last-Modified of its previous fetch. A 304 means the page is unchanged, so
 * its body is taken from the raw-page archive (stored by content hash) and
 * goes through extraction like any fetched page: extraction is pure, so the
 * same body yields the same claims, which publish stores as "unchanged"
 * (no new version). Index pages need their body for discovery anyway, and a
 * new extractor version or alias still applies to an unchanged page.
 * A server without validators is covered the same way: an equal content hash
 * yields equal claims and adds nothing.
 */
import type { FetchSource, Fetcher } from '../fetch/index.js';
import type { FetchedPage } from '../fetch/types.js';
import type { Db } from '../store/db.js';
import { keyOf, type PreviousFetch } from '../store/previous.js';
import { DamagedArchiveError, loadRawPage } from '../store/raw-pages.js';

/**
 * A page getter that sends the previous validators and turns a 304 back into
 * the archived page (status 304 kept, so the run's fetch log says "not modified").
 */
export function conditionalGetter(db: Db, fetcher: Fetcher, previous: ReadonlyMap<string, PreviousFetch> | Promise<ReadonlyMap<string, PreviousFetch>>) {
  return async (url: string, source: FetchSource): Promise<FetchedPage> => {
    const prev = (await previous).get(keyOf(source.id, url));
    const validators = prev && (prev.etag || prev.lastModified) ? { etag: prev.etag, lastModified: prev.lastModified } : undefined;
    const page = await fetcher.fetch(url, source, validators);
    if (!page.notModified) return page;
    const stored = prev && (await loadRawPage(db, prev.hash, url).catch((e: unknown) => (e instanceof DamagedArchiveError ? undefined : Promise.reject(e))));
    // the archive lost the body or cannot rebuild it exactly (or the server answered 304 unasked): fetch it whole
    if (!prev || !stored) return fetcher.fetch(url, source);
    return {
      ...page,
      body: stored.body,
      contentType: stored.contentType,
      hash: prev.hash,
      // a 304 may omit the validators; the next run still needs them
      headers: {
        ...page.headers,
        ...(page.headers.etag || !prev.etag ? {} : { etag: prev.etag }),
        ...(page.headers['last-modified'] || !prev.lastModified ? {} : { 'last-modified': prev.lastModified }),
      },
    };
  };
}
