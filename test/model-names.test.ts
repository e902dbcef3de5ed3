/**
 * Model names are stored as changes to each source's latest set (migration
 * 0011): a run whose names did not change writes no rows, the latest set reads
 * as the run wrote it, and dropping a week leaves the sets as if it had never run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { NameUse } from '../pipelines/normalize/normalize.js';
import { insertModelNames, listModelNames } from '../pipelines/store/model-names.js';
import { dropWeek } from '../pipelines/store/weeks.js';
import { runs } from '../schema/tables.js';
import { freshDb, type TestDb } from './helpers/db.js';

const use = (name: string, modelId: string, count = 1): NameUse => ({ name, count, resolved: { modelId, rule: 'exact' } as NameUse['resolved'] });

describe('model names as changes to the latest set', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb('postgres');
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  async function run(week: string, names: NameUse[]): Promise<number> {
    const db = t.database.db;
    const [r] = await db
      .insert(runs)
      .values({ week, mode: 'replay', status: 'ok', startedAt: '2026-04-06T06:00:00Z', sourceStatus: { litellm: { status: 'ok' } } as never, counts: {} as never })
      .returning({ id: runs.id });
    await db.transaction((tx) => insertModelNames(tx, r!.id, [{ sourceId: 'litellm', names: new Map(names.map((n) => [n.name, n])) }]));
    return r!.id;
  }
  const latest = async () => (await listModelNames(t.database.db)).map((n) => `${n.name}=${n.modelId}×${n.count}`).sort();
  const stored = async () => Number(((await t.database.db.execute(sql`select count(*) as n from model_names`)) as unknown as { rows: { n: string }[] }).rows[0]!.n);

  it('writes only what changed, reads the latest set, and a dropped week leaves the sets as before it', async () => {
    await run('2026-W14', [use('gpt-4o', 'openai/gpt-4o'), use('o3', 'openai/o3'), use('old', 'openai/old')]);
    expect(await stored()).toBe(3);
    await run('2026-W15', [use('gpt-4o', 'openai/gpt-4o'), use('o3', 'openai/o3'), use('old', 'openai/old')]);
    expect(await stored()).toBe(3); // the same set: no row
    await run('2026-W16', [use('gpt-4o', 'openai/gpt-4o'), use('o3', 'openai/o3', 2), use('new', 'openai/new')]);
    expect(await stored()).toBe(5); // o3's count changed, new came, old went
    expect(await latest()).toEqual(['gpt-4o=openai/gpt-4o×1', 'new=openai/new×1', 'o3=openai/o3×2']);
    await run('2026-W17', [use('gpt-4o', 'openai/gpt-4o'), use('o3', 'openai/o3', 2), use('new', 'openai/new')]);

    // W16 never ran: W17's set (the same as W16's) stays the latest
    await dropWeek(t.database, '2026-W16');
    expect(await latest()).toEqual(['gpt-4o=openai/gpt-4o×1', 'new=openai/new×1', 'o3=openai/o3×2']);
    // W17 never ran either: W15's set is the latest again
    await dropWeek(t.database, '2026-W17');
    expect(await latest()).toEqual(['gpt-4o=openai/gpt-4o×1', 'o3=openai/o3×1', 'old=openai/old×1']);
  });
});
