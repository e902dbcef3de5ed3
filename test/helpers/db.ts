/**
 * Fresh databases for tests: a new Postgres database per test file (created
 * and dropped here, so runs never collide) and a new PGlite folder.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateDatabase, openDatabase, type Database } from '../../pipelines/store/db.js';

export const ADMIN_URL = process.env.MODELFACTS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb {
  database: Database;
  url?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `modelfacts_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export async function freshDb(kind: 'postgres' | 'pglite'): Promise<TestDb> {
  if (kind === 'postgres') {
    const { url, drop } = await createPgDatabase();
    const database = await openDatabase({ url });
    await migrateDatabase(database);
    return {
      database,
      url,
      drop: async () => {
        await database.close();
        await drop();
      },
    };
  }
  const dataDir = freshPgliteDir();
  const database = await openDatabase({ url: '', dataDir });
  await migrateDatabase(database);
  return {
    database,
    dataDir,
    drop: async () => {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A new PGlite folder, copied from the migrated template the global setup made. */
export function freshPgliteDir(): string {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'modelfacts-pglite-')), 'db');
  const template = process.env.MODELFACTS_PGLITE_TEMPLATE;
  if (template) cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

export const BACKENDS = ['pglite', 'postgres'] as const;
