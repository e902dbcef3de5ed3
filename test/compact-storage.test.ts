/**
 * Compact storage (migrations 0007, 0011, 0012): claims and facts are views over
 * claim_versions, fact_versions (with fact_outcomes) and provenance. Users' SQL keeps working (the
 * views keep their columns), and a database at the previous migration upgrades
 * without losing anything: the claims and facts it held read back the same,
 * on Postgres and on PGlite.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefresh } from '../cli/run-commands.js';
import { migrateDatabase, openDatabase, type Database } from '../pipelines/store/db.js';
import { BACKENDS, createPgDatabase, freshDb, type TestDb } from './helpers/db.js';

type Rows<T> = { rows: T[] };
const rows = async <T>(db: Database, q: ReturnType<typeof sql>) => ((await db.db.execute(q)) as unknown as Rows<T>).rows;

/** Column names of a view or table, in order. */
async function columnsOf(db: Database, name: string): Promise<string[]> {
  const r = await rows<{ column_name: string }>(
    db,
    sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${name} order by ordinal_position`,
  );
  return r.map((x) => x.column_name);
}

// what migrations 0000–0006 gave users; the lists must not change (0010 appended majority and weights to facts, after them)
const VIEW_COLUMNS: Record<string, string[]> = {
  current_facts: ['model_id', 'attribute', 'qualifiers_key', 'qualifiers', 'chosen', 'chosen_usd', 'status', 'rule', 'confidence', 'candidate_count', 'candidates', 'valid_from'],
  route_prices: ['model_id', 'route', 'unit', 'direction', 'modality', 'quality', 'size', 'tier', 'usd', 'status', 'sources', 'valid_from'],
  current_claims: ['source_id', 'model_id', 'attribute', 'qualifiers_key', 'value', 'amount_usd', 'via', 'url', 'fetched_at', 'excerpt', 'valid_from'],
  claims: ['id', 'identity', 'content_hash', 'source_id', 'model_id', 'attribute', 'qualifiers_key', 'qualifiers', 'value', 'amount_usd', 'via', 'url', 'fetched_at', 'excerpt', 'locator', 'extractor_version', 'page_hash', 'stated_as_of', 'run_id', 'valid_from', 'valid_to', 'derived'],
  facts: ['id', 'fact_key', 'content_hash', 'model_id', 'attribute', 'qualifiers_key', 'qualifiers', 'chosen', 'chosen_usd', 'rule', 'confidence', 'status', 'candidates', 'candidates_hash', 'related', 'run_id', 'valid_from', 'valid_to', 'majority', 'weights'],
};
const FACTS_AS_OF =
  'TABLE(model_id text, attribute text, qualifiers_key text, chosen jsonb, chosen_usd numeric, status text, rule text, confidence real, candidates jsonb, valid_from text, valid_to text)';

/** Everything users read: both relations and the four views, as JSON text per row. */
async function snapshot(db: Database) {
  const all = async (q: ReturnType<typeof sql>) => (await rows<{ j: unknown }>(db, q)).map((r) => r.j);
  return {
    claims: await all(sql`select to_jsonb(c) as j from claims c order by id`),
    facts: await all(sql`select to_jsonb(f) as j from facts f order by id`),
    currentFacts: await all(sql`select to_jsonb(v) as j from current_facts v order by model_id, attribute, qualifiers_key`),
    routePrices: await all(sql`select to_jsonb(v) as j from route_prices v order by model_id, route, unit, direction, modality, quality, size, tier`),
    factsAsOf: await all(sql`select to_jsonb(v) as j from facts_as_of('2026-W16') v order by model_id, attribute, qualifiers_key`),
    currentClaims: await all(sql`select to_jsonb(v) as j from current_claims v order by source_id, model_id, attribute, qualifiers_key, via, url`),
  };
}

/** A copy of migrations/ that stops before migration `idx` (0007: before compact storage, as the previous release left it). */
function migrationsBefore(idx: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-migrations-'));
  cpSync('migrations', dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < idx);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

async function migrateWith(database: Database, folder: string) {
  if (database.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(database.db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import('drizzle-orm/node-postgres/migrator');
    await migrate(database.db as never, { migrationsFolder: folder });
  }
}

describe.each(BACKENDS)('compact storage on %s', (kind) => {
  let current: TestDb;
  let expected: Awaited<ReturnType<typeof snapshot>>;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    current = await freshDb(kind);
    await runRefresh(current.database, { replay: 'fixtures/replay/2026-W16' });
    await runRefresh(current.database, { replay: 'fixtures/replay/2026-W17' });
    expected = await snapshot(current.database);
  }, 240_000);
  afterAll(async () => {
    await current?.drop();
    for (const c of cleanup.reverse()) await c();
  });

  it('the views and the claims and facts relations keep their columns', async () => {
    for (const [name, cols] of Object.entries(VIEW_COLUMNS)) expect(await columnsOf(current.database, name), name).toEqual(cols);
    const [fn] = await rows<{ r: string }>(current.database, sql`select pg_get_function_result('facts_as_of(text)'::regprocedure) as r`);
    expect(fn!.r).toBe(FACTS_AS_OF);
    expect(expected.facts.length).toBeGreaterThan(20);
    expect(expected.routePrices.length).toBeGreaterThan(0);
  });

  it('a database at the previous migration upgrades with every claim, fact and candidate kept', async () => {
    // the old database: migrations up to 0006, then the very rows the current one reads (as the old tables stored them)
    const folder = migrationsBefore(7);
    const folderBefore0012 = migrationsBefore(12);
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    cleanup.push(() => rmSync(folderBefore0012, { recursive: true, force: true }));
    let old: Database;
    if (kind === 'postgres') {
      const pgdb = await createPgDatabase();
      old = await openDatabase({ url: pgdb.url });
      cleanup.push(pgdb.drop);
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'mf-old-pglite-'));
      old = await openDatabase({ url: '', dataDir: join(dir, 'db') });
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    }
    cleanup.push(() => old.close());
    await migrateWith(old, folder);
    const src = current.database;
    const dump = async (q: ReturnType<typeof sql>) => JSON.stringify((await rows<{ j: unknown }>(src, q))[0]!.j);
    await old.db.execute(sql`insert into runs select * from jsonb_populate_recordset(null::runs, ${await dump(sql`select coalesce(jsonb_agg(to_jsonb(r)), '[]') as j from runs r`)}::jsonb)`);
    await old.db.execute(sql`insert into claims select * from jsonb_populate_recordset(null::claims, ${await dump(sql`select coalesce(jsonb_agg(to_jsonb(c)), '[]') as j from claims c`)}::jsonb)`);
    await old.db.execute(sql`insert into facts select * from jsonb_populate_recordset(null::facts, ${await dump(sql`select coalesce(jsonb_agg(to_jsonb(f)), '[]') as j from facts f`)}::jsonb)`);
    await old.db.execute(sql`select setval(pg_get_serial_sequence('runs', 'id'), (select max(id) from runs))`);
    expect(await rows(old, sql`select to_jsonb(v) as j from current_facts v order by model_id, attribute, qualifiers_key`)).toEqual(
      expected.currentFacts.map((j) => ({ j })),
    );

    // two candidates the claims alone cannot give back: one seen on a later fetch of its page, one whose claim is gone
    const [target] = await rows<{ id: string; candidates: { provenance: Record<string, unknown> }[] }>(
      old,
      sql`select id::text, candidates from facts where jsonb_array_length(candidates) >= 2 order by id limit 1`,
    );
    const planted = structuredClone(target!.candidates);
    planted[0]!.provenance.fetchedAt = '2026-04-27T09:30:00.000Z';
    planted[1]!.provenance.excerpt = 'a statement no stored claim holds';
    await old.db.execute(sql`update facts set candidates = ${JSON.stringify(planted)}::jsonb where id = ${target!.id}::bigint`);

    // through 0011 first (what the previous release stored), then 0012 (fact outcomes stored once): nothing users read changes
    await migrateWith(old, folderBefore0012);
    const at0011 = await snapshot(old);
    const [before0012] = await rows<{ n: number }>(old, sql`select count(*)::int as n from fact_versions`);
    await migrateDatabase(old);
    const after = await snapshot(old);
    expect(after).toEqual(at0011);
    const [stored] = await rows<{ versions: number; outcomes: number; columns: string[] }>(
      old,
      sql`select (select count(*)::int from fact_versions) as versions, (select count(*)::int from fact_outcomes) as outcomes,
        (select array_agg(column_name::text order by ordinal_position) from information_schema.columns where table_name = 'fact_versions') as columns`,
    );
    expect(stored!.versions).toBe(before0012!.n);
    // facts that concluded the same share one outcome row
    expect(stored!.outcomes).toBeGreaterThan(0);
    expect(stored!.outcomes).toBeLessThan(stored!.versions);
    expect(stored!.columns).not.toContain('rule_tail');
    expect(stored!.columns).not.toContain('qualifiers_key');
    const want = structuredClone(expected);
    for (const f of want.facts as { id: number; candidates: unknown }[]) if (String(f.id) === target!.id) f.candidates = planted;
    for (const f of want.factsAsOf as { candidates: unknown; valid_from: string }[]) {
      if (JSON.stringify(f.candidates) === JSON.stringify(target!.candidates)) f.candidates = planted;
    }
    for (const f of want.currentFacts as { candidates: unknown }[]) {
      if (JSON.stringify(f.candidates) === JSON.stringify(target!.candidates)) f.candidates = planted;
    }
    // fact versions stored before migration 0010 have no majority or weights recorded (a later reconcile records them)
    const without = (xs: unknown[]) => xs.map((f) => ({ ...(f as object), majority: null, weights: null }));
    expect(after.facts).toEqual(without(want.facts));
    expect(want.facts.some((f) => (f as { majority: unknown }).majority !== null)).toBe(true);
    // the claim kept for the planted candidate is valid in no week: the claims read as before
    expect(after.claims.length).toBe(expected.claims.length + 1);
    expect(after.claims.slice(0, expected.claims.length)).toEqual(expected.claims);
    expect(after.currentClaims).toEqual(expected.currentClaims);
    expect(after.routePrices).toEqual(want.routePrices);
    expect(after.currentFacts).toEqual(want.currentFacts);
    expect(after.factsAsOf).toEqual(want.factsAsOf);

    // and the upgraded database takes the next week as the current one did
    const next = await runRefresh(old, { replay: 'fixtures/replay/2026-W17' });
    expect(next.status).not.toBe('failed');
  }, 300_000);
});
