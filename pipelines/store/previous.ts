/**
 * What earlier runs left that a new run builds on (database reads only): the
 * validators of previous fetches (for conditional GET, run/conditional-get.ts),
 * last week's claims (health checks), each source's last good pages, and how many
 * claims a source whose pages did not change keeps.
 */
import { and, desc, eq, gt, inArray, isNotNull, lte, notInArray, or, sql } from 'drizzle-orm';
import type { Claim } from '../../schema/observation.js';
import { claimVersionEnds, claimVersions, claims, extractionIssues, fetches, issueTexts, runs, sourcePublished } from '../../schema/tables.js';
import type { Db, Tx } from './db.js';
import type { FetchedPage } from '../fetch/types.js';
import { claimReadColumns, rowToClaim } from './rows.js';
import { validAt } from './versions.js';
import { isoWeek, weekStart } from '../../schema/week.js';

export interface PreviousFetch {
  hash: string;
  etag?: string;
  lastModified?: string;
}

export const keyOf = (sourceId: string, url: string) => `${sourceId} ${url}`;

/** The newest archived fetch of every page the given sources fetched before. */
export async function previousFetches(db: Db, sourceIds: readonly string[]): Promise<Map<string, PreviousFetch>> {
  const out = new Map<string, PreviousFetch>();
  if (sourceIds.length === 0) return out;
  const rows = await db
    .selectDistinctOn([fetches.sourceId, fetches.url], {
      sourceId: fetches.sourceId,
      url: fetches.url,
      hash: fetches.pageHash,
      etag: fetches.etag,
      lastModified: fetches.lastModified,
    })
    .from(fetches)
    .where(and(inArray(fetches.sourceId, [...sourceIds]), isNotNull(fetches.pageHash)))
    .orderBy(fetches.sourceId, fetches.url, desc(fetches.id));
  for (const r of rows) {
    out.set(keyOf(r.sourceId, r.url), {
      hash: r.hash!,
      ...(r.etag ? { etag: r.etag } : {}),
      ...(r.lastModified ? { lastModified: r.lastModified } : {}),
    });
  }
  return out;
}

/** The ISO week before `week`. */
function weekBefore(week: string): string {
  return isoWeek(new Date(weekStart(week).getTime() - 7 * 86_400_000));
}

/** A source's claims valid in the week before `week`: its last published state, which health checks compare with. */
export async function previousClaims(db: Db, week: string, sourceId: string): Promise<Claim[]> {
  const rows = await db
    .select(claimReadColumns(claims))
    .from(claims)
    .where(and(eq(claims.sourceId, sourceId), validAt(claims, weekBefore(week))));
  return rows.map(rowToClaim);
}

/** Marks the extraction issue of a claim the claim-level checks held back; its detail carries the claim. */
export const HELD_CLAIM_MESSAGE = 'quarantined claim:';

/**
 * What a source stated in the week before `week` that the claim-level checks
 * held back (read off that week's newest run that extracted the source): a
 * change stated again this week has persisted and publishes.
 */
export async function heldClaims(db: Db, week: string, sourceId: string): Promise<Claim[]> {
  const weekRuns = await db.select({ id: runs.id, sourceStatus: runs.sourceStatus }).from(runs).where(eq(runs.week, weekBefore(week))).orderBy(desc(runs.id));
  const run = weekRuns.find((r) => {
    const st = r.sourceStatus?.[sourceId];
    return st !== undefined && sourcePublished(st.status) && !st.unchanged;
  });
  if (!run) return [];
  const rows = await db
    .select({ message: issueTexts.message, detail: issueTexts.detail })
    .from(extractionIssues)
    .innerJoin(issueTexts, eq(issueTexts.id, extractionIssues.issueId))
    .where(and(eq(extractionIssues.runId, run.id), eq(issueTexts.sourceId, sourceId)))
    .orderBy(extractionIssues.id);
  const out: Claim[] = [];
  for (const r of rows) {
    const claim = (r.detail as { claim?: Claim } | null)?.claim;
    if (r.message.startsWith(HELD_CLAIM_MESSAGE) && claim) out.push(claim);
  }
  return out;
}

/**
 * Every source's claims valid in the week before `week` (what each published last), but those of
 * the sources in `except`: a refresh checks its fresh sources against each other's new claims, so
 * reading (and parsing) their last week's rows too only to drop them cost a later week ~0.5 s.
 */
export async function previousClaimsOfAll(db: Db, week: string, except: Iterable<string> = []): Promise<Claim[]> {
  const skip = [...except];
  const rows = await db
    .select(claimReadColumns(claims))
    .from(claims)
    .where(and(validAt(claims, weekBefore(week)), skip.length > 0 ? notInArray(claims.sourceId, skip) : undefined));
  return rows.map(rowToClaim);
}

/** What a source's last good run fetched, and with which extractor version. */
export interface SourceBaseline {
  week: string;
  version: string;
  /** Fingerprint of the alias table that run resolved names with (absent before identity was recorded). */
  identity?: string;
  /** url → content hash of every page of that run (index and model pages). */
  pages: Map<string, string>;
}

/**
 * For each source, the pages of the newest run in which it was published ok —
 * preferring a run of the same week, whose claims are the ones this run would replace.
 */
export async function lastGoodPages(db: Db, sourceIds: readonly string[], week: string): Promise<Map<string, SourceBaseline>> {
  const out = new Map<string, SourceBaseline>();
  if (sourceIds.length === 0) return out;
  const recent = await db
    .select({ id: runs.id, week: runs.week, sourceStatus: runs.sourceStatus })
    .from(runs)
    .orderBy(desc(runs.id))
    .limit(200);
  const runOf = new Map<string, { runId: number; week: string; version: string; identity?: string }>();
  for (const sameWeekOnly of [true, false]) {
    for (const r of recent) {
      if (sameWeekOnly && r.week !== week) continue;
      for (const id of sourceIds) {
        const st = r.sourceStatus[id];
        if (!runOf.has(id) && st?.status === 'ok' && st.version && !st.unchanged) {
          runOf.set(id, { runId: r.id, week: r.week, version: st.version, ...(st.identity ? { identity: st.identity } : {}) });
        }
      }
    }
  }
  if (runOf.size === 0) return out;
  const rows = await db
    .select({ runId: fetches.runId, sourceId: fetches.sourceId, url: fetches.url, hash: fetches.pageHash })
    .from(fetches)
    .where(inArray(fetches.runId, [...new Set([...runOf.values()].map((v) => v.runId))]));
  const byRunAndSource = new Map<string, typeof rows>();
  for (const r of rows) {
    const key = `${r.runId} ${r.sourceId}`;
    const group = byRunAndSource.get(key);
    if (group) group.push(r);
    else byRunAndSource.set(key, [r]);
  }
  for (const [id, { runId, week, version, identity }] of runOf) {
    const pages = new Map<string, string>();
    let complete = true;
    for (const r of byRunAndSource.get(`${runId} ${id}`) ?? []) {
      if (!r.hash) complete = false;
      else pages.set(r.url, r.hash);
    }
    if (complete && pages.size > 0) out.set(id, { week, version, ...(identity ? { identity } : {}), pages });
  }
  return out;
}

/** True when this run fetched exactly the baseline's pages with the same bodies, for the same extractor version. */
export function sameAsBaseline(baseline: SourceBaseline, version: string, pages: readonly FetchedPage[]): boolean {
  if (baseline.version !== version || pages.length !== baseline.pages.size) return false;
  return pages.every((p) => baseline.pages.get(p.url) === p.hash);
}

/**
 * The sources among `pairs` whose claims valid in week `a` differ from those
 * valid in week `b`: some version of them starts or ends between the two weeks.
 * One query for all pairs; a pair with `a === b` never differs.
 */
export async function sourcesChangedBetween(
  db: Db,
  pairs: readonly { sourceId: string; a: string; b: string }[],
): Promise<Set<string>> {
  // the stored versions and their ends, not the claims view: which sources changed needs none of its other joins
  const v = claimVersions;
  const e = claimVersionEnds;
  const conditions = pairs
    .filter(({ a, b }) => a !== b)
    .map(({ sourceId, a, b }) => {
      const [lo, hi] = a < b ? [a, b] : [b, a];
      return and(eq(v.sourceId, sourceId), or(and(gt(v.validFrom, lo), lte(v.validFrom, hi)), and(gt(e.validTo, lo), lte(e.validTo, hi))));
    });
  if (conditions.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ sourceId: v.sourceId })
    .from(v)
    .leftJoin(e, eq(e.id, v.id))
    .where(or(...conditions));
  return new Set(rows.map((r) => r.sourceId));
}

/**
 * How many claims of a source are valid in `week`: its versions started by then, less those of them
 * ended by then. The stored versions and their ends, not the claims view (a count needs none of its
 * other joins). Not a join grouped by source: with no statistics (no autovacuum, or PGlite) the
 * planner sorted all of the week's versions to group them, most of an unchanged week's publish. The
 * ended ones are found from the ends (a few thousand rows), each version looked up by its key,
 * rather than by a second pass over the source's versions.
 */
export async function keptClaimCount(db: Db | Tx, sourceId: string, week: string): Promise<number> {
  const v = claimVersions;
  const e = claimVersionEnds;
  const ofSource = sql`${v.sourceId} = ${sourceId} and ${v.validFrom} <= ${week}`;
  const { rows } = (await db.execute(
    sql`select ((select count(*) from ${v} where ${ofSource})
      - (select count(*) from ${e} where ${e.validTo} <= ${week} and (select ${ofSource} from ${v} where ${v.id} = ${e.id})))::int as n`,
  )) as unknown as { rows: { n: number }[] };
  return rows[0]!.n;
}
