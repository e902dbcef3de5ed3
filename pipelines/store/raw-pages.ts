/** The raw-page archive: bodies by content hash, and which page each week's runs fetched. */
import { SourceFailure } from '../../schema/errors.js';
import { gunzipSync } from 'node:zlib';
import { and, desc, eq, isNotNull, lte } from 'drizzle-orm';
import { fetches, rawPages, runs } from '../../schema/tables.js';
import type { Db } from './db.js';

/** The week has nothing archived to work from: refresh it first. */
export class NothingArchivedError extends SourceFailure {
  constructor(message: string) {
    super(message);
    this.name = 'NothingArchivedError';
  }
}

export async function loadRawPage(db: Db, hash: string): Promise<{ body: string; contentType: string } | undefined> {
  const [row] = await db.select().from(rawPages).where(eq(rawPages.hash, hash));
  if (!row) return undefined;
  return { body: gunzipSync(row.bodyGz).toString('utf8'), contentType: row.contentType };
}

/** For each URL fetched in a week (or just `url`), the newest archived response (runs of that week, newest first). */
export async function archivedFetches(db: Db, week: string, url?: string) {
  const rows = await db
    .selectDistinctOn([fetches.url], {
      url: fetches.url,
      hash: fetches.pageHash,
      fetchedAt: fetches.fetchedAt,
      status: fetches.httpStatus,
      runId: fetches.runId,
    })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(and(eq(runs.week, week), isNotNull(fetches.pageHash), url === undefined ? undefined : eq(fetches.url, url)))
    .orderBy(fetches.url, desc(fetches.runId), desc(fetches.id));
  return new Map(rows.map((r) => [r.url, r]));
}

export interface StoredPage {
  url: string;
  week: string;
  fetchedAt: string;
  hash: string;
  body: string;
}

/** The newest archived body of `url` fetched in `week` or before it (for exports built on a source's own file); undefined when none was archived. */
export async function latestStoredPage(db: Db, url: string, week: string): Promise<StoredPage | undefined> {
  const [row] = await db
    .select({ hash: fetches.pageHash, week: runs.week, fetchedAt: fetches.fetchedAt, body: rawPages.bodyGz })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .innerJoin(rawPages, eq(rawPages.hash, fetches.pageHash))
    .where(and(eq(fetches.url, url), isNotNull(fetches.pageHash), lte(runs.week, week)))
    .orderBy(desc(runs.week), desc(fetches.runId), desc(fetches.id))
    .limit(1);
  if (!row?.hash) return undefined;
  return { url, week: row.week, fetchedAt: new Date(row.fetchedAt).toISOString(), hash: row.hash, body: gunzipSync(row.body).toString('utf8') };
}
