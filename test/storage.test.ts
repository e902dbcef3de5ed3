import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { claims } from '../schema/tables.js';
import type { Claim } from '../schema/observation.js';
import { assertSchemaCurrent, openDatabase, SchemaVersionError } from '../pipelines/db.js';
import { claimContentHash, claimToRow, rowToClaim } from '../pipelines/rows.js';
import { sourceScope, validAt, writeVersions } from '../pipelines/versions.js';
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

async function publishClaims(t: TestDb, week: string, list: Claim[]) {
  return t.database.db.transaction(async (tx) => {
    const rows = new Map(list.map((c) => {
      const row = claimToRow(c, 1);
      return [row.identity, { ...row, key: row.identity }];
    }));
    return writeVersions(tx, claims, sourceScope('openai-docs'), week, rows, ({ key: _k, ...r }) => r);
  });
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

  it('a re-published week with a changed value replaces only that week', async () => {
    await publishClaims(t, '2026-W17', [claim('openai/a', '0.0065'), claim('openai/c', '0.036')]);
    expect(await asOf(t, '2026-W17')).toEqual({ 'openai/a': '0.0065', 'openai/c': '0.036' });
    expect(await asOf(t, '2026-W16')).toEqual({ 'openai/a': '0.005', 'openai/b': '0.011' });
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
