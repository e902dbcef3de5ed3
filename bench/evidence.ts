/**
 * `node --import tsx bench/evidence.ts`: the reliability evidence a refresh (and
 * a decision's re-reconcile without stored weights) reads, read through the
 * `facts` view (as before) and from fact_versions + claim_versions (now),
 * interleaved in one process so both see the same load. Prints the medians
 * and checks the two give the same ballots. Needs DATABASE_URL with weeks loaded.
 */
import { loadavg } from 'node:os';
import { ballotsFromFacts } from '../pipelines/reconcile/index.js';
import { openDatabase } from '../pipelines/store/db.js';
import { reliabilityEvidence, reliabilityEvidenceFromView } from '../pipelines/store/reliability-evidence.js';
import { latestPublishedWeek } from '../pipelines/report/conflicts.js';

const database = await openDatabase();
try {
  const week = (await latestPublishedWeek(database.db)) ?? '2026-W17';
  const before = { before: week };
  const times = { view: [] as number[], direct: [] as number[] };
  let facts = 0;
  for (let i = 0; i < 5; i++) {
    for (const [name, read] of [['view', reliabilityEvidenceFromView], ['direct', reliabilityEvidence]] as const) {
      const t0 = performance.now();
      const rows = await read(database.db, before);
      times[name].push(performance.now() - t0);
      facts = rows.length;
    }
  }
  const a = ballotsFromFacts(await reliabilityEvidenceFromView(database.db, before));
  const b = ballotsFromFacts(await reliabilityEvidence(database.db, before));
  const same = JSON.stringify(a) === JSON.stringify(b);
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores); evidence before ${week}: ${facts} fact versions`);
  console.log(`  through the facts view: median ${median(times.view).toFixed(0)} ms; from fact_versions: median ${median(times.direct).toFixed(0)} ms (5 runs each, interleaved); same ballots: ${same}`);
  if (!same) process.exitCode = 1;
} finally {
  await database.close();
}
