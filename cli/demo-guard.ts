/**
 * `demo` (what `npm start` runs) writes the bundled fixture weeks. It must
 * not mix them into a database holding real data: with DATABASE_URL set (the
 * README's Postgres section exports it) it refuses unless --yes, and it
 * refuses any database that already holds weeks other than the bundled ones.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../pipelines/store/db.js';
import { UsageError } from './errors.js';

export function demoRefusal(why: string): UsageError {
  return new UsageError(
    `${why}: the demo would write its fixture weeks into that database; unset DATABASE_URL (the demo then uses ./.modelfacts), or run \`modelfacts demo --yes\` to write them anyway`,
  );
}

/** Refuses a database that holds a week the demo does not write. */
export async function assertDemoOnly(database: Database, demoWeeks: readonly string[]): Promise<void> {
  const res = (await database.db.execute(sql`select distinct week from runs order by week`)) as unknown as { rows: { week: string }[] };
  const other = res.rows.map((r) => r.week).filter((w) => !demoWeeks.includes(w));
  if (other.length > 0) {
    throw demoRefusal(`${database.describe} already holds other weeks (${other.slice(0, 3).join(', ')}${other.length > 3 ? ', …' : ''})`);
  }
}
