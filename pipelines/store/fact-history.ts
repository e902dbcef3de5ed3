/** Database reads behind `history` and the week-history exports: every stored version of a model's facts, and the stored weeks. */
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { facts, runs } from '../../schema/tables.js';
import type { Db } from './db.js';
import { rowToFact } from './rows.js';

export type FactVersion = ReturnType<typeof rowToFact>;

/** Every version of the facts of one model (or of every model), oldest first per fact key. */
export async function factVersions(db: Db, filter: { model?: string; attribute?: string }): Promise<FactVersion[]> {
  const conds: (SQL | undefined)[] = [
    filter.model ? eq(facts.modelId, filter.model) : undefined,
    filter.attribute ? eq(facts.attribute, filter.attribute) : undefined,
  ];
  const rows = await db
    .select()
    .from(facts)
    .where(and(...conds))
    .orderBy(asc(facts.factKey), asc(facts.validFrom));
  return rows.map(rowToFact);
}

/** The weeks some run published, oldest first. */
export async function storedWeeks(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ week: runs.week }).from(runs).orderBy(asc(runs.week));
  return rows.map((r) => r.week);
}
