/**
 * `node --import tsx bench/decision.ts`: what a reviewer decision's
 * re-reconcile of one model and attribute costs with the week's stored
 * weights (now) and with learning them again from every stored fact (before,
 * and still the fallback for a week reconciled before weights were stored),
 * interleaved on the same conflicts (the review queue's first ten), each in a
 * transaction rolled back; and how many of the facts each gives differ from
 * the ones the week's full run published (status, chosen value or rule).
 * Needs DATABASE_URL with weeks loaded.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { SOURCES } from '../extractors/registry.js';
import { weekReliability } from '../schema/tables.js';
import { latestPublishedWeek, latestRunOfWeek } from '../pipelines/report/conflicts.js';
import { reconcileWeek } from '../pipelines/run/reconcile-week.js';
import { openDatabase } from '../pipelines/store/db.js';
import { queuePage } from '../pipelines/store/review-queue.js';
import { isoTimestamp } from '../pipelines/store/rows.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { factKey } from '../pipelines/reconcile/index.js';

class Rollback extends Error {}

const database = await openDatabase();
try {
  const week = await latestPublishedWeek(database.db);
  const run = week ? await latestRunOfWeek(database.db, week) : undefined;
  if (!week || !run) throw new Error('bench/decision: nothing published in DATABASE_URL');
  const items = (await queuePage(database.db, { week, pageSize: 10 })).items;
  const times = { stored: [] as number[], learned: [] as number[] };
  const differ = { stored: 0, learned: 0, facts: 0 };
  const outcome = (f: { status: string; chosen?: unknown; rule: string }) => JSON.stringify([f.status, f.chosen ?? null, f.rule]);
  const once = async (item: (typeof items)[number], learn: boolean) => {
    const published = new Map(
      (await queryFacts(database.db, { model: item.modelId, attribute: item.attribute, asOf: week })).map((f) => [f.factKey, outcome(f)]),
    );
    const t0 = performance.now();
    let ms = 0;
    try {
      await database.db.transaction(async (tx) => {
        if (learn) await tx.delete(weekReliability).where(sql`${weekReliability.week} = ${week}`);
        const rec = await reconcileWeek(tx, SOURCES, week, run.id, isoTimestamp(run.startedAt), new Map(), undefined, { modelId: item.modelId, attribute: item.attribute });
        ms = performance.now() - t0;
        if (!learn) differ.facts += rec.facts.length;
        differ[learn ? 'learned' : 'stored'] += rec.facts.filter((f) => published.get(factKey(f)) !== outcome(f)).length;
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    return ms;
  };
  for (const item of items) {
    times.stored.push(await once(item, false));
    times.learned.push(await once(item, true));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores); week ${week}, ${items.length} conflicts of the queue's first page, interleaved`);
  console.log(
    `  re-reconcile of the conflict's model and attribute: with the stored weights median ${median(times.stored).toFixed(0)} ms (max ${Math.max(...times.stored).toFixed(0)}); learning them again median ${median(times.learned).toFixed(0)} ms (max ${Math.max(...times.learned).toFixed(0)})`,
  );
  console.log(`  facts (of ${differ.facts}) whose status, value or rule differ from the week's published ones: with the stored weights ${differ.stored}; learning them again ${differ.learned}`);
} finally {
  await database.close();
}
