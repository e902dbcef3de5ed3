/** Database reads of runs for `runs --id N`: one run, its per-source status and its extraction problems. */
import { asc, eq } from 'drizzle-orm';
import { extractionIssues, runs } from '../../schema/tables.js';
import type { Db } from '../db.js';
import { isoTimestamp } from '../rows.js';

/** A run row with its timestamps in ISO 8601 UTC, as every JSON output writes them. */
export function runJson(r: typeof runs.$inferSelect) {
  return { ...r, startedAt: isoTimestamp(r.startedAt), finishedAt: isoTimestamp(r.finishedAt) };
}

export async function runDetail(db: Db, id: number) {
  const [run] = await db.select().from(runs).where(eq(runs.id, id));
  if (!run) return undefined;
  const issues = await db
    .select({ sourceId: extractionIssues.sourceId, url: extractionIssues.url, message: extractionIssues.message, detail: extractionIssues.detail })
    .from(extractionIssues)
    .where(eq(extractionIssues.runId, id))
    .orderBy(asc(extractionIssues.sourceId), asc(extractionIssues.id));
  return { ...runJson(run), issues };
}
