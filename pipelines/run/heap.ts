/**
 * How far V8 lets the heap grow during a refresh. After each full collection
 * V8 lets the old generation grow to up to 4× what survived it before it
 * collects again; a real week holds 100–130 MB of live objects at its largest
 * (claims, working candidates, facts), but the week's short-lived rows and
 * candidates that outlive a young-generation collection pile up in the old
 * generation until then: the first real week peaked at ≈ 450 MB resident with
 * ≈ 130 MB live. A growth factor of 2 collects the old generation about twice as
 * often and keeps the peak near 2× the live objects (measured: ≈ 360 MB); beside
 * the embedded database, 1.6× (heapGrowthBeside).
 * The flag is read at every collection, so setting it at run time works
 * without a flag on the command line or a re-exec (Node refuses this flag in
 * NODE_OPTIONS); one given on the command line wins.
 */
import { setFlagsFromString } from 'node:v8';

const FLAG = 'heap-growing-percent';
const PERCENT = 100;
/**
 * Beside the embedded database: PGlite keeps ≈ 150 MB of WebAssembly memory in the same process, and
 * a first real week peaked at 533–604 MB with the heap let grow to 2× (the target is 600 MB). Growing
 * to 1.6× took 510–539 MB, for about 5 % more time (10.3 against 9.8 s on average: seven pairs,
 * alternating), the price of the full collections it adds.
 */
const EMBEDDED_PERCENT = 60;

let done = false;
let percent = PERCENT;

/** Where the run's database lives, which decides how far the heap may grow (call before boundHeapGrowth). */
export function heapGrowthBeside(database: 'postgres' | 'pglite'): void {
  percent = database === 'pglite' ? EMBEDDED_PERCENT : PERCENT;
}

function userSetIt(): boolean {
  return process.execArgv.some((a) => a.replaceAll('_', '-').startsWith(`--${FLAG}`));
}

/** Caps the old generation's growth between full collections for the rest of the process (once). */
export function boundHeapGrowth(): void {
  if (done) return;
  done = true;
  if (userSetIt()) return;
  setFlagsFromString(`--${FLAG}=${percent}`);
}
