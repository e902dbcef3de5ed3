/**
 * Creating a PGlite database runs initdb (tens of seconds on a busy 2-core
 * machine), so tests copy one migrated template folder made here once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../../pipelines/store/db.js';

export default async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'modelfacts-template-'));
  const dir = join(root, 'db');
  const database = await openDatabase({ url: '', dataDir: dir });
  await migrateDatabase(database);
  await database.close();
  process.env.MODELFACTS_PGLITE_TEMPLATE = dir;
  return () => rmSync(root, { recursive: true, force: true });
}
