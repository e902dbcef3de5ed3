/**
 * Publish (IO): one transaction per run. Raw pages by content hash, the
 * run's fetches, claims as versions per source, facts reconciled from every
 * claim valid that week, conflicts with reviewer decisions, unmatched names
 * and extraction issues. A source that failed keeps its previous claims.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { SourceModule } from '../../extractors/contract.js';
import type { Claim, ExtractionIssue } from '../../schema/observation.js';
import {
  claims,
  fetches,
  runs,
  sources,
  sourcePublished,
  unmatchedNames,
  type RunCounts,
  type SourceRunStatus,
} from '../../schema/tables.js';
import type { Db, Tx } from '../store/db.js';
import { publishedAfter } from '../store/published.js';
import { keptClaimCount } from '../store/previous.js';
import type { FetchedPage } from '../fetch/types.js';
import { claimContentHash, claimIdentity, claimToRow } from '../store/rows.js';
import { tracer } from '../store/trace.js';
import { chunks, sourceScope, writeVersions } from '../store/versions.js';
import type { NameUse } from '../normalize/normalize.js';
import { insertModelNames } from '../store/model-names.js';
import { provenanceIds, provenanceKey, rememberClaimVersion } from '../store/claim-refs.js';
import { claimPartIds } from '../store/claim-parts.js';
import { archivePages } from '../store/raw-pages.js';
import { insertIssues } from '../store/issues.js';

export interface SourceOutcome {
  sourceId: string;
  extractorVersion?: string;
  /** Same pages as the source's last good run: nothing extracted, its current claims stay. */
  unchanged?: boolean;
  status: SourceRunStatus['status'];
  reason?: string;
  pages: { url: string; page?: FetchedPage; error?: string }[];
  observations: number;
  claims: Claim[];
  issues: ExtractionIssue[];
  unmatched: Map<string, number>;
  /** Every raw model name the source used, with its resolution (absent for a source not re-extracted). */
  names?: Map<string, NameUse>;
  /** Fingerprint of the alias table the names were resolved with: a reviewer decision forces re-extraction. */
  identity?: string;
  /** For a failed source: the last week it succeeded, whose claims are kept (stale). */
  lastGoodWeek?: string;
  /** Claims held back by the claim-level checks (their last good versions publish instead). */
  quarantinedClaims?: number;
}

export interface PublishInput {
  week: string;
  mode: string;
  startedAt: string;
  outcomes: SourceOutcome[];
  /** The run's sources (registered with their kind, authority and hosts). */
  sources: readonly SourceModule[];
  /**
   * Reconciles the week inside publish's transaction, once the claims are
   * written, and writes its facts: supplied by run/, which alone calls stages.
   */
  reconcileWeek: WeekReconciler;
  /** Claim counts of unchanged sources, already being taken (see keptClaimCounts); the others are counted in the transaction. */
  keptClaims?: ReadonlyMap<string, Promise<number>>;
}

/** What run/ hands publish to reconcile the week: `fresh` holds this run's claims per source it published. */
export type WeekReconciler = (
  tx: Tx,
  week: string,
  runId: number,
  fresh: ReadonlyMap<string, readonly Claim[]>,
  nextFactsWeek: string | null,
) => Promise<{ counts: Pick<RunCounts, 'claims' | 'facts' | 'factsChanged' | 'needsReview'>; reopened: PublishResult['reopened'] }>;

export interface PublishResult {
  runId: number;
  week: string;
  status: 'ok' | 'partial' | 'failed';
  counts: RunCounts;
  sourceStatus: Record<string, SourceRunStatus>;
  reopened: { factKey: string; reason: string }[];
}

/** The run's sources, as the sources table lists them (kind, authority, hosts). */
export async function registerSources(db: Db | Tx, runSources: readonly SourceModule[]): Promise<void> {
  if (runSources.length === 0) return;
  // one statement for all of them (each row as given; a source listed twice keeps its last entry)
  const rows = new Map(runSources.map((s) => [s.id, { id: s.id, kind: s.kind, description: s.description, authority: s.authority, hosts: [...s.hosts] }]));
  await db
    .insert(sources)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: sources.id,
      set: { kind: sql`excluded.kind`, description: sql`excluded.description`, authority: sql`excluded.authority`, hosts: sql`excluded.hosts` },
    });
}

/** The run's status from its sources' outcomes: ok, partial or failed. */
function runStatus(outcomes: readonly SourceOutcome[]): PublishResult['status'] {
  const failed = outcomes.filter((o) => o.status !== 'ok');
  return failed.length === 0 ? 'ok' : failed.length === outcomes.length ? 'failed' : 'partial';
}

/** Opens the run record first: every row this run writes points at its id. */
async function openRun(tx: Tx, input: PublishInput): Promise<number> {
  const [run] = await tx
    .insert(runs)
    .values({
      week: input.week,
      mode: input.mode,
      status: 'running',
      startedAt: input.startedAt,
      sourceStatus: {},
      counts: {} as RunCounts,
    })
    .returning({ id: runs.id });
  return run!.id;
}

/** One row per fetch, with the page's stated freshness date read off its claims; returns how many. */
async function storeFetches(tx: Tx, runId: number, input: PublishInput): Promise<number> {
  const statedAsOf = new Map<string, unknown>();
  for (const o of input.outcomes) {
    for (const c of o.claims) if (c.provenance.statedAsOf) statedAsOf.set(c.provenance.url, c.provenance.statedAsOf);
  }
  const fetchRows = input.outcomes.flatMap((o) =>
    o.pages.map((p) => ({
      runId,
      sourceId: o.sourceId,
      url: p.url,
      httpStatus: p.page?.status ?? null,
      pageHash: p.page?.hash ?? null,
      fetchedAt: p.page?.fetchedAt ?? input.startedAt,
      etag: p.page?.headers.etag ?? null,
      lastModified: p.page?.headers['last-modified'] ?? null,
      statedAsOf: statedAsOf.get(p.url) ?? null,
      error: p.error ?? null,
    })),
  );
  for (const batch of chunks(fetchRows, 500)) await tx.insert(fetches).values(batch);
  return fetchRows.length;
}

/**
 * Claim counts of the sources not re-extracted: their claims are the ones they already had this week.
 * `input.keptClaims` holds those the run started counting before publishing (refresh.ts: taken under the
 * run's lock, so nothing has changed them since).
 */
async function keptClaimCounts(tx: Tx, input: PublishInput): Promise<Map<string, number>> {
  const keptCounts = new Map<string, number>();
  for (const o of input.outcomes) {
    if (o.unchanged) keptCounts.set(o.sourceId, await (input.keptClaims?.get(o.sourceId) ?? keptClaimCount(tx, o.sourceId, input.week)));
  }
  return keptCounts;
}

/** What the run record says of one source (claims: what it holds this week, even if not re-extracted). */
function sourceStatusOf(o: SourceOutcome, keptCounts: ReadonlyMap<string, number>): SourceRunStatus {
  return {
    status: o.status,
    ...(o.reason ? { reason: o.reason } : {}),
    pages: o.pages.length,
    observations: o.observations,
    claims: o.unchanged ? (keptCounts.get(o.sourceId) ?? 0) : o.claims.length,
    issues: o.issues.length,
    ...(o.lastGoodWeek ? { lastGoodWeek: o.lastGoodWeek } : {}),
    ...(o.extractorVersion ? { version: o.extractorVersion } : {}),
    ...(o.unchanged ? { unchanged: true } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(o.quarantinedClaims ? { quarantinedClaims: o.quarantinedClaims } : {}),
  };
}

/**
 * Claims as versions per source that succeeded; failed sources keep theirs.
 * Returns each published source's fresh claims: exactly what is valid for it this week.
 */
async function storeClaimVersions(
  tx: Tx,
  runId: number,
  input: PublishInput,
  later: Awaited<ReturnType<typeof publishedAfter>>,
  counts: RunCounts,
  sourceStatus: Record<string, SourceRunStatus>,
): Promise<Map<string, Claim[]>> {
  const fresh = new Map<string, Claim[]>();
  const keptCounts = await keptClaimCounts(tx, input);
  for (const o of input.outcomes) {
    sourceStatus[o.sourceId] = sourceStatusOf(o, keptCounts);
    counts.issues += o.issues.length;
    if (!sourcePublished(o.status) || o.unchanged) continue;
    // a source stating the same claim twice (same page, same key) keeps the first statement
    const rows = new Map<string, { contentHash: string; claim: Claim; identity: string }>();
    const kept: Claim[] = [];
    for (const c of o.claims) {
      const identity = claimIdentity(c);
      if (rows.has(identity)) continue;
      rows.set(identity, { contentHash: claimContentHash(c), claim: c, identity });
      kept.push(c);
    }
    fresh.set(o.sourceId, kept);
    // each page read's provenance once, the claim versions pointing at it
    const pageIds = await provenanceIds(tx, kept.map((c) => c.provenance));
    // qualifiers, values and excerpt heads by reference: looked up for the versions written only
    let partsOf: Awaited<ReturnType<typeof claimPartIds>> | undefined;
    const r = await writeVersions(
      tx,
      claims,
      sourceScope(o.sourceId),
      input.week,
      rows,
      (row) => claimToRow(row.claim, runId, row, pageIds.get(provenanceKey(row.claim.provenance))!, partsOf!(row.claim)),
      later.bySource.get(o.sourceId) ?? null,
      true,
      async (inserted) => {
        partsOf = await claimPartIds(tx, inserted.map((x) => x.claim));
      },
    );
    // the facts reconciled from these claims point at their versions
    for (const [identity, row] of rows) {
      // a version written now was read on this page; one kept from an earlier week on that week's
      const ownPage = r.inserted!.has(identity) ? provenanceKey(row.claim.provenance) : undefined;
      rememberClaimVersion(row.claim, { id: r.ids!.get(identity)!, ...(ownPage ? { ownPage } : {}) });
    }
    counts.claimsAdded += r.added;
    counts.claimsClosed += r.closed;
  }
  return fresh;
}

/**
 * Reconciles every claim valid this week, with reviewer decisions — unless no claim changed and
 * this week's facts were already reconciled from these very claims (then that run's counts stand).
 */
async function reconcileFacts(
  tx: Tx,
  runId: number,
  input: PublishInput,
  fresh: ReadonlyMap<string, readonly Claim[]>,
  nextFactsWeek: string | null,
  counts: RunCounts,
  trace: (step: string) => void,
): Promise<PublishResult['reopened']> {
  const [sameWeek] =
    counts.claimsAdded + counts.claimsClosed === 0
      ? await tx
          .select({ counts: runs.counts })
          .from(runs)
          .where(and(eq(runs.week, input.week), inArray(runs.status, ['ok', 'partial'])))
          .orderBy(desc(runs.id))
          .limit(1)
      : [];
  if (sameWeek) {
    const { claims: c, facts: f, needsReview } = sameWeek.counts;
    Object.assign(counts, { claims: c, facts: f, needsReview, factsChanged: 0 });
    trace('facts unchanged: reconciliation skipped');
    return [];
  }
  const rec = await input.reconcileWeek(tx, input.week, runId, fresh, nextFactsWeek);
  Object.assign(counts, rec.counts);
  return rec.reopened;
}

/** Names nobody could match, every name's resolution, and extraction issues: what a reviewer works from. */
async function storeNamesAndIssues(tx: Tx, runId: number, outcomes: readonly SourceOutcome[], counts: RunCounts): Promise<void> {
  const unmatchedRows = outcomes.flatMap((o) =>
    [...o.unmatched].map(([name, count]) => {
      const r = o.names?.get(name)?.resolved;
      const why = r && 'unmatched' in r ? r : undefined;
      return { runId, sourceId: o.sourceId, name, count, reason: why?.reason ?? null, candidates: why?.candidates ?? null };
    }),
  );
  counts.unmatched = unmatchedRows.length;
  for (const batch of chunks(unmatchedRows, 1000)) await tx.insert(unmatchedNames).values(batch);
  await insertModelNames(tx, runId, outcomes);
  await insertIssues(
    tx,
    runId,
    outcomes.flatMap((o) => o.issues),
  );
}

/** One transaction per run, in named steps: nothing of a run is visible until all of it is written. */
export async function publish(db: Db, input: PublishInput): Promise<PublishResult> {
  const result = await publishInTransaction(db, input);
  const c = result.counts;
  if (c.claimsClosed > 0 || c.factsChanged > 0) await reclaimClosedVersions(db);
  return result;
}

/**
 * Publishing a week again deletes the versions it wrote before, and a week
 * published before a later one moves ends: VACUUM makes that space reusable
 * by the next week's rows (closing a version writes an end row and leaves
 * nothing behind). PGlite runs no autovacuum, and a Postgres may run it late.
 * Maintenance only: the run is already committed, so a VACUUM the database
 * refuses changes nothing of it.
 */
async function reclaimClosedVersions(db: Db): Promise<void> {
  await db.execute(sql`vacuum claim_versions, fact_versions, claim_version_ends, fact_version_ends, model_names`).catch(() => undefined);
}

async function publishInTransaction(db: Db, input: PublishInput): Promise<PublishResult> {
  return db.transaction(async (tx) => {
    const trace = tracer('publish');
    await registerSources(tx, input.sources);
    const status = runStatus(input.outcomes);
    const runId = await openRun(tx, input);
    await archivePages(tx, input.outcomes.flatMap((o) => o.pages));
    const pages = await storeFetches(tx, runId, input);
    trace('raw pages and fetches');
    const counts: RunCounts = { pages, claims: 0, claimsAdded: 0, claimsClosed: 0, facts: 0, factsChanged: 0, needsReview: 0, issues: 0, unmatched: 0 };
    const sourceStatus: Record<string, SourceRunStatus> = {};
    const later = await publishedAfter(tx, input.week);
    const fresh = await storeClaimVersions(tx, runId, input, later, counts, sourceStatus);
    trace('claim versions');
    const reopened = await reconcileFacts(tx, runId, input, fresh, later.facts, counts, trace);
    await storeNamesAndIssues(tx, runId, input.outcomes, counts);
    await tx
      .update(runs)
      .set({ status, finishedAt: new Date().toISOString(), sourceStatus, counts })
      .where(eq(runs.id, runId));
    return { runId, week: input.week, status, counts, sourceStatus, reopened };
  });
}
