/**
 * The weeks a database holds, and removing one. Dropping a week deletes its
 * runs (their fetches, issues and unmatched names go with them) and its claim
 * and fact versions in one transaction, and mends the history around it: a
 * version the dropped week closed is extended to the next stored week (or
 * reopened), and a version it wrote that later weeks still saw starts at the
 * first of those weeks instead. Every other week reads as it did. A
 * version's end is its row in claim_version_ends / fact_version_ends.
 */
import { sql } from 'drizzle-orm';
import { InputError } from '../../schema/errors.js';
import type { Database, Db } from './db.js';
import { mendNamesOfDroppedRuns } from './model-names.js';

export interface StoredWeek {
  week: string;
  runs: number;
  lastRunId: number;
  lastStatus: string;
  lastMode: string;
  lastStartedAt: string;
}

/** The week is not in the database: nothing to drop. */
export class UnknownWeekError extends InputError {
  constructor(week: string) {
    super(`no run is stored for ${week} (see \`modelfacts weeks\`)`);
    this.name = 'UnknownWeekError';
  }
}

type Rows<T> = { rows: T[] };

export async function listWeeks(db: Db): Promise<StoredWeek[]> {
  const res = (await db.execute(sql`
    select distinct on (week) week, count(*) over (partition by week)::int as runs, id as "lastRunId",
           status as "lastStatus", mode as "lastMode", started_at::text as "lastStartedAt"
    from runs order by week, id desc`)) as unknown as Rows<StoredWeek>;
  return res.rows;
}

export interface DropResult {
  week: string;
  runs: number;
  claimsDeleted: number;
  factsDeleted: number;
  /** Versions moved or extended so that the other weeks read as before. */
  versionsMended: number;
}

/** Removes a week's runs and versions in one transaction (under the refresh lock). */
export async function dropWeek(database: Database, week: string): Promise<DropResult> {
  const release = await database.lock();
  try {
    return await database.db.transaction(async (tx) => {
      const runs = (await tx.execute(sql`select id from runs where week = ${week}`)) as unknown as Rows<{ id: number }>;
      if (runs.rows.length === 0) throw new UnknownWeekError(week);
      const result: DropResult = { week, runs: runs.rows.length, claimsDeleted: 0, factsDeleted: 0, versionsMended: 0 };
      // facts first: a claim version a remaining fact version still points at is kept, valid in no week
      for (const table of ['fact_versions', 'claim_versions'] as const) {
        const t = sql.identifier(table);
        // where versions end (migration 0013): no row while a version is current
        const ends = sql.identifier(table === 'fact_versions' ? 'fact_version_ends' : 'claim_version_ends');
        const endOf = (v: string) => sql`(select e.valid_to from ${ends} e where e.id = ${sql.identifier(v)}.id)`;
        // the first other stored week after `week` (before `until`, when given)
        const nextWeek = (until: ReturnType<typeof sql>) =>
          sql`(select min(r.week) from runs r where r.week > ${week} and (${until} is null or r.week < ${until}))`;
        // a version the week closed holds again until the next stored week (open when there is none: its end goes)
        const closedThen = sql`e.valid_to = ${week} and exists (select 1 from ${t} v where v.id = e.id and v.valid_from < ${week})`;
        const extended = await tx.execute(sql`update ${ends} e set valid_to = ${nextWeek(sql`null::text`)} where ${closedThen} and ${nextWeek(sql`null::text`)} is not null`);
        const reopened = await tx.execute(sql`delete from ${ends} e where ${closedThen} and ${nextWeek(sql`null::text`)} is null`);
        // a version the week wrote that no later stored week saw goes (a claim version a fact still cites stays, valid in no week)
        if (table === 'claim_versions') {
          await tx.execute(sql`
            insert into ${ends} (id, valid_to)
            select v.id, v.valid_from from ${t} v
            where v.valid_from = ${week} and ${nextWeek(endOf('v'))} is null
              and v.id in (select r.claim_id from fact_versions f, fact_candidate_refs(f.candidate_refs) r)
            on conflict (id) do update set valid_to = excluded.valid_to`);
        }
        const deleted = (await tx.execute(sql`
          with gone as (
            delete from ${t} v where v.valid_from = ${week} and ${nextWeek(endOf('v'))} is null
              and (${endOf('v')} is null or ${endOf('v')} <> v.valid_from)
            returning v.id),
          ends_gone as (delete from ${ends} e using gone where e.id = gone.id)
          select count(*)::int as n from gone`)) as unknown as Rows<{ n: number }>;
        // one that later weeks saw starts at the first of them, owned by that week's latest run
        const moved = await tx.execute(sql`
          update ${t} v set valid_from = n.week,
                 run_id = (select max(r.id) from runs r where r.week = n.week)
          from (select v2.id, ${nextWeek(endOf('v2'))} as week from ${t} v2
                where v2.valid_from = ${week} and (${endOf('v2')} is null or ${endOf('v2')} <> v2.valid_from)) n
          where v.id = n.id`);
        const count = (r: unknown) => Number((r as { rowCount?: number; affectedRows?: number }).rowCount ?? (r as { affectedRows?: number }).affectedRows ?? 0);
        const n = deleted.rows[0]!.n;
        if (table === 'claim_versions') result.claimsDeleted = n;
        else result.factsDeleted = n;
        result.versionsMended += count(extended) + count(reopened) + count(moved);
      }
      await mendNamesOfDroppedRuns(tx, week);
      await tx.execute(sql`delete from runs where week = ${week}`);
      return result;
    });
  } finally {
    await release();
  }
}
