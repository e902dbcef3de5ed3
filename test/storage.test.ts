import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { claims } from '../schema/tables.js';
import type { Claim } from '../schema/observation.js';
import { assertSchemaCurrent, openDatabase, SchemaVersionError } from '../pipelines/store/db.js';
import { claimContentHash, claimIdentity, claimToRow, rowToClaim } from '../pipelines/store/rows.js';
import { claimPartIds, splitExcerpt, splitLocator } from '../pipelines/store/claim-parts.js';
import fc from 'fast-check';
import { provenanceIds, provenanceKey } from '../pipelines/store/claim-refs.js';
import { sourceScope, validAt, writeVersions } from '../pipelines/store/versions.js';
import { BACKENDS, createPgDatabase, freshDb, type TestDb } from './helpers/db.js';

function claim(model: string, usd: string, excerpt = `price ${usd}`): Claim {
  return {
    modelId: model,
    attribute: 'price',
    qualifiers: { route: 'openai', unit: 'per_image', quality: 'low', size: '1024x1024' },
    value: { kind: 'money', usd },
    provenance: {
      sourceId: 'openai-docs',
      url: `https://platform.openai.com/docs/models/${model.split('/')[1]}`,
      fetchedAt: '2026-04-13T06:00:00.000Z',
      excerpt,
      locator: 'table#pricing tr:1 td:2',
      extractorVersion: '1',
      pageHash: 'a'.repeat(64),
    },
  };
}

/** The weeks each test database has published the source in, as its runs table would tell. */
const published = new WeakMap<TestDb, Set<string>>();

async function publishClaims(t: TestDb, week: string, list: Claim[]) {
  const weeks = published.get(t) ?? new Set<string>();
  const next = [...weeks].filter((w) => w > week).sort()[0] ?? null;
  const result = await t.database.db.transaction(async (tx) => {
    const pages = await provenanceIds(tx, list.map((c) => c.provenance));
    const parts = await claimPartIds(tx, list);
    const rows = new Map(list.map((c) => {
      const row = claimToRow(c, 1, { contentHash: claimContentHash(c) }, pages.get(provenanceKey(c.provenance))!, parts(c));
      return [claimIdentity(c), row];
    }));
    return writeVersions(tx, claims, sourceScope('openai-docs'), week, rows, (r) => r, next);
  });
  published.set(t, weeks.add(week));
  return result;
}

async function asOf(t: TestDb, week: string) {
  const rows = await t.database.db.select().from(claims).where(validAt(claims, week));
  return Object.fromEntries(rows.map(rowToClaim).map((c) => [c.modelId, c.value.kind === 'money' ? c.value.usd : '?']));
}

describe.each(BACKENDS)('storage on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(kind);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('keeps money exact in numeric columns', async () => {
    await publishClaims(t, '2026-W10', [claim('openai/x', '0.0000002')]);
    const rows = await t.database.db.execute(sql`select amount_usd::text as a from claims where model_id = 'openai/x'`);
    expect((rows as unknown as { rows: { a: string }[] }).rows[0]!.a).toBe('0.0000002');
  });

  it('versions claims by week: unchanged adds no row, changes close and open, removals close', async () => {
    const w16 = await publishClaims(t, '2026-W16', [claim('openai/a', '0.005'), claim('openai/b', '0.011')]);
    expect(w16).toEqual({ added: 2, closed: 1, unchanged: 0 }); // openai/x from W10 is gone in W16
    const again = await publishClaims(t, '2026-W16', [claim('openai/a', '0.005'), claim('openai/b', '0.011')]);
    expect(again).toEqual({ added: 0, closed: 0, unchanged: 2 });
    const w17 = await publishClaims(t, '2026-W17', [claim('openai/a', '0.006'), claim('openai/c', '0.036')]);
    expect(w17).toEqual({ added: 2, closed: 2, unchanged: 0 });
    expect(await asOf(t, '2026-W10')).toEqual({ 'openai/x': '0.0000002' });
    expect(await asOf(t, '2026-W16')).toEqual({ 'openai/a': '0.005', 'openai/b': '0.011' });
    expect(await asOf(t, '2026-W17')).toEqual({ 'openai/a': '0.006', 'openai/c': '0.036' });
    expect(await asOf(t, '2026-W30')).toEqual({ 'openai/a': '0.006', 'openai/c': '0.036' });
  });

  it('a claim read back from jsonb (keys reordered) hashes as it did when written', async () => {
    const c = claim('openai/hash', '0.25');
    await publishClaims(t, '2026-W11', [c]);
    const rows = await t.database.db.select().from(claims).where(validAt(claims, '2026-W11'));
    const back = rows.map(rowToClaim).find((x) => x.modelId === 'openai/hash')!;
    expect(claimContentHash(back)).toBe(claimContentHash(c));
  });

  it('accepts a week published out of order without disturbing later weeks', async () => {
    await publishClaims(t, '2026-W12', [claim('openai/a', '0.004')]);
    expect(await asOf(t, '2026-W12')).toEqual({ 'openai/a': '0.004' });
    expect(await asOf(t, '2026-W16')).toEqual({ 'openai/a': '0.005', 'openai/b': '0.011' });
  });

  it('keeps every character of scraped text through the bulk load: tabs, newlines, backslashes, quotes, non-ASCII', async () => {
    const nasty = 'a\tb\nc\r\nd \\N e\\ "q" \'s\' — 価格 😀 \\t';
    const c = claim('openai/nasty', '0.5', nasty);
    c.provenance.locator = 'td:nth-child(2)\t\\';
    await publishClaims(t, '2026-W13', [c]);
    const rows = await t.database.db.select().from(claims).where(validAt(claims, '2026-W13'));
    const back = rows.map(rowToClaim).find((x) => x.modelId === 'openai/nasty')!;
    expect(back.provenance.excerpt).toBe(nasty);
    expect(back.provenance.locator).toBe('td:nth-child(2)\t\\');
    expect(back.qualifiers).toEqual(c.qualifiers);
    expect(back.provenance.statedAsOf).toBeUndefined();
    expect(claimContentHash(back)).toBe(claimContentHash(c));
  });

  it('stores repeated parts once (values, qualifiers, excerpt and locator heads) and reads every claim back exactly as written', async () => {
    const entry = (attr: string, usd: string, qualifiers: Claim['qualifiers']): Claim => {
      const c = claim('openai/parts', usd, `openai/parts: "${attr}": ${usd}`);
      c.qualifiers = qualifiers;
      c.provenance.locator = `$["openai/parts"].${attr}`;
      return c;
    };
    const list = [
      entry('input_cost', '1.50', { route: 'openai', unit: 'per_1m_tokens', direction: 'input' }),
      // the same amount written another way is another value; the same qualifiers in another key order are one set
      entry('output_cost', '1.5', { direction: 'output', unit: 'per_1m_tokens', route: 'openai' }),
      entry('cache_cost', '1.50', { unit: 'per_1m_tokens', route: 'openai', direction: 'output' }),
    ];
    list[2]!.modelId = 'openai/parts-2';
    await publishClaims(t, '2026-W14', list);
    const back = (await t.database.db.select().from(claims).where(validAt(claims, '2026-W14')))
      .map(rowToClaim)
      .filter((c) => c.modelId.startsWith('openai/parts'))
      .sort((a, b) => a.provenance.locator.localeCompare(b.provenance.locator));
    const want = [...list].sort((a, b) => a.provenance.locator.localeCompare(b.provenance.locator));
    expect(back.map((c) => [c.value, c.qualifiers, c.provenance.excerpt, c.provenance.locator])).toEqual(
      want.map((c) => [c.value, c.qualifiers, c.provenance.excerpt, c.provenance.locator]),
    );
    const count = async (q: ReturnType<typeof sql>) => Number(((await t.database.db.execute(q)) as unknown as { rows: { n: string }[] }).rows[0]!.n);
    expect(await count(sql`select count(*) as n from claim_values where value in ('{"kind":"money","usd":"1.50"}'::jsonb, '{"kind":"money","usd":"1.5"}'::jsonb)`)).toBe(2);
    expect(await count(sql`select count(*) as n from claim_heads where excerpt = 'openai/parts: ' and locator = '$["openai/parts"]'`)).toBe(1);
    expect(await count(sql`select count(distinct head_id) as n from claim_versions where model_id like 'openai/parts%' and valid_from = '2026-W14'`)).toBe(1);
    expect(await count(sql`select count(distinct qualifiers_id) as n from claim_versions where model_id like 'openai/parts%' and valid_from = '2026-W14'`)).toBe(2);
  });

  it('a bulk load that the database refuses rolls the whole write back, with the database\'s reason', async () => {
    const before = await asOf(t, '2026-W16');
    const broken = claim('openai/broken', '0.1');
    (broken.provenance as { url: unknown }).url = null;
    await expect(publishClaims(t, '2026-W16', [claim('openai/a', '0.007'), broken])).rejects.toThrow(/url/);
    expect(await asOf(t, '2026-W16')).toEqual(before);
  });

  it('an earlier week published after a later one changes nothing from the later week on, even where that week added no row', async () => {
    await publishClaims(t, '2026-W40', [claim('openai/p', '1'), claim('openai/q', '1')]);
    const w44 = await publishClaims(t, '2026-W44', [claim('openai/p', '1'), claim('openai/q', '1')]);
    expect(w44.added).toBe(0);
    await publishClaims(t, '2026-W42', [claim('openai/p', '2'), claim('openai/r', '3')]);
    expect(await asOf(t, '2026-W41')).toEqual({ 'openai/p': '1', 'openai/q': '1' });
    expect(await asOf(t, '2026-W42')).toEqual({ 'openai/p': '2', 'openai/r': '3' });
    expect(await asOf(t, '2026-W43')).toEqual({ 'openai/p': '2', 'openai/r': '3' });
    expect(await asOf(t, '2026-W44')).toEqual({ 'openai/p': '1', 'openai/q': '1' });
    expect(await asOf(t, '2026-W50')).toEqual({ 'openai/p': '1', 'openai/q': '1' });
    // and publishing W42 again, unchanged, adds nothing
    expect(await publishClaims(t, '2026-W42', [claim('openai/p', '2'), claim('openai/r', '3')])).toEqual({ added: 0, closed: 0, unchanged: 2 });
    expect(await asOf(t, '2026-W44')).toEqual({ 'openai/p': '1', 'openai/q': '1' });
  });

  it('a re-published week with a changed value replaces only that week', async () => {
    await publishClaims(t, '2026-W17', [claim('openai/a', '0.0065'), claim('openai/c', '0.036')]);
    expect(await asOf(t, '2026-W17')).toEqual({ 'openai/a': '0.0065', 'openai/c': '0.036' });
    expect(await asOf(t, '2026-W16')).toEqual({ 'openai/a': '0.005', 'openai/b': '0.011' });
  });

  it('closing a version leaves its row as written; a week published between later ones carries on what it ends, with its end', async () => {
    const xmin = async () =>
      ((await t.database.db.execute(sql`select xmin::text as x from claim_versions where model_id = 'openai/s' and valid_from = '2026-W60'`)) as unknown as { rows: { x: string }[] }).rows.map((r) => r.x);
    await publishClaims(t, '2026-W60', [claim('openai/s', '1'), claim('openai/u', '1')]);
    const written = await xmin();
    expect(written).toHaveLength(1);
    expect((await publishClaims(t, '2026-W62', [claim('openai/s', '1'), claim('openai/u', '1')])).added).toBe(0);
    // s ends at W64: an end row, not a new version of its row
    expect(await publishClaims(t, '2026-W64', [claim('openai/u', '1')])).toEqual({ added: 0, closed: 1, unchanged: 1 });
    expect(await xmin()).toEqual(written);
    // W61 ends s there; what W62 and W63 said stays, up to the end W64 gave it
    await publishClaims(t, '2026-W61', [claim('openai/u', '1')]);
    expect(await xmin()).toEqual(written);
    expect(await asOf(t, '2026-W60')).toEqual({ 'openai/s': '1', 'openai/u': '1' });
    expect(await asOf(t, '2026-W61')).toEqual({ 'openai/u': '1' });
    expect(await asOf(t, '2026-W62')).toEqual({ 'openai/s': '1', 'openai/u': '1' });
    expect(await asOf(t, '2026-W63')).toEqual({ 'openai/s': '1', 'openai/u': '1' });
    expect(await asOf(t, '2026-W64')).toEqual({ 'openai/u': '1' });
  });
});

describe('embedded database settings', () => {
  it('makes new WAL segments without zero-filling them, with its small shared buffers', async () => {
    const t = await freshDb('pglite');
    try {
      const show = async (name: string) => {
        const result = (await t.database.db.execute(sql.raw(`show ${name}`))) as unknown as { rows: Record<string, string>[] };
        return result.rows[0]?.[name];
      };
      expect(await show('wal_init_zero')).toBe('off');
      expect(await show('shared_buffers')).toBe('32MB');
      // fsync was off already (PGlite's own start parameters): zero-filling reserved space, it made nothing durable
      expect(await show('fsync')).toBe('off');
    } finally {
      await t.drop();
    }
  });
});

describe('schema version check', () => {
  it('refuses a database with no schema, naming the fix', async () => {
    const { url, drop } = await createPgDatabase();
    const database = await openDatabase({ url });
    try {
      await expect(assertSchemaCurrent(database)).rejects.toThrow(SchemaVersionError);
      await expect(assertSchemaCurrent(database)).rejects.toThrow(/modelfacts migrate/);
    } finally {
      await database.close();
      await drop();
    }
  });

  it('names an unreachable server', async () => {
    await expect(openDatabase({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(/cannot connect to postgres:\/\/nobody@127\.0\.0\.1:1\/none/);
  });
});

describe('excerpt and locator heads', () => {
  it('split any text into a head and a rest that join back to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        for (const split of [splitExcerpt, splitLocator]) {
          const [head, rest] = split(text);
          expect(head + rest).toBe(text);
        }
      }),
    );
    expect(splitExcerpt('openai/gpt-4o: "max_tokens": 4096')).toEqual(['openai/gpt-4o: ', '"max_tokens": 4096']);
    expect(splitLocator('$["openai/gpt-4o"].limit.output')).toEqual(['$["openai/gpt-4o"]', '.limit.output']);
    expect(splitLocator('table#pricing tr:1 td:2')).toEqual(['', 'table#pricing tr:1 td:2']);
  });
});
