/**
 * The weeks a database holds, and removing one. Dropping a week deletes its
 * runs (their fetches, issues and unmatched names go with them) and its claim
 * and fact versions in one transaction, and mends the history around it: a
 * version the dropped week closed is extended to the next stored week (or
 * reopened), and a version it wrote that later weeks still saw starts at the
 * first of those weeks instead. Every other week reads as it did.
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
        // the first other stored week after `week` (before `until`, when given)
        const nextWeek = (until: ReturnType<typeof sql>) =>
          sql`(select min(r.week) from runs r where r.week > ${week} and (${until} is null or r.week < ${until}))`;
        // a version the week closed holds again until the next stored week (open when there is none)
        const extended = await tx.execute(sql`
          update ${t} set valid_to = ${nextWeek(sql`null::text`)} where valid_to = ${week} and valid_from < ${week}`);
        // a version the week wrote that no later stored week saw goes (a claim version a fact still cites stays, valid in no week)
        if (table === 'claim_versions') {
          await tx.execute(sql`
            update ${t} v set valid_to = v.valid_from
            where v.valid_from = ${week} and ${nextWeek(sql`v.valid_to`)} is null
              and v.id in (select unnest(f.candidate_claims) from fact_versions f)`);
        }
        const deleted = await tx.execute(sql`
          delete from ${t} v where v.valid_from = ${week} and ${nextWeek(sql`v.valid_to`)} is null
            and (v.valid_to is null or v.valid_to <> v.valid_from)`);
        // one that later weeks saw starts at the first of them, owned by that week's latest run
        const moved = await tx.execute(sql`
          update ${t} v set valid_from = n.week,
                 run_id = (select max(r.id) from runs r where r.week = n.week)
          from (select v2.id, ${nextWeek(sql`v2.valid_to`)} as week from ${t} v2 where v2.valid_from = ${week} and (v2.valid_to is null or v2.valid_to <> v2.valid_from)) n
          where v.id = n.id`);
        const count = (r: unknown) => Number((r as { rowCount?: number; affectedRows?: number }).rowCount ?? (r as { affectedRows?: number }).affectedRows ?? 0);
        if (table === 'claim_versions') result.claimsDeleted = count(deleted);
        else result.factsDeleted = count(deleted);
        result.versionsMended += count(extended) + count(moved);
      }
      await mendNamesOfDroppedRuns(tx, week);
      await tx.execute(sql`delete from runs where week = ${week}`);
      return result;
    });
  } finally {
    await release();
  }
}
