/**
 * A bug is not a site outage: a TypeError in an extractor, or a database
 * statement timeout, stops the refresh (exit 1, the error printed with a
 * stack frame and stored on the run, nothing published) instead of being
 * recorded as the source being `broken`.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SourceModule } from '../extractors/contract.js';
import { migrateDatabase, openDatabase } from '../pipelines/store/db.js';
import { claims, facts, fetches, rawPages, runs } from '../schema/tables.js';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCliInProcess } from './helpers/in-process-cli.js';

// a test-only source: it reads the bundled models.dev catalog and trips over a programming error
const buggy = vi.hoisted(
  (): SourceModule => ({
    id: 'test-buggy',
    description: 'test only: an extractor with a programming error',
    kind: 'catalog',
    fetchMode: 'http',
    hosts: ['models.dev'],
    version: '1',
    authority: 'aggregator',
    requiredAttributes: [],
    pages: ['https://models.dev/api.json'],
    extract(page) {
      const parsed = JSON.parse(page.body) as Record<string, { missing?: { a: number } }>;
      return { observations: [], statedAsOf: { kind: 'date', date: String(parsed.openai!.missing!.a), precision: 'day' } };
    },
  }),
);

vi.mock('../extractors/registry.js', async (original) => {
  const real = await original<typeof import('../extractors/registry.js')>();
  const SOURCES = [...real.SOURCES, buggy];
  return { SOURCES, findSource: (id: string) => SOURCES.find((s) => s.id === id) };
});

const REPLAY = 'fixtures/replay/2026-W17';

async function nothingPublished(database: Awaited<ReturnType<typeof openDatabase>>) {
  for (const table of [claims, facts, fetches, rawPages]) expect(await database.db.select().from(table)).toEqual([]);
}

describe('a programming error in an extractor', () => {
  it('stops the refresh: exit 1, stack printed and stored, the run aborted, nothing published', async () => {
    const dataDir = freshPgliteDir();
    const env = { MODELFACTS_DATA_DIR: dataDir, DATABASE_URL: undefined };
    const run = await runCliInProcess(['refresh', '--replay', REPLAY, '--source', 'test-buggy', '--source', 'models-dev'], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run \d+ stopped while running test-buggy, nothing published: Cannot read properties of undefined/);
    expect(run.stderr).toMatch(/TypeError: Cannot read properties of undefined \(reading 'a'\)\n\s+at /);
    expect(run.stderr).toMatch(/failure-classes\.test\.ts/);

    const database = await openDatabase({ url: '', dataDir });
    try {
      const rows = await database.db.select().from(runs);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'aborted', sourceStatus: {} });
      expect(rows[0]!.error).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'a'\)\n\s+at .*failure-classes\.test\.ts/);
      await nothingPublished(database);
    } finally {
      await database.close();
    }
    // the listing shows the aborted run; no source reads as broken
    const listed = await runCliInProcess(['runs', '--json'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/"aborted"/);
    expect(listed.stdout).not.toMatch(/"broken"/);
  });
});

describe('a database statement timeout while a source runs', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let locker: pg.Client;
  beforeAll(async () => {
    db = await createPgDatabase();
    const database = await openDatabase({ url: db.url });
    await migrateDatabase(database);
    await database.close();
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker.end().catch(() => undefined);
    await db.drop();
  });

  it('stops the refresh the same way, never recording models-dev as broken with a SQL statement as reason', async () => {
    // the health check reads last week's claims: hold that table so the read times out
    await locker.query('begin');
    await locker.query('lock table claims in access exclusive mode');
    const url = new URL(db.url);
    url.searchParams.set('options', '-c statement_timeout=500');
    const run = await runCliInProcess(['refresh', '--replay', REPLAY, '--source', 'models-dev'], { DATABASE_URL: url.toString() });
    await locker.query('rollback');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run \d+ stopped while running models-dev, nothing published: Failed query: select .* from "claims"/);
    expect(run.stderr).toMatch(/canceling statement due to statement timeout\n\s+at /);

    const database = await openDatabase({ url: db.url });
    try {
      const rows = await database.db.select().from(runs);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'aborted', sourceStatus: {} });
      expect(rows[0]!.error).toMatch(/statement timeout\n\s+at /);
      await nothingPublished(database);
    } finally {
      await database.close();
    }
  });
});
