/** The runs table, for runs that publish nothing. */
import { runs, type RunCounts } from '../../schema/tables.js';
import type { Db } from './db.js';

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
