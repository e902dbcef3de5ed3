/**
 * Database and input errors are one sentence with the right exit code: a
 * database migrated by a newer program is refused, a conflict id past the
 * 32-bit range is bad input, and a failed query shows the server's reason,
 * not the SQL. On both backends through the real CLI.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../pipelines/store/db.js';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCliInProcess as cli } from './helpers/in-process-cli.js';

describe.each(['pglite', 'postgres'] as const)('errors on %s', (kind) => {
  let env: Record<string, string>;
  let url = '';
  let dataDir = '';
  let drop = async () => {};
  const open = () => openDatabase(kind === 'pglite' ? { url: '', dataDir } : { url });
  beforeAll(async () => {
    if (kind === 'pglite') {
      dataDir = freshPgliteDir();
      env = { DATABASE_URL: '', MODELFACTS_DATA_DIR: dataDir };
    } else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      url = pg.url;
      env = { DATABASE_URL: url };
    }
    const database = await open();
    await migrateDatabase(database);
    await database.close();
  });
  afterAll(() => drop());

  it('a conflict id beyond the id range is bad input, in one line', async () => {
    const r = await cli(['resolve', '2147483648', '--value', '1', '--note', 'x'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('modelfacts: conflict id must be between 1 and 2147483647 (got 2147483648)\n');
  });

  if (kind === 'postgres') {
    it('a failed query prints the server reason, not the SQL', async () => {
      const u = new URL(url);
      u.searchParams.set('options', '-c search_path=nowhere');
      const r = await cli(['runs'], { DATABASE_URL: u.toString() });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('modelfacts: database error: relation "runs" does not exist\n');
    });
  }

  it('refuses a database migrated by a newer modelfacts', async () => {
    const database = await open();
    await database.db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 9999999999999)`);
    await database.close();
    const r = await cli(['runs'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^modelfacts: the database \(.*\) is at a newer schema than this program \(1 migration\(s\) it does not know\): upgrade modelfacts\n$/);
    const m = await cli(['migrate'], env);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/newer schema/);
  });
});
