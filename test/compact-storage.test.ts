/**
 * Compact storage (migrations 0007, 0011, 0012, 0013, 0015): claims and facts are views over
 * claim_versions, fact_versions (with fact_outcomes; candidates packed), their ends (claim_version_ends,
 * fact_version_ends) and provenance. Users' SQL keeps working (the
 * views keep their columns), and a database at the previous migration upgrades
 * without losing anything: the claims and facts it held read back the same,
 * on Postgres and on PGlite.
 */
import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefresh } from '../cli/run-commands.js';
import { migrateDatabase, type Database } from '../pipelines/store/db.js';
import { loadRawPage } from '../pipelines/store/raw-pages.js';
import { runDetail } from '../pipelines/store/runs.js';
import { loadWeekReliability } from '../pipelines/store/week-reliability.js';
import { BACKENDS, freshDb, type TestDb } from './helpers/db.js';
import { emptyDatabase, migrationsBefore } from './helpers/migrations.js';

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

/**
 * A fact_versions row `f` as JSON, its packed candidate references (migration 0015) as the three arrays
 * stored before: claim versions, page reads (null when all are the claim versions' own), flags (null when none).
 */
const asArrays = sql.raw(`(to_jsonb(f) - 'candidate_refs' || jsonb_build_object(
  'candidate_claims', fact_candidate_claims(f.candidate_refs),
  'candidate_pages', CASE WHEN get_byte(f.candidate_refs, 0) & 1 = 1 THEN (SELECT jsonb_agg(r.page_id ORDER BY r.ord) FROM fact_candidate_refs(f.candidate_refs) r) END,
  'candidate_flags', CASE WHEN get_byte(f.candidate_refs, 0) & 2 = 2 THEN (SELECT jsonb_agg(fact_flags_of(r.flag_bits) ORDER BY r.ord) FROM fact_candidate_refs(f.candidate_refs) r) END))`);

/**
 * Copies every row of `src` into `old` (a database at an earlier migration), table by table in `order`
 * (referenced tables first): each table's rows as `asStored` gives them (a query returning `r`, or the rows
 * as JSON text), or as `src` stores them; each id sequence then moves past the copied ids.
 */
async function copyRows(src: Database, old: Database, order: string[], asStored: Record<string, ReturnType<typeof sql> | string> = {}) {
  for (const t of order) {
    const given = asStored[t] ?? sql`select to_jsonb(x) as r from ${sql.identifier(t)} x`;
    const json =
      typeof given === 'string' ? given : JSON.stringify((await rows<{ j: unknown }>(src, sql`select coalesce(jsonb_agg(s.r), '[]') as j from (${given}) s`))[0]!.j);
    await old.db.execute(sql`insert into ${sql.identifier(t)} select * from jsonb_populate_recordset(null::${sql.identifier(t)}, ${json}::jsonb)`);
    const [serial] = await rows<{ seq: string | null }>(
      old,
      sql`select pg_get_serial_sequence(table_name, 'id') as seq from information_schema.columns where table_schema = 'public' and table_name = ${t} and column_name = 'id'`,
    );
    if (serial?.seq) await old.db.execute(sql`select setval(${serial.seq}::regclass, (select max(id) from ${sql.identifier(t)})) where exists (select 1 from ${sql.identifier(t)})`);
  }
}

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
    const old = await emptyDatabase(kind, cleanup);
    await migrateDatabase(old, folder);
    const src = current.database;
    await copyRows(src, old, ['runs', 'claims', 'facts']);
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

    // through 0011 first (what the previous release stored), then 0012 (fact outcomes stored once) and 0013 (version ends
    // and weights stored apart): nothing users read changes
    await migrateDatabase(old, folderBefore0012);
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

  it('a database at migration 0012 upgrades: ends move out of the version rows, weights to a row per voter, nothing read changes', async () => {
    const folder = migrationsBefore(13);
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const old = await emptyDatabase(kind, cleanup);
    await migrateDatabase(old, folder);
    const src = current.database;
    // every stored row of the current database, as 0012 stored it: valid_to in the version rows, a weight per voter and attribute
    const asStored: Record<string, ReturnType<typeof sql>> = {
      claim_versions: sql`select to_jsonb(c) || jsonb_build_object('valid_to', e.valid_to) as r from claim_versions c left join claim_version_ends e on e.id = c.id`,
      fact_versions: sql`select ${asArrays} || jsonb_build_object('valid_to', e.valid_to) as r from fact_versions f left join fact_version_ends e on e.id = f.id`,
      week_reliability: sql`select jsonb_build_object('week', w.week, 'kind', w.kind, 'voter', w.voter, 'run_id', w.run_id, 'attribute', a.attribute,
          'weight', a.weight, 'applied', a.applied, 'compared', a.compared, 'agreed', a.agreed) as r
        from week_reliability w, unnest(w.attributes, w.weights, w.applied, w.compared, w.agreed) as a(attribute, weight, applied, compared, agreed)`,
      // before 0014: each issue with its texts, every raw page whole (below)
      extraction_issues: sql`select to_jsonb(i) - 'issue_id' || (to_jsonb(t) - 'id' - 'key') as r from extraction_issues i join extraction_issue_texts t on t.id = i.issue_id`,
    };
    const wholePages: Record<string, unknown>[] = [];
    for (const p of await rows<{ hash: string; content_type: string; size_bytes: number; first_seen_at: string }>(
      src,
      sql`select hash, content_type, size_bytes, first_seen_at from raw_pages order by hash`,
    )) {
      const body = (await loadRawPage(src.db, p.hash))!.body;
      wholePages.push({ ...p, body_gz: `\\x${gzipSync(body).toString('hex')}` });
    }
    const tables = (await rows<{ t: string }>(src, sql`select tablename::text as t from pg_tables where schemaname = 'public' order by 1`)).map((r) => r.t);
    const moved = ['claim_version_ends', 'fact_version_ends', 'extraction_issue_texts'];
    // referenced tables first
    const order = ['runs', 'conflicts', ...tables.filter((t) => !['runs', 'conflicts', ...moved].includes(t))];
    await copyRows(src, old, order, { ...asStored, raw_pages: JSON.stringify(wholePages) });
    // what the current database holds is what 0012 read from these rows
    expect(await snapshot(old)).toEqual(expected);
    // the fixture weeks decide no fact by learned weights: one outcome names voters, one of them without a stored weight
    await old.db.execute(sql`
      update fact_outcomes set weight_voters = array['litellm', 'nobody', 'openai-docs']
      where id = (select f.outcome_id from fact_versions f where f.attribute = 'price' and cardinality(f.candidate_claims) >= 2 order by f.id limit 1)`);
    const at0012 = await snapshot(old);
    const weighted = (at0012.facts as { weights: Record<string, number> | null }[]).flatMap((f) => (f.weights ? [f.weights] : []));
    expect(weighted.length).toBeGreaterThan(0);
    expect(weighted[0]!['nobody']).toBe(1);
    expect(weighted.some((w) => w['litellm'] !== 1 || w['openai-docs'] !== 1)).toBe(true);
    const byAttribute = sql`select week, kind, voter, attribute, weight, applied, compared, agreed, run_id from week_reliability order by week, kind, voter, attribute`;
    const weightsAt0012 = await rows(old, byAttribute);
    const [before] = await rows<{ closed: number }>(
      old,
      sql`select (select count(*)::int from claim_versions where valid_to is not null) + (select count(*)::int from fact_versions where valid_to is not null) as closed`,
    );
    // the fixture weeks close versions: the ends move
    expect(before!.closed).toBeGreaterThan(0);

    await migrateDatabase(old);
    expect(await snapshot(old)).toEqual(at0012);
    // and through 0014: every run's issues and every archived page read back as the current database reads them
    for (const r of await rows<{ id: number }>(src, sql`select id from runs order by id`)) {
      expect((await runDetail(old.db, r.id))!.issues).toEqual((await runDetail(src.db, r.id))!.issues);
    }
    for (const p of wholePages) expect((await loadRawPage(old.db, p.hash as string))!.body).toBe((await loadRawPage(src.db, p.hash as string))!.body);
    const [after] = await rows<{ ends: number; voters: number; columns: string[] | null }>(
      old,
      sql`select (select count(*)::int from claim_version_ends) + (select count(*)::int from fact_version_ends) as ends,
        (select count(*)::int from week_reliability) as voters,
        (select array_agg(table_name || '.' || column_name) from information_schema.columns
          where table_schema = 'public' and table_name in ('claim_versions', 'fact_versions') and column_name = 'valid_to') as columns`,
    );
    expect(after!.ends).toBe(before!.closed);
    expect(after!.columns).toBeNull();
    // one row per week and voter, every figure kept
    expect(after!.voters).toBeLessThan(weightsAt0012.length);
    expect(
      await rows(
        old,
        sql`select w.week, w.kind, w.voter, a.attribute, a.weight, a.applied, a.compared, a.agreed, w.run_id
          from week_reliability w, unnest(w.attributes, w.weights, w.applied, w.compared, w.agreed) as a(attribute, weight, applied, compared, agreed)
          order by week, kind, voter, attribute`,
      ),
    ).toEqual(weightsAt0012);
    for (const week of ['2026-W16', '2026-W17']) expect(await loadWeekReliability(old.db, week)).toEqual(await loadWeekReliability(src.db, week));

    // and the upgraded database takes the week again as the current one would: nothing changes
    const next = await runRefresh(old, { replay: 'fixtures/replay/2026-W17' });
    expect(next.status).not.toBe('failed');
    expect(await snapshot(old)).toEqual(at0012);
  }, 300_000);
  it('a database at migration 0014 upgrades: candidates packed byte for byte as the program packs them, nothing read changes', async () => {
    const folder = migrationsBefore(15);
    cleanup.push(() => rmSync(folder, { recursive: true, force: true }));
    const old = await emptyDatabase(kind, cleanup);
    await migrateDatabase(old, folder);
    const src = current.database;
    const tables = (await rows<{ t: string }>(src, sql`select tablename::text as t from pg_tables where schemaname = 'public' order by 1`)).map((r) => r.t);
    // every stored row of the current database, the fact versions' candidates as 0014 stored them
    const order = ['runs', 'conflicts', 'extraction_issue_texts', ...tables.filter((t) => !['runs', 'conflicts', 'extraction_issue_texts'].includes(t))];
    await copyRows(src, old, order, { fact_versions: sql`select ${asArrays} as r from fact_versions f` });
    expect(await snapshot(old)).toEqual(expected);
    const [flagged] = await rows<{ n: number; paged: number }>(
      old,
      sql`select count(*) filter (where candidate_flags is not null)::int as n, count(*) filter (where candidate_pages is not null)::int as paged from fact_versions`,
    );
    // the fixture weeks hold both: flagged candidates, and candidates seen on a later page read than their claim's
    expect(flagged!.n).toBeGreaterThan(0);
    expect(flagged!.paged).toBeGreaterThan(0);

    // a flag no name stands for stops the migration, naming it, and leaves the database as it was
    const [victim] = await rows<{ id: string; flags: unknown }>(old, sql`select id::text, candidate_flags as flags from fact_versions where candidate_flags is not null order by id limit 1`);
    await old.db.execute(sql`update fact_versions set candidate_flags = jsonb_set(candidate_flags, '{0}', '["made-up-flag"]') where id = ${victim!.id}::bigint`);
    const refused = await migrateDatabase(old).then(
      () => undefined,
      (e: unknown) => e as { cause?: { message?: string } },
    );
    // the server's own message, which the CLI prints (cli/errors.ts)
    expect(refused?.cause?.message).toMatch(/migration 0015: a stored fact candidate has the flag made-up-flag/);
    expect((await columnsOf(old, 'fact_versions')).includes('candidate_flags')).toBe(true);
    await old.db.execute(sql`update fact_versions set candidate_flags = ${JSON.stringify(victim!.flags)}::jsonb where id = ${victim!.id}::bigint`);

    await migrateDatabase(old);
    expect(await snapshot(old)).toEqual(expected);
    const packed = sql`select coalesce(jsonb_agg(jsonb_build_array(id, encode(candidate_refs, 'hex')) order by id), '[]') as j from fact_versions`;
    expect(await rows(old, packed)).toEqual(await rows(src, packed));
    expect(await columnsOf(old, 'fact_versions')).toEqual(await columnsOf(src, 'fact_versions'));
    // and the upgraded database takes the week again as the current one would: nothing changes
    const next = await runRefresh(old, { replay: 'fixtures/replay/2026-W17' });
    expect(next.status).not.toBe('failed');
    expect(await snapshot(old)).toEqual(expected);
  }, 300_000);
});
