/**
 * The raw-page archive: bodies by content hash, and which page each week's runs
 * fetched. A body whose URL was archived before is stored as a delta against
 * the newest earlier body of that URL (the catalog files change by a few
 * kilobytes a week), in chains of at most RAW_PAGE_CHAIN bodies from a full
 * one, so a read applies at most RAW_PAGE_CHAIN - 1 deltas. Every body read is
 * checked against its sha256: a damaged or missing base gives a
 * DamagedArchiveError naming the page, never other bytes.
 */
import { Failure, SourceFailure } from '../../schema/errors.js';
import { sha256Hex } from '../../schema/keys.js';
import { gunzipSync, gzipSync } from 'node:zlib';
import { and, desc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { fetches, rawPages, runs } from '../../schema/tables.js';
import type { FetchedPage } from '../fetch/types.js';
import type { Db, Tx } from './db.js';
import { applyDelta, encodeDelta } from './page-delta.js';
import { chunks } from './versions.js';

/** The week has nothing archived to work from: refresh it first. */
export class NothingArchivedError extends SourceFailure {
  constructor(message: string) {
    super(message);
    this.name = 'NothingArchivedError';
  }
}

/** A stored body that cannot be rebuilt exactly: its row, or a base it is a delta against, is damaged or gone. */
export class DamagedArchiveError extends Failure {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DamagedArchiveError';
  }
}

/** Bodies in one delta chain, the full one included: a full body is stored at least every this many versions of a URL. */
export const RAW_PAGE_CHAIN = 16;
/** A delta larger than this share of the body is not worth its chain: the body is stored whole. */
const DELTA_MAX_SHARE = 0.25;

interface ChainRow {
  hash: string;
  baseHash: string | null;
  depth: number;
  stored: Buffer;
}

const bytes = (v: Uint8Array): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength));

/** The rows of `hashes` and of every base their bodies are deltas against, by hash. */
async function chainRows(db: Db | Tx, hashes: readonly string[]): Promise<Map<string, ChainRow>> {
  const out = new Map<string, ChainRow>();
  if (hashes.length === 0) return out;
  const result = await db.execute(sql`
    with recursive chain as (
      select hash, base_hash, chain_depth, body_gz, 32767 as below from raw_pages where hash = any(${`{${hashes.join(',')}}`}::text[])
      union all
      select r.hash, r.base_hash, r.chain_depth, r.body_gz, c.chain_depth::int from raw_pages r join chain c on r.hash = c.base_hash
      -- depths fall along a chain: a damaged one is not followed further (nor round a loop)
      where c.chain_depth < c.below
    )
    select hash, base_hash, chain_depth, body_gz from chain`);
  for (const r of (result as unknown as { rows: { hash: string; base_hash: string | null; chain_depth: number; body_gz: Uint8Array }[] }).rows) {
    out.set(r.hash, { hash: r.hash, baseHash: r.base_hash, depth: Number(r.chain_depth), stored: bytes(r.body_gz) });
  }
  return out;
}

/** The page named in an error: its hash, and its URL when the caller knows it. */
const pageName = (hash: string, url?: string) => `raw page ${hash}${url ? ` (${url})` : ''}`;

/**
 * The body of `hash` rebuilt from `rows` (its chain), checked against its hash; `memo` keeps
 * bodies already rebuilt. Throws a DamagedArchiveError naming the page and the body at fault.
 */
function rebuild(rows: ReadonlyMap<string, ChainRow>, hash: string, memo: Map<string, Buffer>, url?: string): Buffer {
  const cached = memo.get(hash);
  if (cached) return cached;
  // walk back to the full body (or one already rebuilt), then forward through the deltas
  const path: ChainRow[] = [];
  let at: string | null = hash;
  let base: Buffer | undefined;
  while (at !== null) {
    const known = memo.get(at);
    if (known) {
      base = known;
      break;
    }
    const row = rows.get(at);
    if (!row) throw new DamagedArchiveError(`${pageName(hash, url)} cannot be rebuilt: the body it is a delta against (${at}) is missing from the archive`);
    // depths fall towards the full body: a chain that does not (damage) is never followed round in a loop
    if (path.length > 0 && row.depth >= path[path.length - 1]!.depth) {
      throw new DamagedArchiveError(`${pageName(hash, url)} cannot be rebuilt: the depths of its delta chain do not fall towards a full body (at ${row.hash})`);
    }
    path.push(row);
    at = row.baseHash;
  }
  // the bodies between are checked only when the page does not come out right: a page that matches its sha256 is exact
  const built: Buffer[] = [];
  let failed: { row: ChainRow; reason: string; cause: unknown } | undefined;
  for (let i = path.length - 1; i >= 0; i--) {
    const row = path[i]!;
    try {
      const stored = gunzipSync(row.stored);
      base = row.baseHash === null ? stored : applyDelta(base!, stored);
    } catch (e) {
      failed = { row, reason: (e as Error).message, cause: e };
      break;
    }
    built.push(base);
  }
  if (!failed && sha256Hex(base!) === hash) {
    memo.set(hash, base!);
    return base!;
  }
  // the body at fault: the first, from the full one on, that does not match its hash, else the one that did not apply
  const bad = built.findIndex((body, j) => sha256Hex(body) !== path[path.length - 1 - j]!.hash);
  const fault = bad >= 0 ? { row: path[path.length - 1 - bad]!, reason: 'its rebuilt body does not match its hash', cause: undefined } : failed!;
  const what = fault.row.hash === hash ? pageName(hash, url) : `${pageName(hash, url)} cannot be rebuilt: its base ${fault.row.hash}`;
  throw new DamagedArchiveError(`${what} is damaged: ${fault.reason}`, { cause: fault.cause });
}

/** The archived body of `hash` (`url` only names the page in errors); undefined when it was never archived. */
export async function loadRawPage(db: Db | Tx, hash: string, url?: string): Promise<{ body: string; contentType: string } | undefined> {
  const [row] = await db.select({ contentType: rawPages.contentType }).from(rawPages).where(eq(rawPages.hash, hash));
  if (!row) return undefined;
  const body = rebuild(await chainRows(db, [hash]), hash, new Map(), url);
  return { body: body.toString('utf8'), contentType: row.contentType };
}

/**
 * Archives the run's pages once per content hash (a page fetched again unchanged is not stored
 * twice). A new body of a URL archived before is stored as a delta against the newest body of
 * that URL unless its chain is full or the delta is not much smaller than the body.
 */
export async function archivePages(tx: Tx, fetched: readonly { url: string; page?: FetchedPage }[]): Promise<void> {
  const pages = new Map<string, { url: string; page: FetchedPage }>();
  for (const f of fetched) if (f.page) pages.set(f.page.hash, { url: f.url, page: f.page });
  const stored = new Set<string>();
  for (const hashes of chunks([...pages.keys()], 1000)) {
    const rows = await tx.select({ hash: rawPages.hash }).from(rawPages).where(inArray(rawPages.hash, hashes));
    for (const r of rows) stored.add(r.hash);
  }
  const fresh = [...pages.values()].filter((p) => !stored.has(p.page.hash));
  if (fresh.length === 0) return;
  const bases = await newestBodies(tx, [...new Set(fresh.map((p) => p.url))]);
  for (const batch of chunks(fresh, 50)) {
    await tx
      .insert(rawPages)
      .values(
        batch.map(({ url, page }) => {
          const body = Buffer.from(page.body, 'utf8');
          const row = { hash: page.hash, contentType: page.contentType, sizeBytes: body.length, firstSeenAt: page.fetchedAt };
          const base = bases.get(url);
          if (base) {
            const delta = encodeDelta(base.body, body);
            if (delta.length <= body.length * DELTA_MAX_SHARE) return { ...row, bodyGz: gzipSync(delta), baseHash: base.hash, chainDepth: base.depth + 1 };
          }
          return { ...row, bodyGz: gzipSync(body), baseHash: null, chainDepth: 0 };
        }),
      )
      .onConflictDoNothing();
  }
}

/**
 * For each URL, the newest archived body fetched from it (by fetch), when its chain has room for
 * one more delta. A body that cannot be rebuilt is no base: the new body is then stored whole.
 */
async function newestBodies(tx: Tx, urls: readonly string[]): Promise<Map<string, { hash: string; depth: number; body: Buffer }>> {
  const newest: { url: string; hash: string; depth: number }[] = [];
  for (const batch of chunks(urls, 1000)) {
    const rows = await tx
      .selectDistinctOn([fetches.url], { url: fetches.url, hash: rawPages.hash, depth: rawPages.chainDepth })
      .from(fetches)
      .innerJoin(rawPages, eq(rawPages.hash, fetches.pageHash))
      .where(inArray(fetches.url, batch))
      .orderBy(fetches.url, desc(fetches.id));
    newest.push(...rows.filter((r) => r.depth + 1 < RAW_PAGE_CHAIN));
  }
  const out = new Map<string, { hash: string; depth: number; body: Buffer }>();
  if (newest.length === 0) return out;
  const rows = await chainRows(tx, [...new Set(newest.map((r) => r.hash))]);
  const memo = new Map<string, Buffer>();
  for (const r of newest) {
    try {
      out.set(r.url, { hash: r.hash, depth: r.depth, body: rebuild(rows, r.hash, memo, r.url) });
    } catch (e) {
      if (!(e instanceof DamagedArchiveError)) throw e;
    }
  }
  return out;
}

/** For each URL fetched in a week (or just `url`), the newest archived response (runs of that week, newest first). */
export async function archivedFetches(db: Db, week: string, url?: string) {
  const rows = await db
    .selectDistinctOn([fetches.url], {
      url: fetches.url,
      hash: fetches.pageHash,
      fetchedAt: fetches.fetchedAt,
      status: fetches.httpStatus,
      runId: fetches.runId,
    })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(and(eq(runs.week, week), isNotNull(fetches.pageHash), url === undefined ? undefined : eq(fetches.url, url)))
    .orderBy(fetches.url, desc(fetches.runId), desc(fetches.id));
  return new Map(rows.map((r) => [r.url, r]));
}

export interface StoredPage {
  url: string;
  week: string;
  fetchedAt: string;
  hash: string;
  body: string;
}

/** The newest archived body of `url` fetched in `week` or before it (for exports built on a source's own file); undefined when none was archived. */
export async function latestStoredPage(db: Db, url: string, week: string): Promise<StoredPage | undefined> {
  const [row] = await db
    .select({ hash: fetches.pageHash, week: runs.week, fetchedAt: fetches.fetchedAt })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .innerJoin(rawPages, eq(rawPages.hash, fetches.pageHash))
    .where(and(eq(fetches.url, url), isNotNull(fetches.pageHash), lte(runs.week, week)))
    .orderBy(desc(runs.week), desc(fetches.runId), desc(fetches.id))
    .limit(1);
  if (!row?.hash) return undefined;
  const body = rebuild(await chainRows(db, [row.hash]), row.hash, new Map(), url);
  return { url, week: row.week, fetchedAt: new Date(row.fetchedAt).toISOString(), hash: row.hash, body: body.toString('utf8') };
}
