/**
 * Store: the raw names every source used, what each resolved to and by which
 * rule (table model_names, one set per run), and reviewers' alias decisions
 * (table aliases). Database only; every filter is a bound parameter.
 */
import { and, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { aliases, facts, modelNames } from '../../schema/tables.js';
import type { Db } from './db.js';
import type { NameUse } from '../normalize/normalize.js';
import { copyInto } from './copy.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type AliasDecision = 'confirm' | 'map' | 'split';

/** Writes a run's raw names with their resolution (in the publishing transaction). */
export async function insertModelNames(
  tx: Tx,
  runId: number,
  outcomes: readonly { sourceId: string; names?: ReadonlyMap<string, NameUse> }[],
): Promise<void> {
  const rows = outcomes.flatMap((o) =>
    [...(o.names?.values() ?? [])].map((u) => ({
      runId,
      sourceId: o.sourceId,
      name: u.name,
      modelId: 'modelId' in u.resolved ? u.resolved.modelId : null,
      rule: 'modelId' in u.resolved ? u.resolved.rule : `unmatched: ${u.resolved.reason}`,
      count: u.count,
    })),
  );
  // one COPY: a catalog run has ten thousand names (multi-row INSERTs cost ~0.2 s of CPU building their statements)
  await copyInto(tx, modelNames, rows, (r) => r);
}

export interface NameRow {
  sourceId: string;
  name: string;
  modelId: string | null;
  rule: string | null;
  count: number;
  runId: number;
}

/** Raw names from the latest run that recorded each source, optionally for one model or source. */
export async function listModelNames(db: Db | Tx, filter: { model?: string; source?: string } = {}): Promise<NameRow[]> {
  const latest = sql`(select max(m2.run_id) from ${modelNames} m2 where m2.source_id = ${modelNames.sourceId})`;
  return db
    .select({
      sourceId: modelNames.sourceId,
      name: modelNames.name,
      modelId: modelNames.modelId,
      rule: modelNames.rule,
      count: modelNames.count,
      runId: modelNames.runId,
    })
    .from(modelNames)
    .where(
      and(
        sql`${modelNames.runId} = ${latest}`,
        filter.model ? eq(modelNames.modelId, filter.model) : undefined,
        filter.source ? eq(modelNames.sourceId, filter.source) : undefined,
      ),
    )
    .orderBy(modelNames.modelId, modelNames.sourceId, modelNames.name);
}

/** The ids raw names resolved to, by lower-case raw name (latest run per source): for lookup by any name. */
export async function idsByRawName(db: Db | Tx, name: string): Promise<string[]> {
  const latest = sql`(select max(m2.run_id) from ${modelNames} m2 where m2.source_id = ${modelNames.sourceId})`;
  const rows = await db
    .selectDistinct({ modelId: modelNames.modelId })
    .from(modelNames)
    .where(and(sql`${modelNames.runId} = ${latest}`, sql`lower(${modelNames.name}) = ${name.trim().toLowerCase()}`, isNotNull(modelNames.modelId)));
  return rows.map((r) => r.modelId!).sort();
}

export interface AliasRow {
  alias: string;
  modelId: string;
  origin: string;
  reviewed: boolean;
  decision: string | null;
  ruleModelId: string | null;
  decidedAt: string | null;
}

export async function listAliasDecisions(db: Db | Tx): Promise<AliasRow[]> {
  return db.select().from(aliases).orderBy(aliases.alias);
}

/** Records (or replaces) a reviewer's decision on a raw name; applied before the rules from the next run on. */
export async function recordAliasDecision(
  db: Db | Tx,
  d: { raw: string; decision: AliasDecision; modelId: string; ruleModelId: string | null; at: string },
): Promise<void> {
  const row = {
    alias: d.raw.trim().toLowerCase(),
    modelId: d.modelId,
    origin: 'reviewer',
    reviewed: true,
    decision: d.decision,
    ruleModelId: d.ruleModelId,
    decidedAt: d.at,
  };
  await db
    .insert(aliases)
    .values(row)
    .onConflictDoUpdate({ target: aliases.alias, set: { ...row, alias: undefined } });
}

/** The routes each model has current facts on (`qualifiers.route`), for the `models` listing. */
export async function currentRoutes(db: Db | Tx): Promise<Map<string, string[]>> {
  const route = sql<string>`${facts.qualifiers}->>'route'`;
  const rows = await db
    .selectDistinct({ modelId: facts.modelId, route })
    .from(facts)
    .where(and(isNull(facts.validTo), sql`${facts.qualifiers} ? 'route'`))
    .orderBy(facts.modelId, route);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.modelId, [...(out.get(r.modelId) ?? []), r.route]);
  return out;
}
