/**
 * Reads for the review app (database only): one page of the review queue,
 * filtered and sorted in SQL so a real week's thousands of conflicts are
 * never all loaded; one model's facts; one conflict with its fact.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Attribute } from '../../schema/attributes.js';
import type { Candidate, FactStatus } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { claimHeads, claimValues, claimVersions, conflicts, facts, factVersions, fetches, provenance, runs } from '../../schema/tables.js';
import type { Value } from '../../schema/values.js';
import type { Db } from './db.js';
import { validAt } from './versions.js';

export const QUEUE_SORTS = ['impact', 'model', 'confidence'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueFilter {
  week: string;
  /** Conflict states listed; default open and reopened. */
  states?: readonly string[];
  statuses?: readonly FactStatus[];
  model?: string;
  attribute?: string;
  source?: string;
  /** The rule's name, e.g. `no-rule`, `authority`. */
  rule?: string;
  /** A candidate flag, e.g. `likely-placeholder`. */
  flag?: string;
  /** Words found in the fact key (model, attribute, qualifiers), or a candidate's source, listing, value, URL or excerpt. */
  search?: string;
  /** Only these conflicts (any state unless `states` is given). */
  conflictIds?: readonly number[];
  sort?: QueueSort;
  /** Routes per model of the week, when the caller keeps them (they change only with a refresh). */
  routes?: Record<string, number>;
  page?: number;
  pageSize?: number;
}

export interface QueueItem {
  conflictId: number;
  state: string;
  reason: string | null;
  openedWeek: string;
  /** The week its candidates came to agree (state closed). */
  closedWeek: string | null;
  factKey: string;
  modelId: string;
  attribute: Attribute;
  qualifiers: Qualifiers;
  status: FactStatus;
  chosen: Value | null;
  rule: string;
  confidence: number;
  candidates: Candidate[];
  candidatesHash: string;
  /** The learned weights the reliability rule used, per voter (null when it did not decide). */
  weights: Record<string, number> | null;
  /** How many routes (or, for a route's price, related facts) the fact's value reaches. */
  impact: number;
}

export interface QueuePage {
  week: string;
  total: number;
  page: number;
  pageSize: number;
  items: QueueItem[];
}

export const DEFAULT_QUEUE_STATES = ['open', 'reopened'] as const;

/**
 * A conflict's fact, by the parts of its key (model|attribute|qualifiers): the
 * fact versions' key index (model, attribute) finds the few versions to compare the qualifiers of. The
 * key itself is computed by the facts view; comparing it too made the planner
 * expect almost no rows and scan every fact version of the week instead.
 */
const sameFact = and(eq(facts.modelId, conflicts.modelId), eq(facts.attribute, conflicts.attribute), eq(facts.qualifiersKey, conflicts.qualifiersKey))!;

/** The claim versions the fact's candidates reference. */
const candidateClaims = sql`((select fact_candidate_claims(fv.candidate_refs) from ${factVersions} fv where fv.id = ${facts.id})::bigint[])`;

function conditions(f: QueueFilter): SQL[] {
  const c: SQL[] = [validAt(facts, f.week)];
  const states = f.states && f.states.length > 0 ? f.states : f.conflictIds ? undefined : DEFAULT_QUEUE_STATES;
  if (states) c.push(sql`${conflicts.state} in (${sql.join(states.map((s) => sql`${s}`), sql`, `)})`);
  if (f.conflictIds) c.push(f.conflictIds.length ? inArray(conflicts.id, [...f.conflictIds]) : sql`false`);
  if (f.statuses && f.statuses.length > 0) c.push(sql`${facts.status} in (${sql.join(f.statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (f.model) c.push(eq(facts.modelId, f.model));
  if (f.attribute) c.push(eq(facts.attribute, f.attribute));
  // source, flag and words are looked up in the stored references (claim versions, pages, flags):
  // the facts view builds candidate documents, which only the page's own rows need
  if (f.source) c.push(sql`exists (select 1 from ${claimVersions} cv where cv.id = any(${candidateClaims}) and cv.source_id = ${f.source})`);
  if (f.flag) c.push(sql`exists (select 1 from ${factVersions} fv where fv.id = ${facts.id} and fact_candidates_flagged(fv.candidate_refs, ${f.flag}))`);
  if (f.rule) c.push(sql`split_part(${facts.rule}, ':', 1) = ${f.rule}`);
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    c.push(sql`(${facts.factKey} ilike ${like} or exists (
      select 1 from ${claimVersions} cv join ${provenance} p on p.id = cv.provenance_id
        join ${claimValues} v on v.id = cv.value_id left join ${claimHeads} h on h.id = cv.head_id
      where cv.id = any(${candidateClaims})
        and (cv.source_id ilike ${like} or cv.via ilike ${like} or coalesce(h.excerpt, '') || cv.excerpt ilike ${like}
          or v.value::text ilike ${like} or p.url ilike ${like})))`);
  }
  return c;
}

/** Routes per model in the week: a model-wide fact (release date, licence …) reaches every route the model is offered on. */
export async function routesPerModel(db: Db, week: string): Promise<Record<string, number>> {
  const rows = await db
    .select({ modelId: facts.modelId, routes: sql<number>`count(distinct ${facts.qualifiers}->>'route')::int` })
    .from(facts)
    .where(and(validAt(facts, week), sql`${facts.qualifiers} ? 'route'`))
    .groupBy(facts.modelId);
  return Object.fromEntries(rows.map((r) => [r.modelId, Number(r.routes)]));
}

export async function queuePage(db: Db, f: QueueFilter): Promise<QueuePage> {
  const pageSize = Math.min(Math.max(f.pageSize ?? 25, 1), 200);
  const page = Math.max(f.page ?? 1, 1);
  const where = and(...conditions(f));
  // the per-model counts go in as one jsonb parameter: a keyed lookup per row, whatever the planner's statistics say
  const routes = JSON.stringify(f.routes ?? (await routesPerModel(db, f.week)));
  const impact = sql<number>`case when ${facts.qualifiers} ? 'route' then 1 + coalesce(jsonb_array_length(${facts.related}), 0) else greatest(coalesce((${routes}::jsonb ->> ${facts.modelId})::int, 0), 1) end`;
  // over the ranked rows' own columns
  const order = sql.raw(f.sort === 'model' ? 'model_id, fact_key' : f.sort === 'confidence' ? 'confidence, fact_key' : 'impact desc, model_id, fact_key');
  // one round trip: the page is chosen from narrow rows (no candidate documents read), then only its rows are read in full
  const result = await db.execute(sql`
    with ranked as (
      select ${conflicts.id} as conflict_id, ${facts.id} as fact_id, ${facts.modelId} as model_id, ${facts.factKey} as fact_key,
        ${facts.confidence} as confidence, ${impact} as impact
      from ${conflicts}
      join ${facts} on ${sameFact}
      where ${where}
    ), page as (
      select conflict_id, fact_id, impact, count(*) over () as total, row_number() over (order by ${order}) as n
      from ranked
      order by n
      limit ${pageSize} offset ${(page - 1) * pageSize}
    )
    select page.impact, page.total, c.id, c.state, c.reason, c.opened_week, c.closed_week, f.fact_key, f.model_id, f.attribute, f.qualifiers,
      f.status, f.chosen, f.rule, f.confidence, f.candidates, f.candidates_hash, f.weights
    from page
    join ${conflicts} c on c.id = page.conflict_id
    join ${facts} f on f.id = page.fact_id
    order by page.n`);
  // both drivers (pg, PGlite) answer raw statements with { rows }, jsonb parsed
  const rows = (result as unknown as { rows: PageRow[] }).rows;
  let total = rows.length > 0 ? Number(rows[0]!.total) : 0;
  if (rows.length === 0 && page > 1) total = await countQueue(db, f);
  return { week: f.week, total, page, pageSize, items: rows.map(toItem) };
}

/** One row of the page statement (column names as Postgres returns them). */
interface PageRow {
  impact: number | string;
  total: number | string;
  id: number;
  state: string;
  reason: string | null;
  opened_week: string;
  closed_week: string | null;
  fact_key: string;
  model_id: string;
  attribute: string;
  qualifiers: unknown;
  status: string;
  chosen: unknown;
  rule: string;
  confidence: number | string;
  candidates: unknown;
  candidates_hash: string;
  weights: Record<string, number> | null;
}

async function countQueue(db: Db, f: QueueFilter): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(conflicts)
    .innerJoin(facts, sameFact)
    .where(and(...conditions(f)));
  return row?.n ?? 0;
}

function toItem(r: PageRow): QueueItem {
  return {
    conflictId: Number(r.id),
    state: r.state,
    reason: r.reason,
    openedWeek: r.opened_week,
    closedWeek: r.closed_week,
    factKey: r.fact_key,
    modelId: r.model_id,
    attribute: r.attribute as Attribute,
    qualifiers: r.qualifiers as Qualifiers,
    status: r.status as FactStatus,
    chosen: (r.chosen as Value | null) ?? null,
    rule: r.rule,
    confidence: Number(r.confidence),
    candidates: r.candidates as Candidate[],
    candidatesHash: r.candidates_hash,
    weights: r.weights,
    impact: Number(r.impact),
  };
}

/** The filter choices for the queue's selects: distinct values among the week's conflicts. */
export async function queueFacets(db: Db, week: string): Promise<{ attributes: string[]; rules: string[] }> {
  const rows = await db
    .selectDistinct({ attribute: facts.attribute, rule: sql<string>`split_part(${facts.rule}, ':', 1)` })
    .from(conflicts)
    .innerJoin(facts, sameFact)
    .where(validAt(facts, week));
  return {
    attributes: [...new Set(rows.map((r) => r.attribute))].sort(),
    rules: [...new Set(rows.map((r) => r.rule))].sort(),
  };
}

/** URLs whose page differs from the previous week's fetch (newest fetch per URL in each week): a diff is worth a link. */
export async function changedPages(db: Db, urls: readonly string[], week: string, previousWeek: string): Promise<Set<string>> {
  if (urls.length === 0) return new Set();
  const rows = await db
    .selectDistinctOn([fetches.url, runs.week], { url: fetches.url, week: runs.week, hash: fetches.pageHash })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(
      and(
        sql`${fetches.url} in (${sql.join(urls.map((u) => sql`${u}`), sql`, `)})`,
        sql`${runs.week} in (${week}, ${previousWeek})`,
        sql`${fetches.pageHash} is not null`,
      ),
    )
    .orderBy(fetches.url, runs.week, sql`${fetches.id} desc`);
  const by = new Map<string, Map<string, string | null>>();
  for (const r of rows) by.set(r.url, (by.get(r.url) ?? new Map()).set(r.week, r.hash));
  return new Set([...by].filter(([, m]) => m.size === 2 && m.get(week) !== m.get(previousWeek)).map(([u]) => u));
}

/** Models of the week with their fact and needs-review counts, for the model list (at most `limit`). */
export async function weekModels(db: Db, week: string, search: string, limit = 200) {
  const like = `%${search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
  const rows = await db
    .select({
      modelId: facts.modelId,
      facts: sql<number>`count(*)::int`,
      review: sql<number>`(count(*) filter (where ${facts.status} = 'needs-review'))::int`,
    })
    .from(facts)
    .where(and(validAt(facts, week), search ? sql`${facts.modelId} ilike ${like}` : undefined))
    .groupBy(facts.modelId)
    .orderBy(facts.modelId)
    .limit(limit);
  return rows.map((r) => ({ modelId: r.modelId, facts: Number(r.facts), review: Number(r.review) }));
}

/** The conflict ids of one model's facts (for links from the model page). */
export async function modelConflictIds(db: Db, modelId: string): Promise<Map<string, number>> {
  const rows = await db.select({ id: conflicts.id, factKey: conflicts.factKey }).from(conflicts).where(eq(conflicts.modelId, modelId));
  return new Map(rows.map((r) => [r.factKey, r.id]));
}

/** The newest run id: what a cache of week-level figures is keyed by (a refresh adds a run). */
export async function latestRunId(db: Db): Promise<number> {
  const [row] = await db.select({ id: sql<number>`coalesce(max(${runs.id}), 0)::int` }).from(runs);
  return Number(row?.id ?? 0);
}
