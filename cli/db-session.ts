import { assertSchemaCurrent, migrateDatabase, openDatabase, refuseNewerSchema, type Database, type OpenOptions } from '../pipelines/store/db.js';

/**
 * Opens the database for a command and closes it afterwards. The embedded
 * database is created and migrated on first use; a Postgres database must be
 * at the current schema (run `modelfacts migrate`).
 */
export async function withDatabase<T>(fn: (database: Database) => Promise<T>, opts: Pick<OpenOptions, 'poolMax' | 'asyncCommit'> = {}): Promise<T> {
  const database = await openDatabase(opts);
  try {
    if (database.kind === 'pglite') {
      await refuseNewerSchema(database);
      await migrateDatabase(database);
    } else await assertSchemaCurrent(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}
