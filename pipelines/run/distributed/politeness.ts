/**
 * Politeness shared by every worker of a distributed refresh, kept in the database
 * (store/distributed.ts): per-host concurrency as leases, the spacing between starts
 * (interval, raised by a Crawl-delay) as a next-free-slot time on the database's clock,
 * a Retry-After as a host-wide pause; robots.txt fetched once per run per origin.
 */
import type { HostLimiter, RobotsResult, RobotsStore } from '../../fetch/index.js';
import type { Db } from '../../store/db.js';
import { acquireHostSlot, claimRobots, pauseHost, releaseHostSlot, storeRobots } from '../../store/distributed.js';

const sleep = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

/** Waiters for a host in this process, at most `limit` of them past it at once. */
class LocalGate {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  async enter(limit: number): Promise<void> {
    if (this.running < limit) {
      this.running++;
      return;
    }
    await new Promise<void>((ok) => this.queue.push(ok));
  }
  leave(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.running--;
  }
}

export function databaseHostLimiter(db: Db, opts: { leaseMs: number }): HostLimiter {
  // no more of this process's requests ask the database for a host than the host's concurrency:
  // the others wait here, without a round trip (the database still shares the limit between processes)
  const local = new Map<string, LocalGate>();
  return {
    async run(host, limits, fn) {
      let gate = local.get(host);
      if (!gate) local.set(host, (gate = new LocalGate()));
      await gate.enter(limits.concurrency);
      let lease: Awaited<ReturnType<typeof acquireHostSlot>>;
      try {
        // the host is at its concurrency: poll again (a slot frees when a request ends, or its lease expires);
        // once per interval is enough to take the next start in time, jittered so workers do not poll in step
        while (!(lease = await acquireHostSlot(db, host, { ...limits, leaseMs: opts.leaseMs }))) {
          await sleep(Math.max(25, Math.min(200, limits.intervalMs)) * (0.75 + Math.random() / 2));
        }
      } catch (error) {
        gate.leave();
        throw error;
      }
      try {
        if (lease.waitMs > 0) await sleep(lease.waitMs);
        return await fn();
      } finally {
        gate.leave();
        // released in the background (the page's work goes on meanwhile): until then the host counts
        // the request as running, which errs on the polite side; an unreleased lease expires by itself
        void releaseHostSlot(db, lease.leaseId).catch(() => undefined);
      }
    },
    pause: (host, ms) => pauseHost(db, host, ms),
  };
}

/** robots.txt per origin for the run: the first worker to ask fetches it, the others wait for its answer. */
/** `staleAfterMs`: a claim not answered by then is taken over (its worker was killed mid-request). */
export function databaseRobotsStore(db: Db, run: number, staleAfterMs: number): RobotsStore {
  return async (origin, load) => {
    for (;;) {
      const got = await claimRobots(db, run, origin, staleAfterMs);
      if (got.claimed) {
        const result = await load();
        await storeRobots(db, run, origin, result);
        return result;
      }
      if (got.result) return got.result as RobotsResult;
      await sleep(100);
    }
  };
}
