/**
 * Archived pages as deltas and extraction issues stored once (migration 0014):
 * every body reads back byte for byte (real weeks' catalog files included),
 * chains stay bounded, a damaged or missing base is an error naming the page,
 * the issue readers return what they did, and a database at the previous
 * migration upgrades with its pages and issues kept, on Postgres and PGlite.
 */
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { applyDelta as libraryApply } from 'fossil-delta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fetcher } from '../pipelines/fetch/index.js';
import type { FetchedPage } from '../pipelines/fetch/types.js';
import { conditionalGetter } from '../pipelines/run/conditional-get.js';
import { migrateDatabase, type Database } from '../pipelines/store/db.js';
import { insertIssues } from '../pipelines/store/issues.js';
import { applyDelta, BadDeltaError, encodeDelta } from '../pipelines/store/page-delta.js';
import { heldClaims, HELD_CLAIM_MESSAGE, keyOf } from '../pipelines/store/previous.js';
import { archivePages, DamagedArchiveError, latestStoredPage, loadRawPage, RAW_PAGE_CHAIN } from '../pipelines/store/raw-pages.js';
import { runRows } from '../pipelines/store/runs-page.js';
import { runDetail } from '../pipelines/store/runs.js';
import type { ExtractionIssue } from '../schema/observation.js';
import { sha256Hex } from '../schema/keys.js';
import { fetches, runs, type RunCounts } from '../schema/tables.js';
import { BACKENDS, freshDb, type TestDb } from './helpers/db.js';
import { emptyDatabase, migrationsBefore } from './helpers/migrations.js';

const ROOT = process.env.MODELFACTS_REAL_DATA ? resolve(process.env.MODELFACTS_REAL_DATA) : undefined;
const WEEKS_DIR = ROOT && join(ROOT, 'weeks');
const realWeeks = WEEKS_DIR && existsSync(WEEKS_DIR) ? readdirSync(WEEKS_DIR).sort() : [];
const CATALOG_FILES = ['litellm.model_prices_and_context_window.json', 'models-dev.api.json', 'openrouter.api-v1-models.data.json'];

type Rows<T> = { rows: T[] };
const rows = async <T>(db: Database, q: ReturnType<typeof sql>) => ((await db.db.execute(q)) as unknown as Rows<T>).rows;

/** A small deterministic generator (mulberry32): the same cases every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function page(url: string, body: string, fetchedAt = '2026-04-06T09:00:00.000Z'): FetchedPage {
  return { url, finalUrl: url, status: 200, contentType: 'application/json', headers: {}, body, hash: sha256Hex(body), fetchedAt, mode: 'http' };
}

/** One run of `week` that fetched `pages`: its raw pages archived as publish archives them, then its fetches. */
async function archiveRun(db: Database, week: string, pages: FetchedPage[]): Promise<number> {
  return db.db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({ week, mode: 'replay', status: 'ok', startedAt: '2026-04-06T09:00:00.000Z', sourceStatus: { s: { status: 'ok' }, a: { status: 'ok' }, b: { status: 'ok' } } as never, counts: {} as RunCounts })
      .returning({ id: runs.id });
    await archivePages(tx, pages.map((p) => ({ url: p.url, page: p })));
    if (pages.length > 0) {
      await tx.insert(fetches).values(pages.map((p) => ({ runId: run!.id, sourceId: 's', url: p.url, httpStatus: 200, pageHash: p.hash, fetchedAt: p.fetchedAt })));
    }
    return run!.id;
  });
}

async function stored(db: Database, hash: string) {
  const [r] = await rows<{ base_hash: string | null; chain_depth: number; n: number }>(
    db,
    sql`select base_hash, chain_depth, length(body_gz)::int as n from raw_pages where hash = ${hash}`,
  );
  return r!;
}

/** A catalog-like JSON page of `models` entries, version `v` changing a few of them. */
function catalog(models: number, v: number): string {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < models; i++) out[`vendor/model-${i}`] = { input: (i % 7) + (i % 13 === v % 13 ? v : 0), output: i * 2, context: 128000, name: `Modèle ${i} “β”` };
  out[`vendor/new-${v}`] = { input: v, output: v };
  return JSON.stringify(out, null, 1);
}

describe('page deltas', () => {
  it('rebuild real weeks catalog files byte for byte, as the library decoder does', () => {
    if (realWeeks.length === 0) console.warn('MODELFACTS_REAL_DATA not set: the real catalog files were not used');
    for (const file of CATALOG_FILES) {
      const versions = realWeeks.map((w) => readFileSync(join(WEEKS_DIR!, w, file)));
      for (let i = 1; i < versions.length; i++) {
        const [a, b] = [versions[i - 1]!, versions[i]!];
        const delta = encodeDelta(a, b);
        // small enough to be stored as a delta (at most a quarter of the body)
        expect(delta.length, file).toBeLessThan(b.length / 4);
        const rebuilt = applyDelta(a, delta);
        expect(rebuilt.equals(b), `${file} ${realWeeks[i]}`).toBe(true);
        expect(Buffer.from(libraryApply(new Uint8Array(a), new Uint8Array(delta))).equals(rebuilt)).toBe(true);
      }
    }
    expect(realWeeks.length === 0 || realWeeks.length === 4).toBe(true);
  });

  it('rebuild randomly edited bodies exactly (inserts, deletions, replacements, bytes of every value)', () => {
    const next = random(17);
    for (let n = 0; n < 200; n++) {
      const base = Buffer.from(Array.from({ length: Math.floor(next() * 5000) }, () => (next() < 0.8 ? 97 + Math.floor(next() * 4) : Math.floor(next() * 256))));
      let target = Buffer.from(base);
      for (let e = Math.floor(next() * 6); e > 0; e--) {
        const at = Math.floor(next() * (target.length + 1));
        const cut = Math.floor(next() * 40);
        const add = Buffer.from(Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 256)));
        target = Buffer.concat([target.subarray(0, at), add, target.subarray(Math.min(target.length, at + cut))]);
      }
      const delta = encodeDelta(base, target);
      expect(applyDelta(base, delta).equals(target), `case ${n}`).toBe(true);
      expect(Buffer.from(libraryApply(new Uint8Array(base), new Uint8Array(delta))).equals(target)).toBe(true);
    }
  });

  it('refuse a truncated or corrupt delta, or one meant for a longer base', () => {
    const base = Buffer.from(catalog(200, 1));
    const target = Buffer.from(catalog(200, 2));
    const delta = encodeDelta(base, target);
    expect(() => applyDelta(base, delta.subarray(0, delta.length - 3))).toThrow(BadDeltaError);
    expect(() => applyDelta(base, Buffer.from('not a delta'))).toThrow(BadDeltaError);
    expect(() => applyDelta(base.subarray(0, 100), delta)).toThrow(/copy past the end of the base/);
  });

  it('refuse a stated size its operations do not make, before taking that much memory', () => {
    const base = Buffer.from('abcdef');
    // ~~~~~~~~ is 64^8 - 1 bytes (2.8e14): a damaged size must not be allocated, nor turn into a RangeError
    expect(() => applyDelta(base, Buffer.from('~~~~~~~~\n3@0,0;'))).toThrow(/output of 3 bytes, 281474976710655 stated/);
    expect(() => applyDelta(base, Buffer.from('2\n3@0,0;'))).toThrow(/output larger than stated/);
    expect(applyDelta(base, Buffer.from('5\n3@0,2:xy0;')).toString()).toBe('abcxy');
  });
});

describe.each(BACKENDS)('the raw-page archive on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it.runIf(realWeeks.length > 0)('stores the real weeks after the first as deltas and reads every page back exactly', async () => {
    const db = t.database;
    const urls = CATALOG_FILES.map((f) => `https://real.example/${f}`);
    const hashes: string[][] = [];
    for (const w of realWeeks) {
      const pages = CATALOG_FILES.map((f, i) => page(urls[i]!, readFileSync(join(WEEKS_DIR!, w, f), 'utf8')));
      hashes.push(pages.map((p) => p.hash));
      await archiveRun(db, w, pages);
    }
    let full = 0;
    let deltas = 0;
    for (const [wi, w] of realWeeks.entries()) {
      for (const [fi, f] of CATALOG_FILES.entries()) {
        const raw = await loadRawPage(db.db, hashes[wi]![fi]!);
        expect(Buffer.from(raw!.body, 'utf8').equals(readFileSync(join(WEEKS_DIR!, w, f))), `${w} ${f}`).toBe(true);
        const s = await stored(db, hashes[wi]![fi]!);
        expect(s.chain_depth).toBe(wi);
        expect(s.base_hash).toBe(wi === 0 ? null : hashes[wi - 1]![fi]);
        if (wi === 0) full += s.n;
        else deltas += s.n;
      }
    }
    // three later weeks of three catalog files take under a fifth of one week stored whole
    expect(deltas).toBeLessThan(full / 5);
    const latest = await latestStoredPage(db.db, urls[1]!, realWeeks[2]!);
    expect(latest!.hash).toBe(hashes[2]![1]);
    expect(latest!.body).toBe(readFileSync(join(WEEKS_DIR!, realWeeks[2]!, CATALOG_FILES[1]!), 'utf8'));
  }, 120_000);

  it('starts a new chain with a full body every RAW_PAGE_CHAIN versions of a URL', async () => {
    const db = t.database;
    const url = 'https://chain.example/models.json';
    const versions = Array.from({ length: 2 * RAW_PAGE_CHAIN + 2 }, (_, v) => page(url, catalog(300, v)));
    for (const [v, p] of versions.entries()) await archiveRun(db, `2027-W${String(v + 1).padStart(2, '0')}`, [p]);
    for (const [v, p] of versions.entries()) {
      const s = await stored(db, p.hash);
      expect(s.chain_depth, `version ${v}`).toBe(v % RAW_PAGE_CHAIN);
      expect(s.base_hash, `version ${v}`).toBe(v % RAW_PAGE_CHAIN === 0 ? null : versions[v - 1]!.hash);
      expect((await loadRawPage(db.db, p.hash))!.body).toBe(p.body);
    }
    // the same body fetched again is not stored again; a body unlike the one before is stored whole
    await archiveRun(db, '2028-W01', [versions[3]!]);
    const other = page(url, JSON.stringify({ nothing: 'alike', n: Array.from({ length: 500 }, (_, i) => i * 7919) }));
    await archiveRun(db, '2028-W02', [other]);
    expect(await stored(db, other.hash)).toMatchObject({ base_hash: null, chain_depth: 0 });
    const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from raw_pages where hash in (${sql.join([...versions, other].map((p) => sql`${p.hash}`), sql`, `)})`);
    expect(count!.n).toBe(versions.length + 1);
  }, 120_000);

  it('names the page and the damaged or missing base instead of returning other bytes', async () => {
    const db = t.database;
    const url = 'https://damaged.example/models.json';
    const [v0, v1, v2, v3] = [0, 1, 2, 3].map((v) => page(url, catalog(200, v)));
    for (const [i, p] of [v0!, v1!, v2!].entries()) await archiveRun(db, `2029-W0${i + 1}`, [p]);
    expect(await stored(db, v2!.hash)).toMatchObject({ base_hash: v1!.hash, chain_depth: 2 });

    // a base whose bytes changed: gzip fine, content another page's
    await db.db.execute(sql`update raw_pages set body_gz = ${gzipSync(encodeDelta(Buffer.from(v0!.body), Buffer.from(catalog(200, 9))))} where hash = ${v1!.hash}`);
    const changed = loadRawPage(db.db, v2!.hash, url);
    await expect(changed).rejects.toThrow(DamagedArchiveError);
    await expect(loadRawPage(db.db, v2!.hash, url)).rejects.toThrow(`raw page ${v2!.hash} (${url}) cannot be rebuilt: its base ${v1!.hash} is damaged: its rebuilt body does not match its hash`);
    await expect(latestStoredPage(db.db, url, '2029-W03')).rejects.toThrow(DamagedArchiveError);
    // a full body that is no gzip at all
    await db.db.execute(sql`update raw_pages set body_gz = ${Buffer.from('garbage, not gzip')} where hash = ${v0!.hash}`);
    await expect(loadRawPage(db.db, v1!.hash, url)).rejects.toThrow(new RegExp(`^raw page ${v1!.hash} \\(${url.replace(/\./g, '\\.')}\\) cannot be rebuilt: its base ${v0!.hash} is damaged: `));
    await expect(loadRawPage(db.db, v0!.hash)).rejects.toThrow(`raw page ${v0!.hash} is damaged`);

    // a 304 for a page the archive cannot rebuild fetches the page whole; one it can is answered from the archive
    const asked: (string | undefined)[] = [];
    const fetcher = {
      fetch: async (u: string, _s: unknown, validators?: { etag?: string }) => {
        asked.push(validators?.etag);
        return validators ? { ...page(u, ''), status: 304, notModified: true } : page(u, v2!.body);
      },
    } as unknown as Fetcher;
    const source = { id: 's', hosts: ['damaged.example'], fetchMode: 'http' as const };
    const refetched = await conditionalGetter(db.db, fetcher, new Map([[keyOf('s', url), { hash: v2!.hash, etag: 'e2' }]]))(url, source);
    expect([refetched.body, refetched.status, asked]).toEqual([v2!.body, 200, ['e2', undefined]]);

    // the next version of the URL is not built on a damaged chain: it is stored whole
    await archiveRun(db, '2029-W04', [v3!]);
    expect(await stored(db, v3!.hash)).toMatchObject({ base_hash: null, chain_depth: 0 });
    expect((await loadRawPage(db.db, v3!.hash, url))!.body).toBe(v3!.body);
    asked.length = 0;
    const fromArchive = await conditionalGetter(db.db, fetcher, new Map([[keyOf('s', url), { hash: v3!.hash, etag: 'e3' }]]))(url, source);
    expect([fromArchive.body, fromArchive.hash, fromArchive.status, asked]).toEqual([v3!.body, v3!.hash, 304, ['e3']]);

    // a chain damaged into a loop is reported, not followed round
    await db.db.execute(sql`update raw_pages set base_hash = ${v2!.hash} where hash = ${v0!.hash}`);
    await expect(loadRawPage(db.db, v2!.hash, url)).rejects.toThrow(
      `raw page ${v2!.hash} (${url}) cannot be rebuilt: the depths of its delta chain do not fall towards a full body (at ${v2!.hash})`,
    );
    await db.db.execute(sql`update raw_pages set base_hash = null where hash = ${v0!.hash}`);

    // a base cannot be deleted from under its deltas; where it is gone anyway, the error says so
    await expect(db.db.execute(sql`delete from raw_pages where hash = ${v1!.hash}`)).rejects.toThrow();
    await db.db.execute(sql`alter table raw_pages drop constraint raw_pages_base_hash_raw_pages_hash_fk`);
    await db.db.execute(sql`delete from raw_pages where hash = ${v1!.hash}`);
    await expect(loadRawPage(db.db, v2!.hash, url)).rejects.toThrow(
      `raw page ${v2!.hash} (${url}) cannot be rebuilt: the body it is a delta against (${v1!.hash}) is missing from the archive`,
    );
    await db.db.execute(sql`delete from raw_pages where hash = ${v2!.hash}`);
    await db.db.execute(
      sql`alter table raw_pages add constraint raw_pages_base_hash_raw_pages_hash_fk foreign key (base_hash) references raw_pages(hash)`,
    );
  }, 120_000);
});

// issues as a run records them: repeats, a detail that is null, absent or holds a claim
const HELD = { sourceId: 'b', url: 'https://b.example/', message: `${HELD_CLAIM_MESSAGE} x price`, detail: { claim: { modelId: 'm/x', attribute: 'price', value: { kind: 'number', n: 0.2 } } } };
const ISSUES_1: ExtractionIssue[] = [
  { sourceId: 'b', url: 'https://b.example/', message: 'field price unreadable', detail: { field: 'price', value: '$ 1,00', nested: { z: 1, a: [1, 2, 3] } } },
  { sourceId: 'a', url: 'https://a.example/1', message: 'no model id', detail: null },
  { sourceId: 'b', url: 'https://b.example/', message: 'field price unreadable', detail: { field: 'price', value: '$ 1,00', nested: { z: 1, a: [1, 2, 3] } } },
  { sourceId: 'a', url: 'https://a.example/2', message: 'no model id' },
  HELD,
  { sourceId: 'a', url: 'https://a.example/1', message: 'no model id', detail: { row: 7 } },
];
const ISSUES_2: ExtractionIssue[] = [ISSUES_1[3]!, { sourceId: 'a', url: 'https://a.example/3', message: 'new this week', detail: 'text détail' }, ISSUES_1[0]!];

/** What runDetail listed before 0014: by source, then as recorded; detail null when absent. */
const asListed = (issues: ExtractionIssue[]) =>
  issues
    .map((i, n) => ({ n, i: { sourceId: i.sourceId, url: i.url, message: i.message, detail: i.detail ?? null } }))
    .sort((x, y) => (x.i.sourceId < y.i.sourceId ? -1 : x.i.sourceId > y.i.sourceId ? 1 : x.n - y.n))
    .map((x) => x.i);

describe.each(BACKENDS)('extraction issues on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('are stored once per distinct issue and read back by every reader as recorded', async () => {
    const db = t.database;
    const ids: number[] = [];
    for (const [week, issues] of [['2026-W15', ISSUES_1], ['2026-W16', ISSUES_2]] as const) {
      const id = await archiveRun(db, week, []);
      await db.db.transaction((tx) => insertIssues(tx, id, issues));
      ids.push(id);
    }
    expect((await runDetail(db.db, ids[0]!))!.issues).toEqual(asListed(ISSUES_1));
    expect((await runDetail(db.db, ids[1]!))!.issues).toEqual(asListed(ISSUES_2));
    const listed = await runRows(db.db, 10, 4);
    expect(listed.map((r) => [r.id, r.issueCount])).toEqual([
      [ids[1], 3],
      [ids[0], 6],
    ]);
    expect(listed[1]!.issues).toEqual(ISSUES_1.slice(0, 4).map(({ sourceId, url, message }) => ({ sourceId, url, message })));
    expect(listed[0]!.issues).toEqual(ISSUES_2.map(({ sourceId, url, message }) => ({ sourceId, url, message })));
    expect(await heldClaims(db.db, '2026-W16', 'b')).toEqual([HELD.detail.claim]);
    const [n] = await rows<{ texts: number; refs: number }>(
      db,
      sql`select (select count(*)::int from extraction_issue_texts) as texts, (select count(*)::int from extraction_issues) as refs`,
    );
    // 6 + 3 recorded, 6 distinct
    expect(n).toEqual({ texts: 6, refs: 9 });
  }, 60_000);
});

describe.each(BACKENDS)('migration 0014 on %s', (kind) => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('upgrades a database with full pages and issues: every page and issue reads back as before', async () => {
    const folder = migrationsBefore(14);
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const old = await emptyDatabase(kind, cleanup);
    await migrateDatabase(old, folder);

    // what the previous release stored: full gzip'd bodies, issues with their texts on every row
    const url = 'https://old.example/models.json';
    const pages = [page(url, catalog(150, 1)), page(url, catalog(150, 2)), page('https://old.example/other', 'ünïcode body')];
    const runIds: number[] = [];
    for (const [week, issues, ps] of [['2026-W15', ISSUES_1, pages.slice(0, 1)], ['2026-W16', ISSUES_2, pages.slice(1)]] as const) {
      const [run] = await rows<{ id: number }>(
        old,
        sql`insert into runs (week, mode, status, started_at, source_status, counts) values (${week}, 'replay', 'ok', now(), ${JSON.stringify({ b: { status: 'ok' }, a: { status: 'ok' } })}::jsonb, '{}'::jsonb) returning id`,
      );
      runIds.push(run!.id);
      for (const p of ps) {
        await old.db.execute(
          sql`insert into raw_pages (hash, content_type, size_bytes, body_gz, first_seen_at) values (${p.hash}, ${p.contentType}, ${Buffer.byteLength(p.body)}, ${gzipSync(p.body)}, ${p.fetchedAt}) on conflict do nothing`,
        );
        await old.db.execute(sql`insert into fetches (run_id, source_id, url, http_status, page_hash, fetched_at) values (${run!.id}, 's', ${p.url}, 200, ${p.hash}, ${p.fetchedAt})`);
      }
      for (const i of issues) {
        await old.db.execute(
          sql`insert into extraction_issues (run_id, source_id, url, message, detail) values (${run!.id}, ${i.sourceId}, ${i.url}, ${i.message}, ${i.detail === undefined ? null : JSON.stringify(i.detail)}::jsonb)`,
        );
      }
    }
    const [before] = await rows<{ max: number }>(old, sql`select max(id)::int as max from extraction_issues`);

    await migrateDatabase(old);
    expect((await runDetail(old.db, runIds[0]!))!.issues).toEqual(asListed(ISSUES_1));
    expect((await runDetail(old.db, runIds[1]!))!.issues).toEqual(asListed(ISSUES_2));
    const listed = await runRows(old.db, 10, 50);
    expect(listed.map((r) => r.issueCount)).toEqual([3, 6]);
    expect(listed[1]!.issues).toEqual(ISSUES_1.map(({ sourceId, url, message }) => ({ sourceId, url, message })));
    expect(await heldClaims(old.db, '2026-W16', 'b')).toEqual([HELD.detail.claim]);
    for (const p of pages) expect((await loadRawPage(old.db, p.hash, p.url))!.body).toBe(p.body);
    const [n] = await rows<{ texts: number; refs: number; max: number }>(
      old,
      sql`select (select count(*)::int from extraction_issue_texts) as texts, (select count(*)::int from extraction_issues) as refs, (select max(id)::int from extraction_issues) as max`,
    );
    expect(n).toEqual({ texts: 6, refs: 9, max: before!.max });

    // and the upgraded database goes on: the next body of a URL is a delta against the old full one, a repeated issue adds no text
    const next = page(url, catalog(150, 3));
    const runId = await archiveRun(old, '2026-W17', [next]);
    expect(await stored(old, next.hash)).toMatchObject({ base_hash: pages[1]!.hash, chain_depth: 1 });
    expect((await loadRawPage(old.db, next.hash))!.body).toBe(next.body);
    await old.db.transaction((tx) => insertIssues(tx, runId, [ISSUES_1[0]!, ISSUES_1[1]!]));
    expect((await runDetail(old.db, runId))!.issues).toEqual(asListed([ISSUES_1[0]!, ISSUES_1[1]!]));
    const [after] = await rows<{ texts: number; first: number }>(
      old,
      sql`select (select count(*)::int from extraction_issue_texts) as texts, (select min(id)::int from extraction_issues where run_id = ${runId}) as first`,
    );
    expect(after).toEqual({ texts: 6, first: before!.max + 1 });
  }, 180_000);
});
