/**
 * Child process of test/heap.test.ts: keeps ≈ 50 MB of objects alive while
 * allocating batches that outlive a young-generation collection and then die
 * (as a week's rows and working candidates do), after boundHeapGrowth()
 * unless HEAP_CHURN_PLAIN is set (as beside the embedded database with HEAP_CHURN_EMBEDDED). Prints the workload's peak heap use over its live heap.
 */
import { boundHeapGrowth, heapGrowthBeside } from '../../pipelines/run/heap.js';

if (process.env.HEAP_CHURN_EMBEDDED) heapGrowthBeside('pglite');
if (!process.env.HEAP_CHURN_PLAIN) boundHeapGrowth();
const gc = (globalThis as { gc?: () => void }).gc!;
gc();
// what the process holds before the workload (modules, tsx): not part of the ratio
const base = process.memoryUsage().heapUsed;
const live: { i: number; s: string }[] = [];
for (let i = 0; i < 400_000; i++) live.push({ i, s: `live ${i}` });
let batch: unknown[] = [];
let peak = 0;
for (let round = 0; round < 60; round++) {
  batch = [];
  for (let i = 0; i < 100_000; i++) batch.push({ i, s: `batch ${round} ${i}`, a: [i] });
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}
batch = [];
gc();
const after = process.memoryUsage().heapUsed;
process.stdout.write(`${JSON.stringify({ ratio: (peak - base) / (after - base), live: live.length })}\n`);
