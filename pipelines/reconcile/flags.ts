/**
 * Known failure shapes of aggregators, flagged on candidates:
 * placeholder dates, 0 for "not applicable", stale values, approximate
 * dates, copies. A flag never deletes a claim: it stays a candidate, and the
 * rules say what the flag does to the choice.
 */
import type { DateValue } from '../../schema/values.js';
import { NOT_APPLICABLE_KEY } from './equivalence.js';
import { FLAG, type Flag } from '../../schema/flags.js';
import type { Cand } from './model.js';
import { memoized, memoizedText } from '../../schema/memo.js';

export { FLAG, type Flag } from '../../schema/flags.js';

/** Flags that say a value is implausible: shown in the conflict report, lower the confidence, never change the value. */
export const PLAUSIBILITY_FLAGS: readonly Flag[] = [
  FLAG.farFromGateway,
  FLAG.unitSlip,
  FLAG.zeroPrice,
  FLAG.cacheReadAboveInput,
  FLAG.cacheWriteBelowInput,
];

const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of the last day a date value covers (a month counts until its last day);
 * remembered by precision and date: a page states one "as of" for all its claims.
 */
export const lastDayOf: (d: DateValue) => number = memoized(lastDay, (d) => `${d.precision}:${d.date}`);

function lastDay(d: DateValue): number {
  const [y = 0, m, day] = d.date.split('-').map(Number);
  if (d.precision === 'day') return Date.UTC(y, (m ?? 1) - 1, day ?? 1) / DAY_MS;
  if (d.precision === 'month') return Date.UTC(y, m ?? 12, 0) / DAY_MS;
  return Date.UTC(y, 11, 31) / DAY_MS;
}

export const dayOf: (iso: string) => number = memoizedText(parseDay);

function parseDay(iso: string): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`not an ISO timestamp: ${JSON.stringify(iso)}`);
  return Math.floor(t / DAY_MS);
}

export function dayText(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Flags that depend on the candidate alone (plus `now`). */
export function intrinsicFlags(c: Cand, nowDay: number | undefined, staleAfterDays: number): void {
  const v = c.candidate.value;
  if (v.kind === 'count' && c.meaning.key === NOT_APPLICABLE_KEY) c.flags.add(FLAG.zeroNotApplicable);
  if (v.kind === 'date' && v.approximate) c.flags.add(FLAG.approximate);
  if (v.kind === 'date' && v.precision === 'day' && v.date.endsWith('-01-01')) c.flags.add(FLAG.placeholder);
  if (nowDay !== undefined && nowDay - c.asOfDay > staleAfterDays) c.flags.add(FLAG.stale);
}

/** Flags that depend on the other candidates of the same fact. */
export function relativeFlags(cands: readonly Cand[]): void {
  // "January YYYY" is a placeholder when another (non-approximate) source gives a precise date in another month.
  const preciseMonths = new Set<string>();
  for (const c of cands) {
    const v = c.candidate.value;
    if (v.kind === 'date' && !v.approximate && v.precision !== 'year') preciseMonths.add(v.date.slice(0, 7));
  }
  for (const c of cands) {
    const v = c.candidate.value;
    if (v.kind !== 'date' || v.precision !== 'month' || !v.date.endsWith('-01')) continue;
    for (const month of preciseMonths) {
      if (month !== v.date) {
        c.flags.add(FLAG.placeholder);
        break;
      }
    }
  }
  // Same value from two sources on the same site: count both, but say they may be copies.
  if (cands.length < 2) return;
  const byHostValue = new Map<string, Cand[]>();
  for (const c of cands) {
    const k = `${c.host}\u0000${c.meaning.key}`;
    const list = byHostValue.get(k);
    if (list) list.push(c);
    else byHostValue.set(k, [c]);
  }
  for (const list of byHostValue.values()) {
    if (new Set(list.map((c) => c.sourceId)).size > 1) for (const c of list) c.flags.add(FLAG.possibleCopy);
  }
}
