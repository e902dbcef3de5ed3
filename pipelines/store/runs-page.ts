/** Runs with their per-source status and the first extraction problems of each (database only). */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { isoTimestamp } from './rows.js';
import { extractionIssues, issueTexts, runs } from '../../schema/tables.js';
import type { SourceRunStatus } from '../../schema/tables.js';

export interface RunRow {
  id: number;
  week: string;
  mode: string;
  status: string;
  startedAt: string;
  sourceStatus: Record<string, SourceRunStatus>;
  issues: { sourceId: string; url: string; message: string }[];
  issueCount: number;
}

export async function runRows(db: Db, limit = 30, issuesPerRun = 50): Promise<RunRow[]> {
  const list = await db.select().from(runs).orderBy(desc(runs.id)).limit(limit);
  const out: RunRow[] = [];
  for (const r of list) {
    const issues = await db
      .select({ sourceId: issueTexts.sourceId, url: issueTexts.url, message: issueTexts.message })
      .from(extractionIssues)
      .innerJoin(issueTexts, eq(issueTexts.id, extractionIssues.issueId))
      .where(eq(extractionIssues.runId, r.id))
      .orderBy(extractionIssues.id)
      .limit(issuesPerRun);
    const [n] = await db.select({ n: sql<number>`count(*)::int` }).from(extractionIssues).where(eq(extractionIssues.runId, r.id));
    out.push({ id: r.id, week: r.week, mode: r.mode, status: r.status, startedAt: isoTimestamp(r.startedAt), sourceStatus: r.sourceStatus, issues, issueCount: Number(n?.n ?? 0) });
  }
  return out;
}
