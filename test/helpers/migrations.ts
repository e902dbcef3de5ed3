/**
 * Upgrade tests: a database left at an earlier migration, as a previous
 * release would have left it, on either backend.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../pipelines/store/db.js';
import { createPgDatabase } from './db.js';

/** A copy of migrations/ that stops before migration `idx`. */
export function migrationsBefore(idx: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'mf-migrations-'));
  cpSync('migrations', dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.idx < idx);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

/** An empty database (no migration applied), closed and removed by `cleanup`. */
export async function emptyDatabase(kind: 'postgres' | 'pglite', cleanup: (() => Promise<void> | void)[]): Promise<Database> {
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
  return old;
}
