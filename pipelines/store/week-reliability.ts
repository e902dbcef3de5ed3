/**
 * The learned reliability weights of each week's full reconcile
 * (week_reliability): written when a whole week is reconciled, read back by
 * the re-reconcile of one model after a reviewer decision, by the `facts`
 * view (fact.weights) and by `modelfacts reliability`.
 */
import { eq, sql } from 'drizzle-orm';
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

/** Replaces the week's stored weights with what a full reconcile of it learned: one row per voter, its attributes' figures as arrays. */
export async function writeWeekReliability(tx: Tx, week: string, runId: number, learned: readonly LearnedWeight[]): Promise<number> {
  await tx.delete(weekReliability).where(eq(weekReliability.week, week));
  const byVoter = new Map<string, typeof weekReliability.$inferInsert>();
  for (const r of learned) {
    const key = `${r.kind}\u0000${r.voter}`;
    let row = byVoter.get(key);
    if (!row) {
      row = { week, kind: r.kind, voter: r.voter, runId, attributes: [], weights: [], applied: [], compared: [], agreed: [] };
      byVoter.set(key, row);
    }
    row.attributes.push(r.attribute);
    row.weights.push(r.weight);
    row.applied.push(r.applied);
    row.compared.push(r.compared);
    row.agreed.push(r.agreed);
  }
  for (const batch of chunks([...byVoter.values()], 200)) await tx.insert(weekReliability).values(batch);
  return learned.length;
}

/** The weights the week's last full reconcile learned, or undefined when none are stored (a week reconciled before migration 0010). */
export async function loadWeekReliability(db: Db | Tx, week: string): Promise<StoredWeights | undefined> {
  // one row per voter and attribute, in the order the table of migration 0010 gave them
  const res = (await db.execute(sql`
    select w.kind, w.voter, w.run_id as "runId", a.attribute, a.weight, a.compared, a.agreed
    from ${weekReliability} w, unnest(w.attributes, w.weights, w.compared, w.agreed) as a(attribute, weight, compared, agreed)
    where w.week = ${week}
    order by w.kind, w.voter, a.attribute`)) as unknown as {
    rows: { kind: string; voter: string; runId: number; attribute: string; weight: number; compared: number; agreed: number }[];
  };
  const rows = res.rows;
  if (rows.length === 0) return undefined;
  const out: StoredWeights = { rows: [], listings: [], runId: rows[0]!.runId };
  for (const r of rows) {
    const row: VoterReliability = { voter: r.voter, attribute: r.attribute, compared: r.compared, agreed: r.agreed, weight: r.weight };
    (r.kind === 'listing' ? out.listings : out.rows).push(row);
  }
  return out;
}
