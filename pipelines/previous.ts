/**
 * What earlier runs left that a new run builds on: the validators and bodies
 * of previous fetches (conditional GET) and last week's claims (health checks).
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
import { and, desc, inArray, isNotNull } from 'drizzle-orm';
import type { Claim } from '../schema/observation.js';
import { claims, fetches } from '../schema/tables.js';
import type { Db } from './db.js';
import type { FetchSource, Fetcher } from './fetch/index.js';
import type { FetchedPage } from './fetch/types.js';
import { loadRawPage } from './history.js';
import { rowToClaim } from './rows.js';
import { validAt } from './versions.js';
import { isoWeek, weekStart } from './week.js';

export interface PreviousFetch {
  hash: string;
  etag?: string;
  lastModified?: string;
}

const keyOf = (sourceId: string, url: string) => `${sourceId} ${url}`;

/** The newest archived fetch of every page the given sources fetched before. */
export async function previousFetches(db: Db, sourceIds: readonly string[]): Promise<Map<string, PreviousFetch>> {
  const out = new Map<string, PreviousFetch>();
  if (sourceIds.length === 0) return out;
  const rows = await db
    .selectDistinctOn([fetches.sourceId, fetches.url], {
      sourceId: fetches.sourceId,
      url: fetches.url,
      hash: fetches.pageHash,
      etag: fetches.etag,
      lastModified: fetches.lastModified,
    })
    .from(fetches)
    .where(and(inArray(fetches.sourceId, [...sourceIds]), isNotNull(fetches.pageHash)))
    .orderBy(fetches.sourceId, fetches.url, desc(fetches.id));
  for (const r of rows) {
    out.set(keyOf(r.sourceId, r.url), {
      hash: r.hash!,
      ...(r.etag ? { etag: r.etag } : {}),
      ...(r.lastModified ? { lastModified: r.lastModified } : {}),
    });
  }
  return out;
}

/**
 * A page getter that sends the previous validators and turns a 304 back into
 * the archived page (status 304 kept, so the run's fetch log says "not modified").
 */
export function conditionalGetter(db: Db, fetcher: Fetcher, previous: ReadonlyMap<string, PreviousFetch>) {
  return async (url: string, source: FetchSource): Promise<FetchedPage> => {
    const prev = previous.get(keyOf(source.id, url));
    const validators = prev && (prev.etag || prev.lastModified) ? { etag: prev.etag, lastModified: prev.lastModified } : undefined;
    const page = await fetcher.fetch(url, source, validators);
    if (!page.notModified) return page;
    const stored = prev && (await loadRawPage(db, prev.hash));
    // the archive lost the body (or the server answered 304 unasked): fetch it whole
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

/** The ISO week before `week`. */
export function weekBefore(week: string): string {
  return isoWeek(new Date(weekStart(week).getTime() - 7 * 86_400_000));
}

/** Each source's claims valid in the week before `week`: its last published state, which health checks compare with. */
export async function previousClaims(db: Db, week: string, sourceIds: readonly string[]): Promise<Map<string, Claim[]>> {
  const out = new Map<string, Claim[]>(sourceIds.map((id) => [id, []]));
  if (sourceIds.length === 0) return out;
  const rows = await db
    .select()
    .from(claims)
    .where(and(inArray(claims.sourceId, [...sourceIds]), validAt(claims, weekBefore(week))));
  for (const r of rows) out.get(r.sourceId)?.push(rowToClaim(r));
  return out;
}
