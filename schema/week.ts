import { Week } from './ids.js';
import { parseOrThrow, SchemaError } from './errors.js';

/** ISO-8601 week label (YYYY-Www) of a date, in UTC. */
export function isoWeek(date: Date): string {
  const d = new Date(0);
  d.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(0);
  yearStart.setUTCFullYear(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of an ISO week. */
export function weekStart(week: string): Date {
  const [y, w] = week.split('-W').map(Number) as [number, number];
  // Date.UTC reads years 0–99 as 1900–1999: set the full year explicitly
  const jan4 = new Date(0);
  jan4.setUTCFullYear(y, 0, 4);
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() || 7) - 1) + (w - 1) * 7);
  return monday;
}

/** Validates a week label; the error names the bad value. Weeks past the year's last week are refused. */
export function parseWeek(text: string): string {
  const week = parseOrThrow(Week, text, 'week');
  if (isoWeek(weekStart(week)) !== week) {
    // bad input like a malformed label (exit 2), not a failure
    throw new SchemaError('week', [{ path: '', message: `${week.slice(0, 4)} has only 52 weeks`, value: week }]);
  }
  return week;
}

/** A week to publish: not later than the current ISO week unless asked for (a typo like 9999-W52 would freeze history). */
export function checkNotFuture(week: string, allowFuture: boolean, now = new Date()): string {
  const current = isoWeek(now);
  if (week > current && !allowFuture) {
    throw new SchemaError('week', [
      { path: '', message: `${week} is later than the current week ${current} (pass --allow-future if you mean it)`, value: week },
    ]);
  }
  return week;
}

/**
 * The moment a week's facts are judged at ("now" for staleness): the actual
 * time for the current week, the end of the week for a past week replayed or
 * re-extracted later, so old pages are not judged by today's calendar.
 */
export function referenceTime(week: string, at: string): string {
  const end = weekStart(week).getTime() + 7 * 86_400_000 - 1;
  return new Date(Math.min(end, Date.parse(at))).toISOString();
}
