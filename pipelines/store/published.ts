/** Which weeks earlier runs published, per source and for the facts. */
import { sourcePublished } from '../../schema/tables.js';
import { and, gt, inArray } from 'drizzle-orm';
import { runs } from '../../schema/tables.js';
import type { Db, Tx } from './db.js';

/** Marks the sources that failed with the week their kept claims were last confirmed. */
export async function lastGoodWeeks(db: Db, sourceIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (sourceIds.length === 0) return out;
  const rows = await db
    .select({ week: runs.week, sourceStatus: runs.sourceStatus })
    .from(runs)
    .where(and(inArray(runs.status, ['ok', 'partial'])));
  for (const r of rows) {
    for (const id of sourceIds) {
      if (sourcePublished(r.sourceStatus[id]?.status) && (out.get(id) ?? '') < r.week) out.set(id, r.week);
    }
  }
  return out;
}

/**
 * The first week after `week` already published: for the facts (any run that
 * reconciled) and per source (a run in which that source succeeded). What a
 * later week published stands when an earlier week arrives out of order.
 */
export async function publishedAfter(tx: Tx, week: string): Promise<{ facts: string | null; bySource: Map<string, string> }> {
  const rows = await tx
    .select({ week: runs.week, sourceStatus: runs.sourceStatus })
    .from(runs)
    .where(and(gt(runs.week, week), inArray(runs.status, ['ok', 'partial'])))
    .orderBy(runs.week);
  const bySource = new Map<string, string>();
  for (const r of rows) {
    for (const [id, st] of Object.entries(r.sourceStatus)) if (sourcePublished(st.status) && !bySource.has(id)) bySource.set(id, r.week);
  }
  return { facts: rows[0]?.week ?? null, bySource };
}
