/**
 * The learned reliability weights of each week's full reconcile
 * (week_reliability): written when a whole week is reconciled, read back by
 * the re-reconcile of one model after a reviewer decision, by the `facts`
 * view (fact.weights) and by `modelfacts reliability`.
 */
import { asc, eq } from 'drizzle-orm';
import type { VoterReliability } from '../reconcile/index.js';
import { weekReliability } from '../../schema/tables.js';
import type { Db, Tx } from './db.js';
import { chunks } from './versions.js';

export interface StoredWeights {
  /** Per voter (a source, or `<source>@pass-through`) and attribute. */
  rows: VoterReliability[];
  listings: VoterReliability[];
  /** The run that learned them. */
  runId: number;
}

/** One learned weight as stored: `applied` is the weight the rules used (reconcile's appliedWeight), to the three decimals fact.weights records (reconcile's recordedWeight). */
export interface LearnedWeight extends VoterReliability {
  kind: 'voter' | 'listing';
  applied: number;
}

/** Replaces the week's stored weights with what a full reconcile of it learned. */
export async function writeWeekReliability(tx: Tx, week: string, runId: number, learned: readonly LearnedWeight[]): Promise<number> {
  await tx.delete(weekReliability).where(eq(weekReliability.week, week));
  const rows = learned.map((r) => ({
    week,
    kind: r.kind,
    voter: r.voter,
    attribute: r.attribute,
    weight: r.weight,
    applied: r.applied,
    compared: r.compared,
    agreed: r.agreed,
    runId,
  }));
  for (const batch of chunks(rows, 1000)) await tx.insert(weekReliability).values(batch);
  return rows.length;
}

/** The weights the week's last full reconcile learned, or undefined when none are stored (a week reconciled before migration 0010). */
export async function loadWeekReliability(db: Db | Tx, week: string): Promise<StoredWeights | undefined> {
  const rows = await db
    .select()
    .from(weekReliability)
    .where(eq(weekReliability.week, week))
    .orderBy(asc(weekReliability.kind), asc(weekReliability.voter), asc(weekReliability.attribute));
  if (rows.length === 0) return undefined;
  const out: StoredWeights = { rows: [], listings: [], runId: rows[0]!.runId };
  for (const r of rows) {
    const row: VoterReliability = { voter: r.voter, attribute: r.attribute, compared: r.compared, agreed: r.agreed, weight: r.weight };
    (r.kind === 'listing' ? out.listings : out.rows).push(row);
  }
  return out;
}
