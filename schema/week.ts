import { Week } from './ids.js';
import { parseOrThrow, SchemaError } from './errors.js';

/** ISO-8601 week label (YYYY-Www) of a date, in UTC. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dayNum = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dayNum);
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of an ISO week. */
export function weekStart(week: string): Date {
  const [y, w] = week.split('-W').map(Number) as [number, number];
  const jan4 = new Date(Date.UTC(y, 0, 4));
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() || 7) - 1) + (w - 1) * 7);
  return monday;
}

/** Validates a week label; the error names the bad value. Weeks past the year's last week are refused. */
export function parseWeek(text: string): string {
  const week = parseOrThrow(Week, text, 'week');
  if (isoWeek(weekStart(week)) !== week) {
    // bad input like a malformed label (exit 2), not a failure
    throw new SchemaError('week', [{ path: '', message: 'that year has only 52 weeks', value: week }]);
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
