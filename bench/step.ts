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
const result = await runRefresh(database, { replay: folder, events: {} });
const seconds = (performance.now() - t0) / 1000;
await database.close();
process.stdout.write(
  `${JSON.stringify({
    folder,
    status: result.status,
    seconds,
    claimsValid: result.counts.claims,
    claimsAdded: result.counts.claimsAdded,
    facts: result.counts.facts,
    claimsPerSecond: Math.round(result.counts.claims / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
