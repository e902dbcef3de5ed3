/**
 * Phase timings and memory on stderr when MODELFACTS_TRACE is set: where a run
 * spends its time (wall and this process's CPU), and how much the process holds after each phase.
 */
export function tracer(scope: string): (phase: string) => void {
  if (!process.env.MODELFACTS_TRACE) return () => undefined;
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  return (phase) => {
    const now = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    const mem = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    process.stderr.write(
      `${JSON.stringify({ trace: scope, phase, ms: Math.round(now - last), cpuMs: Math.round((cpu.user + cpu.system) / 1000), rssMb: mb(mem.rss), heapMb: mb(mem.heapUsed) })}\n`,
    );
    last = now;
    lastCpu = process.cpuUsage();
  };
}
