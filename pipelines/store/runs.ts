/** The runs table: runs that publish nothing, and one run read back for `runs --id N` with its extraction problems. */
import { and, asc, eq, ne } from 'drizzle-orm';
import { extractionIssues, issueTexts, runs, type RunCounts } from '../../schema/tables.js';
import type { Db } from './db.js';
import { isoTimestamp } from './rows.js';

/**
 * A run stopped by a bug or an infrastructure fault: recorded as `aborted`
 * with the error (and stack), outside any publishing transaction, so the
 * `runs` listing shows it; readers of published weeks skip it.
 */
export async function recordStoppedRun(db: Db, run: { week: string; mode: string; startedAt: string; error: string }): Promise<number> {
  const [row] = await db
    .insert(runs)
    .values({ ...run, status: 'aborted', finishedAt: new Date().toISOString(), sourceStatus: {}, counts: {} as RunCounts })
    .returning({ id: runs.id });
  return row!.id;
}

/** A run row with its timestamps in ISO 8601 UTC, as every JSON output writes them. */
export function runJson(r: typeof runs.$inferSelect) {
  return { ...r, startedAt: isoTimestamp(r.startedAt), finishedAt: isoTimestamp(r.finishedAt) };
}

export async function runDetail(db: Db, id: number) {
  const [run] = await db.select().from(runs).where(eq(runs.id, id));
  if (!run) return undefined;
  const issues = await db
    .select({ sourceId: issueTexts.sourceId, url: issueTexts.url, message: issueTexts.message, detail: issueTexts.detail })
    .from(extractionIssues)
    .innerJoin(issueTexts, eq(issueTexts.id, extractionIssues.issueId))
    .where(eq(extractionIssues.runId, id))
    .orderBy(asc(issueTexts.sourceId), asc(extractionIssues.id));
  return { ...runJson(run), issues };
}

/** The run published for `week` that started at `startedAt` (a distributed run's finalize checks it did not publish already). */
export async function publishedRunAt(db: Db, week: string, startedAt: string): Promise<number | undefined> {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(and(eq(runs.week, week), eq(runs.startedAt, startedAt), ne(runs.status, 'aborted')));
  return row?.id;
}
