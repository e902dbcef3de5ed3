/** Reads for price history (database only): every stored version of one model's price facts, and the published weeks. */
import { and, asc, eq } from 'drizzle-orm';
import type { Candidate } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { facts, runs } from '../../schema/tables.js';
import type { Value } from '../../schema/values.js';
import type { Db } from './db.js';

export interface PriceVersion {
  factKey: string;
  qualifiers: Qualifiers;
  chosen: Value | null;
  status: string;
  candidates: Candidate[];
  validFrom: string;
  validTo: string | null;
}

export async function publishedWeeks(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ week: runs.week }).from(runs).orderBy(asc(runs.week));
  return rows.map((r) => r.week);
}

export async function priceVersions(db: Db, modelId: string): Promise<PriceVersion[]> {
  const rows = await db
    .select()
    .from(facts)
    .where(and(eq(facts.modelId, modelId), eq(facts.attribute, 'price')))
    .orderBy(facts.factKey, facts.validFrom);
  return rows.map((r) => ({
    factKey: r.factKey,
    qualifiers: r.qualifiers as Qualifiers,
    chosen: (r.chosen as Value | null) ?? null,
    status: r.status,
    candidates: r.candidates as Candidate[],
    validFrom: r.validFrom,
    validTo: r.validTo,
  }));
}
