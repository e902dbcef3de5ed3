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

export function databaseHostLimiter(db: Db, opts: { leaseMs: number }): HostLimiter {
  return {
    async run(host, limits, fn) {
      let lease: Awaited<ReturnType<typeof acquireHostSlot>>;
      // the host is at its concurrency: poll again soon (a slot frees when a request ends, or its lease expires)
      while (!(lease = await acquireHostSlot(db, host, { ...limits, leaseMs: opts.leaseMs }))) {
        await sleep(Math.max(25, Math.min(200, limits.intervalMs / 2)));
      }
      try {
        if (lease.waitMs > 0) await sleep(lease.waitMs);
        return await fn();
      } finally {
        // an unreleased lease expires by itself; the request's own outcome is what matters here
        await releaseHostSlot(db, lease.leaseId).catch(() => undefined);
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
