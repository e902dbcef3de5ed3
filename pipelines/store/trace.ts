/**
 * Phase timings and memory on stderr when MODELFACTS_TRACE is set: where a run
 * spends its time, and how much the process holds after each phase.
 */
export function tracer(scope: string): (phase: string) => void {
  if (!process.env.MODELFACTS_TRACE) return () => undefined;
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    const mem = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    process.stderr.write(
      `${JSON.stringify({ trace: scope, phase, ms: Math.round(now - last), rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed) })}\n`,
    );
    last = now;
  };
}
