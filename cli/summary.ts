import { sql } from 'drizzle-orm';
import { conflicts, facts } from '../schema/tables.js';
import type { Db } from '../pipelines/store/db.js';
import { FACT_STATUSES } from '../pipelines/report/conflicts.js';
import { queryFacts } from '../pipelines/store/queries.js';
import type { FactStatus } from '../schema/fact.js';
import { factRow } from './format.js';
import { table } from './output.js';

/** The summary's column for each fact status, in FACT_STATUSES order. */
const STATUS_COLUMN: Record<FactStatus, string> = {
  agreed: 'agreed',
  'single-source': 'single',
  'auto-resolved': 'autoResolved',
  'needs-review': 'needsReview',
  reviewed: 'reviewed',
};

/** What `npm start` prints after the replay: facts per model, conflicts, and one model's facts in full. */
export async function printSummary(db: Db, model: string): Promise<void> {
  const perModel = await db
    .select({
      model: facts.modelId,
      facts: sql<number>`count(*)::int`,
      ...Object.fromEntries(
        FACT_STATUSES.map((s) => [STATUS_COLUMN[s], sql<number>`count(*) filter (where ${facts.status} = ${s})::int`]),
      ),
    })
    .from(facts)
    .where(sql`${facts.validTo} is null`)
    .groupBy(facts.modelId)
    .orderBy(sql`count(*) desc`, facts.modelId)
    .limit(25);
  const [open] = await db
    .select({ n: sql<number>`count(*) filter (where ${conflicts.state} in ('open','reopened'))::int` })
    .from(conflicts);
  process.stdout.write(`\nFacts per model (current, top 25):\n${table(perModel)}\n`);
  process.stdout.write(`\nOpen conflicts: ${open?.n ?? 0} (see \`modelfacts conflicts\`)\n`);
  const rows = await queryFacts(db, { model });
  process.stdout.write(`\nFacts for ${model}:\n`);
  process.stdout.write(
    `${table(
      rows.map(factRow),
    )}\n`,
  );
}
