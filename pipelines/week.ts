import { Week } from '../schema/ids.js';
import { parseOrThrow } from '../schema/errors.js';

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
  if (isoWeek(weekStart(week)) !== week) throw new Error(`invalid week: ${week} does not exist (that year has fewer weeks)`);
  return week;
}
