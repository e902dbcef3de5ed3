/**
 * Missed scheduled runs. A cron daemon only fires at the tick: if the machine
 * slept or the clock jumped over it, or the daemon was down, the week's run
 * never happens. The scheduler asks, on start and once a minute, whether the
 * latest scheduled slot is later than the latest run, and if so runs once.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../store/db.js';

/** The most recent minute ≤ now that the schedule matches, looking back at most `lookbackMinutes`. */
export function previousSlot(match: (d: Date) => boolean, now: Date, lookbackMinutes = 8 * 24 * 60): Date | undefined {
  const t = new Date(now);
  t.setUTCSeconds(0, 0);
  for (let i = 0; i < lookbackMinutes; i++, t.setTime(t.getTime() - 60_000)) {
    if (t.getTime() <= now.getTime() && match(t)) return new Date(t);
  }
  return undefined;
}

/** When the latest refresh (not a re-extraction) started, in epoch ms; undefined when none ever ran. */
export async function lastRefreshStart(db: Db): Promise<number | undefined> {
  const res = (await db.execute(
    sql`select (extract(epoch from max(started_at)) * 1000)::float8 as ms from runs where mode <> 'reextract'`,
  )) as unknown as { rows: { ms: number | string | null }[] };
  const ms = res.rows[0]?.ms;
  return ms === null || ms === undefined ? undefined : Number(ms);
}

/** The slot that was missed, if the latest one is later than the latest run. */
export function missedSlot(match: (d: Date) => boolean, now: Date, lastRunMs: number | undefined): Date | undefined {
  const slot = previousSlot(match, now);
  if (!slot) return undefined;
  return lastRunMs === undefined || lastRunMs < slot.getTime() ? slot : undefined;
}
