/** Read-side queries behind the CLI listings. Every filter is a bound parameter. */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { aliases, facts, runs, unmatchedNames } from '../../schema/tables.js';
import type { Db } from './db.js';
import { rowToFact } from './rows.js';
import { validAt } from './versions.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The aliases stored (and reviewable) in the database, lower-cased alias → model id. */
export async function storedAliases(db: Db): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const row of await db.select().from(aliases)) map.set(row.alias.toLowerCase(), row.modelId);
  return map;
}

export interface FactFilter {
  model?: string;
  attribute?: string;
  asOf?: string;
}

export async function queryFacts(db: Db | Tx, filter: FactFilter) {
  const conds: (SQL | undefined)[] = [
    filter.asOf ? validAt(facts, filter.asOf) : isNull(facts.validTo),
    filter.model ? eq(facts.modelId, filter.model) : undefined,
    filter.attribute ? eq(facts.attribute, filter.attribute) : undefined,
  ];
  const rows = await db
    .select()
    .from(facts)
    .where(and(...conds))
    .orderBy(facts.modelId, facts.attribute, facts.qualifiersKey);
  return rows.map(rowToFact);
}

export async function listRuns(db: Db, limit = 50) {
  return db.select().from(runs).orderBy(desc(runs.id)).limit(limit);
}

/** Unmatched model names per source, from the latest run that recorded each source. */
export async function listUnmatched(db: Db, source?: string) {
  const latest = sql`(select max(u2.run_id) from ${unmatchedNames} u2 where u2.source_id = ${unmatchedNames.sourceId})`;
  return db
    .select({
      sourceId: unmatchedNames.sourceId,
      name: unmatchedNames.name,
      count: unmatchedNames.count,
      reason: unmatchedNames.reason,
      candidates: unmatchedNames.candidates,
      runId: unmatchedNames.runId,
    })
    .from(unmatchedNames)
    .where(and(sql`${unmatchedNames.runId} = ${latest}`, source ? eq(unmatchedNames.sourceId, source) : undefined))
    .orderBy(unmatchedNames.sourceId, desc(unmatchedNames.count), unmatchedNames.name);
}
