/** Reading archived pages back: the newest stored copy of a URL as of a week (for exports built on a source's own file). */
import { gunzipSync } from 'node:zlib';
import { and, desc, eq, isNotNull, lte } from 'drizzle-orm';
import { fetches, rawPages, runs } from '../../schema/tables.js';
import type { Db } from '../db.js';

export interface StoredPage {
  url: string;
  week: string;
  fetchedAt: string;
  hash: string;
  body: string;
}

/** The newest archived body of `url` fetched in `week` or before it; undefined when none was archived. */
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
