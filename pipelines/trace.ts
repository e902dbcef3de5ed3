/** Phase timings on stderr when MODELFACTS_TRACE is set: where a run spends its time. */
export function tracer(scope: string): (phase: string) => void {
  if (!process.env.MODELFACTS_TRACE) return () => undefined;
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    process.stderr.write(`${JSON.stringify({ trace: scope, phase, ms: Math.round(now - last) })}\n`);
    last = now;
  };
}
