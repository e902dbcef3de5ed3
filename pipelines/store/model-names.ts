/**
 * Store: the raw names every source used, what each resolved to and by which
 * rule (table model_names, one set per run), and reviewers' alias decisions
 * (table aliases). Database only; every filter is a bound parameter.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { aliases, facts, modelNames } from '../../schema/tables.js';
import type { Db } from './db.js';
import type { NameUse } from '../normalize/normalize.js';
import { copyInto } from './copy.js';
import { chunks } from './versions.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type AliasDecision = 'confirm' | 'map' | 'split';

/**
 * Writes a run's raw names with their resolution (in the publishing transaction),
 * as changes to each source's latest set: a name whose resolution and count are
 * unchanged costs nothing, one that changed or went is closed at this run
 * (`until_run_id`), a new or changed one is added. A week's set differs from the
 * last week's in a few dozen of its thousands of names.
 */
export async function insertModelNames(
  tx: Tx,
  runId: number,
  outcomes: readonly { sourceId: string; names?: ReadonlyMap<string, NameUse> }[],
): Promise<void> {
  const rows: (typeof modelNames.$inferInsert)[] = [];
  for (const o of outcomes) {
    // a source not read this run (unchanged pages, or failed before naming anything) keeps its set
    if (!o.names || o.names.size === 0) continue;
    const current = await tx
      .select({ name: modelNames.name, modelId: modelNames.modelId, rule: modelNames.rule, count: modelNames.count })
      .from(modelNames)
      .where(and(eq(modelNames.sourceId, o.sourceId), isNull(modelNames.untilRunId)));
    const now = new Map(current.map((r) => [r.name, r]));
    const gone = new Set(now.keys());
    for (const u of o.names.values()) {
      const row = {
        runId,
        sourceId: o.sourceId,
        name: u.name,
        modelId: 'modelId' in u.resolved ? u.resolved.modelId : null,
        rule: 'modelId' in u.resolved ? u.resolved.rule : `unmatched: ${u.resolved.reason}`,
        count: u.count,
      };
      const was = now.get(u.name);
      if (was && was.modelId === row.modelId && was.rule === row.rule && was.count === row.count) {
        gone.delete(u.name);
        continue;
      }
      rows.push(row);
    }
    for (const batch of chunks([...gone], 1000)) {
      await tx
        .update(modelNames)
        .set({ untilRunId: runId })
        .where(and(eq(modelNames.sourceId, o.sourceId), isNull(modelNames.untilRunId), inArray(modelNames.name, batch)));
    }
  }
  // one COPY: a catalog's first run has thousands of names (multi-row INSERTs cost ~0.2 s of CPU building their statements)
  await copyInto(tx, modelNames, rows, (r) => r);
}

/**
 * Before a week's runs are deleted (their rows go with them): the latest sets
 * read as if those runs had never been. A row a dropped run closed is closed
 * at the source's next remaining run instead (open again when there is none);
 * a row a dropped run added that the next remaining run still had moves to it.
 */
export async function mendNamesOfDroppedRuns(tx: Tx, week: string): Promise<void> {
  const dropped = sql`(select r.id from runs r where r.week = ${week})`;
  const nextKept = (after: ReturnType<typeof sql>) =>
    sql`(select min(r.id) from runs r where r.week <> ${week} and r.id > ${after} and r.source_status ? m.source_id)`;
  await tx.execute(sql`update ${modelNames} m set until_run_id = ${nextKept(sql`m.until_run_id`)} where m.until_run_id in ${dropped}`);
  await tx.execute(sql`
    update ${modelNames} m set run_id = ${nextKept(sql`m.run_id`)}
    where m.run_id in ${dropped} and ${nextKept(sql`m.run_id`)} is not null
      and (m.until_run_id is null or m.until_run_id > ${nextKept(sql`m.run_id`)})`);
}

export interface NameRow {
  sourceId: string;
  name: string;
  modelId: string | null;
  rule: string | null;
  count: number;
  runId: number;
}

/** Raw names in each source's latest set (`runId`: the run that first recorded the name so), optionally for one model or source. */
export async function listModelNames(db: Db | Tx, filter: { model?: string; source?: string } = {}): Promise<NameRow[]> {
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
        isNull(modelNames.untilRunId),
        filter.model ? eq(modelNames.modelId, filter.model) : undefined,
        filter.source ? eq(modelNames.sourceId, filter.source) : undefined,
      ),
    )
    .orderBy(modelNames.modelId, modelNames.sourceId, modelNames.name);
}

/** The ids raw names resolved to, by lower-case raw name (latest run per source): for lookup by any name. */
export async function idsByRawName(db: Db | Tx, name: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ modelId: modelNames.modelId })
    .from(modelNames)
    .where(and(isNull(modelNames.untilRunId), sql`lower(${modelNames.name}) = ${name.trim().toLowerCase()}`, isNotNull(modelNames.modelId)));
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
