/**
 * Publish (IO): one transaction per run. Raw pages by content hash, the
 * run's fetches, claims as versions per source, facts reconciled from every
 * claim valid that week, conflicts with reviewer decisions, unmatched names
 * and extraction issues. A source that failed keeps its previous claims.
 */
import { gzipSync } from 'node:zlib';
import { and, desc, eq, gt, inArray, isNotNull, lte, notInArray, sql } from 'drizzle-orm';
import { SOURCES } from '../extractors/registry.js';
import type { Claim, ExtractionIssue } from '../schema/observation.js';
import {
  claims,
  conflicts,
  extractionIssues,
  facts,
  fetches,
  rawPages,
  runs,
  sources,
  unmatchedNames,
  type RunCounts,
  type SourceRunStatus,
} from '../schema/tables.js';
import type { DateValue } from '../schema/values.js';
import { qualifiersKey } from '../schema/qualifiers.js';
import type { Db } from './db.js';
import type { FetchedPage } from './fetch/types.js';
import { factKey, reconcile, type SourceInfo } from './reconcile/index.js';
import { canonicalValue } from './reconcile/equivalence.js';
import { claimContentHash, claimIdentity, claimToRow, factContentHash, factToRow, rowToClaim, rowToDecision } from './rows.js';
import { REVIEW_STATUSES, type Fact } from '../schema/fact.js';
import { tracer } from './trace.js';
import { referenceTime } from './week.js';
import { chunks, sourceScope, validAt, writeVersions } from './versions.js';

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
}

export interface PublishResult {
  runId: number;
  week: string;
  status: 'ok' | 'partial' | 'failed';
  counts: RunCounts;
  sourceStatus: Record<string, SourceRunStatus>;
  reopened: { factKey: string; reason: string }[];
}

export function sourceInfo(): Record<string, SourceInfo> {
  return Object.fromEntries(
    SOURCES.map((s) => [s.id, { authority: s.authority, ...(s.ownRoute ? { ownRoute: s.ownRoute } : {}) }]),
  );
}

const PROVENANCE_ATTRIBUTES = new Set<string>(['page_updated']);

export async function registerSources(db: Db | Parameters<Parameters<Db['transaction']>[0]>[0]): Promise<void> {
  for (const s of SOURCES) {
    const row = { id: s.id, kind: s.kind, description: s.description, authority: s.authority, hosts: [...s.hosts] };
    await db.insert(sources).values(row).onConflictDoUpdate({ target: sources.id, set: row });
  }
}

export async function publish(db: Db, input: PublishInput): Promise<PublishResult> {
  return db.transaction(async (tx) => {
    const trace = tracer('publish');
    await registerSources(tx);
    const failed = input.outcomes.filter((o) => o.status !== 'ok');
    const status = failed.length === 0 ? 'ok' : failed.length === input.outcomes.length ? 'failed' : 'partial';
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
    const runId = run!.id;

    // raw pages once per content hash
    const pages = new Map<string, FetchedPage>();
    for (const o of input.outcomes) for (const p of o.pages) if (p.page) pages.set(p.page.hash, p.page);
    const stored = new Set<string>();
    for (const hashes of chunks([...pages.keys()], 1000)) {
      const rows = await tx.select({ hash: rawPages.hash }).from(rawPages).where(inArray(rawPages.hash, hashes));
      for (const r of rows) stored.add(r.hash);
    }
    for (const batch of chunks([...pages.values()].filter((p) => !stored.has(p.hash)), 50)) {
      await tx
        .insert(rawPages)
        .values(
          batch.map((p) => ({
            hash: p.hash,
            contentType: p.contentType,
            sizeBytes: Buffer.byteLength(p.body),
            bodyGz: gzipSync(p.body),
            firstSeenAt: p.fetchedAt,
          })),
        )
        .onConflictDoNothing();
    }
    // a page's stated freshness date, read off its claims
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
    trace('raw pages and fetches');

    // claims: versions per source that succeeded; failed sources keep theirs
    const counts: RunCounts = {
      pages: fetchRows.length,
      claims: 0,
      claimsAdded: 0,
      claimsClosed: 0,
      facts: 0,
      factsChanged: 0,
      needsReview: 0,
      issues: 0,
      unmatched: 0,
    };
    const sourceStatus: Record<string, SourceRunStatus> = {};
    /** This run's claims of each source it published: exactly what is valid for them this week. */
    const fresh = new Map<string, Claim[]>();
    const later = await publishedAfter(tx, input.week);
    // sources not re-extracted: their claims are the ones they already had for this week
    const unchangedIds = input.outcomes.filter((o) => o.unchanged).map((o) => o.sourceId);
    const keptCounts = new Map<string, number>();
    if (unchangedIds.length > 0) {
      const rows = await tx
        .select({ sourceId: claims.sourceId, n: sql<number>`count(*)::int` })
        .from(claims)
        .where(and(inArray(claims.sourceId, unchangedIds), validAt(claims, input.week)))
        .groupBy(claims.sourceId);
      for (const r of rows) keptCounts.set(r.sourceId, r.n);
    }
    for (const o of input.outcomes) {
      sourceStatus[o.sourceId] = {
        status: o.status,
        ...(o.reason ? { reason: o.reason } : {}),
        pages: o.pages.length,
        observations: o.observations,
        claims: o.claims.length,
        issues: o.issues.length,
        ...(o.lastGoodWeek ? { lastGoodWeek: o.lastGoodWeek } : {}),
        ...(o.extractorVersion ? { version: o.extractorVersion } : {}),
        ...(o.unchanged ? { unchanged: true } : {}),
        ...(o.quarantinedClaims ? { quarantinedClaims: o.quarantinedClaims } : {}),
      };
      counts.issues += o.issues.length;
      if (o.unchanged) sourceStatus[o.sourceId]!.claims = keptCounts.get(o.sourceId) ?? 0;
      if (o.status !== 'ok' || o.unchanged) continue;
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
      const r = await writeVersions(
        tx,
        claims,
        sourceScope(o.sourceId),
        input.week,
        rows,
        (row) => claimToRow(row.claim, runId, row),
        later.bySource.get(o.sourceId) ?? null,
      );
      counts.claimsAdded += r.added;
      counts.claimsClosed += r.closed;
    }

    trace('claim versions');
    // reconcile every claim valid this week, with reviewer decisions — unless no claim changed and
    // this week's facts were already reconciled from these very claims
    const [sameWeek] =
      counts.claimsAdded + counts.claimsClosed === 0
        ? await tx
            .select({ counts: runs.counts })
            .from(runs)
            .where(and(eq(runs.week, input.week), inArray(runs.status, ['ok', 'partial'])))
            .orderBy(desc(runs.id))
            .limit(1)
        : [];
    let reopened: PublishResult['reopened'] = [];
    if (sameWeek) {
      const { claims: c, facts: f, needsReview } = sameWeek.counts;
      Object.assign(counts, { claims: c, facts: f, needsReview, factsChanged: 0 });
      trace('facts unchanged: reconciliation skipped');
    } else {
      const rec = await reconcileWeek(tx, input.week, runId, input.startedAt, fresh, later.facts);
      Object.assign(counts, rec.counts);
      reopened = rec.reopened;
    }

    // names nobody could match, and extraction issues
    const unmatchedRows = input.outcomes.flatMap((o) =>
      [...o.unmatched].map(([name, count]) => ({ runId, sourceId: o.sourceId, name, count })),
    );
    counts.unmatched = unmatchedRows.length;
    for (const batch of chunks(unmatchedRows, 1000)) await tx.insert(unmatchedNames).values(batch);
    const issueRows = input.outcomes.flatMap((o) =>
      o.issues.map((iss) => ({ runId, sourceId: iss.sourceId, url: iss.url, message: iss.message, detail: iss.detail ?? null })),
    );
    for (const batch of chunks(issueRows, 500)) await tx.insert(extractionIssues).values(batch);

    await tx
      .update(runs)
      .set({ status, finishedAt: new Date().toISOString(), sourceStatus, counts })
      .where(eq(runs.id, runId));
    return { runId, week: input.week, status, counts, sourceStatus, reopened };
  });
}

/** Marks the sources that failed with the week their kept claims were last confirmed. */
export async function lastGoodWeeks(db: Db, sourceIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (sourceIds.length === 0) return out;
  const rows = await db
    .select({ week: runs.week, sourceStatus: runs.sourceStatus })
    .from(runs)
    .where(and(inArray(runs.status, ['ok', 'partial'])));
  for (const r of rows) {
    for (const id of sourceIds) {
      if (r.sourceStatus[id]?.status === 'ok' && (out.get(id) ?? '') < r.week) out.set(id, r.week);
    }
  }
  return out;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * The first week after `week` already published: for the facts (any run that
 * reconciled) and per source (a run in which that source succeeded). What a
 * later week published stands when an earlier week arrives out of order.
 */
export async function publishedAfter(tx: Tx, week: string): Promise<{ facts: string | null; bySource: Map<string, string> }> {
  const rows = await tx
    .select({ week: runs.week, sourceStatus: runs.sourceStatus })
    .from(runs)
    .where(and(gt(runs.week, week), inArray(runs.status, ['ok', 'partial'])))
    .orderBy(runs.week);
  const bySource = new Map<string, string>();
  for (const r of rows) {
    for (const [id, st] of Object.entries(r.sourceStatus)) if (st.status === 'ok' && !bySource.has(id)) bySource.set(id, r.week);
  }
  return { facts: rows[0]?.week ?? null, bySource };
}

/**
 * Reconciles every claim valid in a week, with the reviewer decisions on
 * record, and writes the week's facts (as versions) and conflicts. Used by
 * publish and again after a reviewer decision, inside the caller's transaction.
 */
export async function reconcileWeek(
  tx: Tx,
  week: string,
  runId: number,
  now: string,
  /** Claims already in memory for some sources (just written): only the others are read back. */
  fresh: ReadonlyMap<string, readonly Claim[]> = new Map(),
  /** The first later week whose facts are already published (publishedAfter's `facts`), if the caller knows it; else read here. */
  nextFactsWeek?: string | null,
) {
  const trace = tracer('reconcileWeek');
  // the newest freshness date each page stated up to this week overrides the one stored with the claim
  const fetched = await tx
    .selectDistinctOn([fetches.url], { url: fetches.url, statedAsOf: fetches.statedAsOf })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(and(lte(runs.week, week), isNotNull(fetches.statedAsOf)))
    .orderBy(fetches.url, desc(fetches.id));
  const stated = new Map(fetched.map((f) => [f.url, f.statedAsOf as DateValue]));
  const freshIds = [...fresh.keys()];
  const stored = await tx
    .select()
    .from(claims)
    .where(and(validAt(claims, week), freshIds.length ? notInArray(claims.sourceId, freshIds) : undefined));
  const weekClaims = [...stored.map(rowToClaim), ...[...fresh.values()].flat()]
    // a page's own freshness date is provenance (it feeds statedAsOf), not a fact about the model
    .filter((c) => !PROVENANCE_ATTRIBUTES.has(c.attribute))
    .map((c) => {
      const s = stated.get(c.provenance.url);
      const own = c.provenance.statedAsOf;
      // copied only where the date differs: a week's claims are not all held twice
      if (!s || (own && canonicalValue(own) === canonicalValue(s))) return c;
      return { ...c, provenance: { ...c.provenance, statedAsOf: s } };
    });
  trace('load claims');
  const decisionRows = await tx.select().from(conflicts).where(isNotNull(conflicts.decisionValue));
  const decisions = decisionRows.map(rowToDecision);
  const result = reconcile(weekClaims, { sources: sourceInfo(), decisions, now: referenceTime(week, now) });
  trace('reconcile');
  const factRows = new Map<string, { contentHash: string; fact: Fact; key: string }>();
  let needsReview = 0;
  for (const f of result.facts) {
    const key = factKey(f);
    factRows.set(key, { contentHash: factContentHash(f), fact: f, key });
    if (f.status === 'needs-review') needsReview++;
  }
  trace('fact rows');
  const fr = await writeVersions(
    tx,
    facts,
    undefined,
    week,
    factRows,
    (row) => factToRow(row.fact, row.key, runId, row.contentHash),
    nextFactsWeek !== undefined ? nextFactsWeek : (await publishedAfter(tx, week)).facts,
  );
  trace('fact versions');

  // conflicts: one row per disputed fact key, keeping reviewer decisions
  const disputed = result.facts.filter((f) => REVIEW_STATUSES.includes(f.status));
  for (const batch of chunks(disputed, 500)) {
    await tx
      .insert(conflicts)
      .values(
        batch.map((f) => ({
          factKey: factKey(f),
          modelId: f.modelId,
          attribute: f.attribute,
          qualifiersKey: qualifiersKey(f.qualifiers),
          openedWeek: week,
          state: 'open',
        })),
      )
      .onConflictDoNothing();
  }
  // one statement per batch, each conflict with its own reason (fact keys are unique among the reopened)
  for (const batch of chunks(result.reopened, 500)) {
    const reasons = sql.join(
      batch.map((r) => sql`(${r.factKey}::text, ${r.reason}::text)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${conflicts} set "state" = 'reopened', "reason" = v.reason from (values ${reasons}) as v(fact_key, reason) where ${conflicts}."fact_key" = v.fact_key`,
    );
  }
  // candidates back to the ones reviewed: the decision holds again
  const reviewedAgain = result.facts.filter((f) => f.status === 'reviewed').map((f) => factKey(f));
  for (const batch of chunks(reviewedAgain, 500)) {
    await tx
      .update(conflicts)
      .set({ state: 'resolved', reason: null })
      .where(and(eq(conflicts.state, 'reopened'), inArray(conflicts.factKey, batch)));
  }
  return {
    counts: { claims: weekClaims.length, facts: factRows.size, factsChanged: fr.added + fr.closed, needsReview },
    reopened: result.reopened,
    facts: result.facts,
  };
}
