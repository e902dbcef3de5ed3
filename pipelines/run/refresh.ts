/**
 * A refresh run: for each source, fetch its index and pages, extract,
 * normalize; then publish everything in one transaction. A source whose
 * pages cannot be fetched is 'broken'; one whose pages changed layout or whose
 * output fails the health checks (pipelines/normalize/health.ts) is 'quarantined'.
 * Either way its previous claims are kept — it never reads as "all prices removed".
 */
import type { Page, SourceModule } from '../../extractors/contract.js';
import { LayoutError } from '../../extractors/contract.js';
import { ParseError } from '../../extractors/parse.js';
import { SOURCES } from '../../extractors/registry.js';
import { SourceFailure } from '../../schema/errors.js';
import type { Database } from '../store/db.js';
import { Fetcher, RobotsDisallowedError, type FetchedPage, type Transport } from '../fetch/index.js';
import { checkHealth, HealthCheckError, type HealthOptions } from '../normalize/health.js';
import { heldClaims, HELD_CLAIM_MESSAGE, keptClaimCount, lastGoodPages, previousClaims, previousClaimsOfAll, previousFetches, sameAsBaseline, sourcesChangedBetween, type SourceBaseline } from '../store/previous.js';
import { conditionalGetter } from './conditional-get.js';
import type { Claim, ExtractionIssue } from '../../schema/observation.js';
import { loadAliasTable } from './aliases.js';
import { normalize, type NameUse } from '../normalize/normalize.js';
import { FactAmounts, quarantineClaims } from '../normalize/claim-quarantine.js';
import { tracer } from '../store/trace.js';
import { recordStoppedRun } from '../store/runs.js';
import { errorText, RunStoppedError } from './stopped.js';
import { publish, type PublishResult, type SourceOutcome } from '../publish/publish.js';
import { lastGoodWeeks } from '../store/published.js';
import { weekReconciler } from './reconcile-week.js';
import { sourcePublished } from '../../schema/tables.js';
import { MissingPageError } from '../fetch/missing-page.js';
import { missingPageReason } from './missing-pages.js';
import { boundHeapGrowth, heapGrowthBeside } from './heap.js';

export interface RefreshEvents {
  sourceStarted?(sourceId: string, pages: number): void;
  pageDone?(sourceId: string, url: string, ok: boolean): void;
  sourceDone?(outcome: SourceOutcome): void;
  /** Every source is done; the run is being written. */
  publishing?(): void;
  /** The run is written (or failed). */
  finished?(): void;
}

export interface RefreshOptions {
  database: Database;
  /** The sources this run fetches and extracts. */
  sources: readonly SourceModule[];
  /** Every source whose claims the database may hold (authority for reconcile, the sources table); default the registry. */
  knownSources?: readonly SourceModule[];
  week: string;
  mode: 'live' | 'replay' | 'reextract';
  transport: Transport;
  fetcherOptions?: Partial<ConstructorParameters<typeof Fetcher>[0]>;
  events?: RefreshEvents;
  /** Sources processed at the same time (each host is still limited separately). */
  concurrency?: number;
  /** Thresholds of the health checks; `skipFor` lists sources published without them (a reviewed, expected drop). */
  health?: Partial<HealthOptions> & { skipFor?: readonly string[] };
}

function toPage(p: FetchedPage): Page {
  return { url: p.url, body: p.body, contentType: p.contentType, fetchedAt: p.fetchedAt };
}

export function describeError(error: unknown): string {
  if (error instanceof LayoutError) return error.message;
  const e = error as Error;
  return e?.message ?? String(error);
}

/**
 * Extraction of one page. A value the extractor could not read and did not
 * report as a problem is a page it cannot read: a changed layout, never a bug.
 */
function extractPage(source: SourceModule, page: Page) {
  try {
    return source.extract(page);
  } catch (error) {
    if (error instanceof ParseError) throw new LayoutError(source.id, page.url, `a readable ${error.what}`, { cause: error });
    throw error;
  }
}

/** Where pages come from: the fetcher in a refresh, the raw-page archive in a re-extraction. */
export type PageGetter = (url: string, source: SourceModule) => Promise<FetchedPage>;

/** What one page yields once extracted and normalized: a distributed refresh's page job stages it. */
export interface PageReading {
  /** Fingerprint of the alias table the names were resolved with. */
  identity: string;
  extractorVersion: string;
  pageHash: string;
  observations: number;
  claims: Claim[];
  issues: ExtractionIssue[];
  unmatched: [string, number][];
  names: [string, NameUse][];
}

/** Readings made earlier (by page jobs), looked up by source and page; undefined: read the page now. */
export type ReadingLookup = (sourceId: string, url: string) => PageReading | undefined;

/** Extracts and normalizes one fetched page. Pure; a changed layout throws LayoutError. */
export function readPage(
  source: SourceModule,
  url: string,
  page: FetchedPage,
  identity: { map: ReadonlyMap<string, string>; fingerprint: string },
): PageReading {
  const extraction = extractPage(source, toPage(page));
  const n = normalize(
    extraction,
    { sourceId: source.id, url, fetchedAt: page.fetchedAt, extractorVersion: source.version, pageHash: page.hash },
    identity.map,
  );
  return {
    identity: identity.fingerprint,
    extractorVersion: source.version,
    pageHash: page.hash,
    observations: extraction.observations.length,
    claims: n.claims,
    issues: n.issues,
    unmatched: [...n.unmatched],
    names: [...n.names],
  };
}

/**
 * The pages a source fetches this run: its fixed pages, then those its index pages list
 * (in that order). An index listing nothing is a changed layout.
 */
export async function discoverPages(source: SourceModule, get: (url: string) => Promise<FetchedPage>): Promise<string[]> {
  const urls = new Set(source.pages ?? []);
  for (const indexUrl of source.index?.urls ?? []) {
    const page = await get(indexUrl);
    const found = source.index!.discover(toPage(page));
    if (found.length === 0) throw new LayoutError(source.id, indexUrl, 'model page links in the index');
    for (const u of found) urls.add(u);
  }
  return [...urls];
}

/** Fetches, extracts and normalizes one source. Pure work after the fetches. */
export async function runSource(
  source: SourceModule,
  getPage: PageGetter,
  /** The alias table the names are resolved with, and its fingerprint (a changed table re-extracts every source). */
  identity: { map: ReadonlyMap<string, string>; fingerprint: string },
  events: RefreshEvents = {},
  /** The source's claims valid the week before, to check this run's output against; no checks when absent. */
  health?: {
    previous: () => Promise<readonly Claim[]>;
    options?: Partial<HealthOptions>;
  },
  /** The pages of the source's last good run: when this run fetched the very same pages, nothing is re-extracted. */
  baseline?: SourceBaseline,
  /** Model pages fetched at once; the fetcher's per-host gates still space and cap each host. */
  pageConcurrency = DEFAULT_PAGE_CONCURRENCY,
  /** Pages already read (a distributed refresh's page jobs): used when made from the same page, extractor and alias table. */
  readings?: ReadingLookup,
): Promise<SourceOutcome> {
  const outcome: SourceOutcome = {
    sourceId: source.id,
    extractorVersion: source.version,
    status: 'ok',
    pages: [],
    observations: 0,
    claims: [],
    issues: [],
    unmatched: new Map(),
    names: new Map(),
    identity: identity.fingerprint,
  };
  const fetched = new Map<string, FetchedPage>();
  const get = async (url: string) => {
    const cached = fetched.get(url);
    if (cached) return cached;
    try {
      const page = await getPage(url, source);
      fetched.set(url, page);
      outcome.pages.push({ url, page });
      events.pageDone?.(source.id, url, true);
      return page;
    } catch (error) {
      outcome.pages.push({ url, error: describeError(error) });
      events.pageDone?.(source.id, url, false);
      throw error;
    }
  };
  try {
    const urls = new Set(await discoverPages(source, get));
    events.sourceStarted?.(source.id, urls.size);
    const discovered = new Set([...urls].filter((u) => !(source.pages ?? []).includes(u)));
    let fetchedAll;
    try {
      fetchedAll = await fetchAll([...urls], get, pageConcurrency, (url) => discovered.has(url));
    } finally {
      // pages are recorded in the order the source lists them, whatever order they arrived in
      const order = new Map([...(source.index?.urls ?? []), ...urls].map((u, i) => [u, i]));
      outcome.pages.sort((a, b) => order.get(a.url)! - order.get(b.url)!);
    }
    const { pages, disallowed, missing } = fetchedAll;
    if (baseline && baseline.identity === identity.fingerprint && sameAsBaseline(baseline, source.version, [...fetched.values()])) {
      // the same pages, read by the same extractor, make the same claims: the current ones stay
      outcome.unchanged = true;
      events.sourceDone?.(outcome);
      return outcome;
    }
    // a source is read again: the week's claims, candidates and facts follow, with the heap kept near twice what
    // is live (pipelines/run/heap.ts); a refresh whose pages are all unchanged keeps V8's default
    boundHeapGrowth();
    for (const [url, page] of pages) {
      const staged = readings?.(source.id, url);
      const usable =
        staged && staged.identity === identity.fingerprint && staged.extractorVersion === source.version && staged.pageHash === page.hash;
      const reading = usable ? staged : readPage(source, url, page, identity);
      outcome.observations += reading.observations;
      // a loop, not push(...spread): a catalog page yields more claims than a call has room for arguments
      for (const c of reading.claims) outcome.claims.push(c);
      for (const i of reading.issues) outcome.issues.push(i);
      for (const [name, count] of reading.unmatched) outcome.unmatched.set(name, (outcome.unmatched.get(name) ?? 0) + count);
      for (const [name, use] of reading.names) {
        const seen = outcome.names!.get(name);
        if (seen) seen.count += use.count;
        else outcome.names!.set(name, { ...use });
      }
    }
    if (disallowed.length > 0) outcome.reason = `${disallowed.length} page(s) disallowed by robots.txt, e.g. ${disallowed[0]}`;
    if (missing.length > 0) {
      outcome.status = 'partial';
      outcome.reason = [missingPageReason(missing, outcome.pages), outcome.reason].filter(Boolean).join('; ');
    }
    if (health) {
      const previous = await health.previous();
      const report = checkHealth(
        {
          sourceId: source.id,
          requiredAttributes: source.requiredAttributes,
          claims: outcome.claims,
          previous,
          pages: urls.size - disallowed.length - missing.length,
          issues: outcome.issues,
        },
        health.options,
      );
      if (!report.ok) throw new HealthCheckError(source.id, report);
    }
  } catch (error) {
    // only a site failure becomes a source status; a bug or a database fault stops the run (collectAndPublish)
    if (!(error instanceof SourceFailure)) throw error;
    // the site answered but what it said cannot be trusted: quarantine; it could not be fetched: broken
    outcome.status = error instanceof LayoutError || error instanceof HealthCheckError ? 'quarantined' : 'broken';
    outcome.reason = describeError(error);
    outcome.claims = [];
  }
  events.sourceDone?.(outcome);
  return outcome;
}

const DEFAULT_PAGE_CONCURRENCY = 8;

/**
 * Fetches a source's pages a few at a time, results in the given order. The
 * first failure stops new fetches and is thrown once the ones in flight end;
 * a page robots.txt disallows is only listed, unless every page is.
 */
async function fetchAll(
  urls: readonly string[],
  get: (url: string) => Promise<FetchedPage>,
  concurrency: number,
  /** Pages found through an index: a dead link there is a page-level problem, the source publishes what it got. */
  discovered: (url: string) => boolean,
): Promise<{ pages: [string, FetchedPage][]; disallowed: string[]; missing: string[] }> {
  const got: (FetchedPage | undefined)[] = new Array(urls.length);
  const disallowed: number[] = [];
  const missing: number[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  let lastSkipped: unknown;
  const worker = async () => {
    while (!failure && next < urls.length) {
      const i = next++;
      try {
        got[i] = await get(urls[i]!);
      } catch (error) {
        if (discovered(urls[i]!) && error instanceof MissingPageError) missing.push(i);
        // robots.txt says no: reported in the run's fetches, not fetched, the rest of the source goes on
        else if (error instanceof RobotsDisallowedError) disallowed.push(i);
        else {
          failure ??= { error };
          continue;
        }
        lastSkipped = error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, urls.length)) }, worker));
  if (failure) throw failure.error;
  if (urls.length > 0 && disallowed.length + missing.length === urls.length) throw lastSkipped;
  const pages: [string, FetchedPage][] = [];
  urls.forEach((u, i) => {
    if (got[i]) pages.push([u, got[i]]);
  });
  const inOrder = (xs: number[]) => xs.sort((a, b) => a - b).map((i) => urls[i]!);
  return { pages, disallowed: inOrder(disallowed), missing: inOrder(missing) };
}

/** Runs every source (a few at a time) and publishes the outcomes in one transaction. */
export async function collectAndPublish(
  opts: Pick<RefreshOptions, 'database' | 'sources' | 'knownSources' | 'week' | 'mode' | 'events' | 'concurrency' | 'health'>,
  getPage: PageGetter,
  /** Skip re-extracting sources whose pages are exactly those of their last good run (not for reextract). */
  baseline = true,
  /** A distributed refresh's finalize: the run's start time, and the pages its page jobs read. */
  staged: { startedAt?: string; readings?: ReadingLookup } = {},
): Promise<PublishResult> {
  const trace = tracer('refresh');
  // how far the heap may grow once a source is read again (runSource): less beside the embedded database
  heapGrowthBeside(opts.database.kind);
  // every source whose claims a week may hold, not only those run now: reconcile weighs them all
  const known = opts.knownSources ?? SOURCES;
  const startedAt = staged.startedAt ?? new Date().toISOString();
  // independent reads, each on a connection of its own: one round trip's wait instead of three in a row
  const [identity, baselines] = await Promise.all([
    loadAliasTable(opts.database.db),
    baseline ? lastGoodPages(opts.database.db, opts.sources.map((s) => s.id), opts.week) : new Map<string, SourceBaseline>(),
  ]);
  // a baseline only stands for this week when the source's claims are the same in both weeks
  const changed = await sourcesChangedBetween(
    opts.database.db,
    [...baselines].map(([sourceId, b]) => ({ sourceId, a: b.week, b: opts.week })),
  );
  for (const id of changed) baselines.delete(id);
  // each source's last published claims, read once: the health checks and the claim-level checks compare with them
  const previousOf = new Map<string, Promise<Claim[]>>();
  const previous = (id: string) => {
    let p = previousOf.get(id);
    if (!p) previousOf.set(id, (p = previousClaims(opts.database.db, opts.week, id)));
    return p;
  };
  const queue = [...opts.sources];
  const outcomes: SourceOutcome[] = [];
  const keptClaims = new Map<string, Promise<number>>();
  /** The first bug or infrastructure fault: no source starts after it, and nothing of the run is published. */
  let fault: { sourceId: string; error: unknown } | undefined;
  const worker = async () => {
    for (let s = queue.shift(); s && !fault; s = queue.shift()) {
      const id = s.id;
      const health = opts.health?.skipFor?.includes(id)
        ? undefined
        : {
            previous: () => previous(id),
            options: opts.health,
          };
      try {
        const outcome = await runSource(s, getPage, identity, opts.events, health, baselines.get(id), DEFAULT_PAGE_CONCURRENCY, staged.readings);
        if (outcome.unchanged && opts.database.kind === 'postgres') {
          // counted now, on a connection of its own, while the other sources are fetched: every caller holds the
          // refresh lock, so no claim changes before publish reads the count (PGlite runs one query at a time anyway)
          const count = keptClaimCount(opts.database.db, id, opts.week);
          count.catch(() => undefined); // awaited by publish; a run stopped before it must not leave an unhandled rejection
          keptClaims.set(id, count);
        }
        outcomes.push(outcome);
      } catch (error) {
        fault ??= { sourceId: id, error };
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 3 }, worker));
  if (fault) {
    const record = { week: opts.week, mode: opts.mode, startedAt, error: errorText(fault.error) };
    // the database itself may be what failed: then the error is still printed, unrecorded
    const runId = await recordStoppedRun(opts.database.db, record).catch(() => undefined);
    throw new RunStoppedError(runId, fault.sourceId, fault.error);
  }
  outcomes.sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  trace('fetch, extract and normalize');
  await holdSuspiciousClaims(opts, outcomes, previous);
  trace('claim-level checks');
  const failed = outcomes.filter((o) => !sourcePublished(o.status)).map((o) => o.sourceId);
  const lastGood = await lastGoodWeeks(opts.database.db, failed);
  for (const o of outcomes) if (lastGood.has(o.sourceId)) o.lastGoodWeek = lastGood.get(o.sourceId);
  opts.events?.publishing?.();
  try {
    return await publish(opts.database.db, {
      week: opts.week,
      mode: opts.mode,
      startedAt,
      outcomes,
      sources: known,
      reconcileWeek: weekReconciler(known, startedAt),
      keptClaims,
    });
  } finally {
    opts.events?.finished?.();
  }
}

/**
 * The claim-level checks, once every source has run: one suspicious value
 * holds back that value only (its last good version stays, the rest
 * publishes). Each source is compared with its own last published claims and
 * with the other sources' claims of this run (last week's for a source not
 * extracted now), so a change several catalogs make the same week confirms itself.
 */
async function holdSuspiciousClaims(
  opts: Pick<RefreshOptions, 'database' | 'week' | 'health' | 'knownSources'>,
  outcomes: SourceOutcome[],
  previous: (id: string) => Promise<readonly Claim[]>,
): Promise<void> {
  const checked = outcomes.filter((o) => sourcePublished(o.status) && !o.unchanged && !opts.health?.skipFor?.includes(o.sourceId));
  if (checked.length === 0) return;
  const fresh = new Set(checked.map((o) => o.sourceId));
  const lastWeek = await previousClaimsOfAll(opts.database.db, opts.week, fresh);
  const authority = new Map((opts.knownSources ?? SOURCES).map((s) => [s.id, s.authority]));
  // every list's amounts keyed by fact once, not once per source checked against it; a source's are
  // keyed again after its check held some back (the sources after it compare with what it publishes)
  const lastWeekAmounts = new FactAmounts(lastWeek);
  const amountsOf = new Map(checked.map((o) => [o, new FactAmounts(o.claims)]));
  for (const o of checked) {
    const others = [lastWeekAmounts, ...checked.filter((x) => x !== o).map((x) => amountsOf.get(x)!)];
    const q = quarantineClaims(
      { sourceId: o.sourceId, claims: o.claims, previous: await previous(o.sourceId), others, held: await heldClaims(opts.database.db, opts.week, o.sourceId) },
      // a creator's own page changing its price is the news the catalogs follow, not a slip
      { holdLoneChanges: authority.get(o.sourceId) !== 'creator' },
    );
    if (q.quarantined.length > 0) amountsOf.set(o, new FactAmounts(q.claims));
    o.claims = q.claims;
    o.quarantinedClaims = q.quarantined.length;
    for (const x of q.quarantined) {
      o.issues.push({
        sourceId: o.sourceId,
        url: x.claim.provenance.url,
        message: `${HELD_CLAIM_MESSAGE} ${x.reason}`,
        detail: { claim: x.claim, ...(x.kept ? { kept: x.kept } : {}) },
      });
    }
    if (q.quarantined.length > 0) {
      const first = q.quarantined[0]!.reason;
      o.reason = [o.reason, `${q.quarantined.length} claim(s) quarantined, e.g. ${first}`].filter(Boolean).join('; ');
    }
  }
}

export async function refresh(opts: RefreshOptions): Promise<PublishResult> {
  const release = await opts.database.lock();
  const fetcher = new Fetcher({ transport: opts.transport, ...opts.fetcherOptions });
  try {
    // read while collectAndPublish reads the alias table and the baselines; the first page fetch waits for it
    const previous = previousFetches(opts.database.db, opts.sources.map((s) => s.id));
    previous.catch(() => undefined); // a failure reaches the run through the page fetches that await it
    return await collectAndPublish(opts, conditionalGetter(opts.database.db, fetcher, previous));
  } finally {
    await fetcher.close();
    await release();
  }
}
