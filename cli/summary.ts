import { sql } from 'drizzle-orm';
import { conflicts, facts } from '../schema/tables.js';
import type { Db } from '../pipelines/db.js';
import { queryFacts } from '../pipelines/queries.js';
import { sourcesOf } from '../pipelines/rows.js';
import { formatQualifiers, formatValue } from './format.js';
import { table } from './output.js';

/** What `npm start` prints after the replay: facts per model, conflicts, and one model's facts in full. */
export async function printSummary(db: Db, model: string): Promise<void> {
  const perModel = await db
    .select({
      model: facts.modelId,
      facts: sql<number>`count(*)::int`,
      agreed: sql<number>`count(*) filter (where ${facts.status} = 'agreed')::int`,
      single: sql<number>`count(*) filter (where ${facts.status} = 'single-source')::int`,
      autoResolved: sql<number>`count(*) filter (where ${facts.status} = 'auto-resolved')::int`,
      needsReview: sql<number>`count(*) filter (where ${facts.status} = 'needs-review')::int`,
      reviewed: sql<number>`count(*) filter (where ${facts.status} = 'reviewed')::int`,
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
      rows.map((f) => ({
        attribute: f.attribute,
        qualifiers: formatQualifiers(f.qualifiers),
        value: formatValue(f.chosen),
        status: f.status,
        sources: sourcesOf(f).join(','),
      })),
    )}\n`,
  );
}
