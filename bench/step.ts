/**
 * One benchmark step in its own process (so peak RSS is this step's alone):
 * replay one real-data week into DATABASE_URL and print a JSON line of figures.
 * Usage: node --import tsx bench/step.ts <week folder>
 */
import { runRefresh } from '../cli/run-commands.js';
import { openDatabase } from '../pipelines/store/db.js';

const [folder] = process.argv.slice(2);
if (!folder) throw new Error('usage: bench/step.ts <week folder>');
const database = await openDatabase();
const t0 = performance.now();
// synthetic weeks (bench/synthetic.ts) are mostly names no alias knows: their health is not what is measured
const skipHealth = process.env.BENCH_SKIP_HEALTH ? process.env.BENCH_SKIP_HEALTH.split(',') : undefined;
const result = await runRefresh(database, { replay: folder, events: {}, skipHealth });
const seconds = (performance.now() - t0) / 1000;
await database.close();
process.stdout.write(
  `${JSON.stringify({
    folder,
    status: result.status,
    // why a source did not publish, when one did not
    problems: Object.entries(result.sourceStatus ?? {})
      .filter(([, o]) => o.status !== 'ok')
      .map(([id, o]) => `${id}: ${o.status}: ${o.reason}`),
    seconds,
    // this process's CPU time (user + system): on a shared machine, less noisy than wall time
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    claimsValid: result.counts.claims,
    claimsAdded: result.counts.claimsAdded,
    facts: result.counts.facts,
    claimsPerSecond: Math.round(result.counts.claims / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
