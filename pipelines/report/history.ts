/**
 * A model's values over the stored weeks (pure), behind `modelfacts history`:
 * per fact key, the value each week held, the weeks it changed and who said
 * so. Versions change when candidates change too; a point is a change only
 * when the chosen value's meaning changed.
 */
import type { Fact } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import { canonicalValue } from '../../schema/keys.js';
import { sourcesOf } from '../store/rows.js';
import { matchesQualifiers, type PriceFilter } from './prices.js';

type Versioned = Fact & { factKey: string; validFrom: string; validTo: string | null };

export interface HistoryPoint {
  week: string;
  value?: Value;
  status: Fact['status'];
  sources: string[];
}

export interface HistoryChange {
  week: string;
  from?: Value;
  to?: Value;
  /** The sources whose claims changed that week (or, for a first value, the sources of it). */
  sources: string[];
}

export interface HistorySeries {
  factKey: string;
  modelId: string;
  attribute: string;
  qualifiers: Qualifiers;
  /** One point per stored week in which the fact existed. */
  points: HistoryPoint[];
  changes: HistoryChange[];
}

const sameValue = (a: Value | undefined, b: Value | undefined) =>
  a === undefined || b === undefined ? a === b : canonicalValue(a) === canonicalValue(b);

/** The sources whose candidate value differs between two versions of a fact. */
function changedSources(a: Versioned | undefined, b: Versioned): string[] {
  const before = new Map((a?.candidates ?? []).map((c) => [`${c.provenance.sourceId}|${c.provenance.via ?? ''}`, c.value]));
  const out = new Set<string>();
  for (const c of b.candidates) {
    const old = before.get(`${c.provenance.sourceId}|${c.provenance.via ?? ''}`);
    if (!old || canonicalValue(old) !== canonicalValue(c.value)) out.add(c.provenance.sourceId);
  }
  return [...out].sort();
}

const heldAt = (v: Versioned, week: string) => v.validFrom <= week && (v.validTo === null || week < v.validTo);

export function buildHistory(
  versions: readonly Versioned[],
  weeks: readonly string[],
  filter: { attribute?: string; qualifiers?: PriceFilter } = {},
): HistorySeries[] {
  const byKey = new Map<string, Versioned[]>();
  for (const v of versions) {
    if (filter.attribute && v.attribute !== filter.attribute) continue;
    if (filter.qualifiers && !matchesQualifiers(v.qualifiers, filter.qualifiers)) continue;
    const list = byKey.get(v.factKey) ?? [];
    list.push(v);
    byKey.set(v.factKey, list);
  }
  const out: HistorySeries[] = [];
  for (const [factKey, list] of byKey) {
    const first = list[0]!;
    const series: HistorySeries = {
      factKey,
      modelId: first.modelId,
      attribute: first.attribute,
      qualifiers: first.qualifiers,
      points: [],
      changes: [],
    };
    let prev: Versioned | undefined;
    for (const week of weeks) {
      const v = list.find((x) => heldAt(x, week));
      if (!v) continue;
      series.points.push({ week, ...(v.chosen ? { value: v.chosen } : {}), status: v.status, sources: sourcesOf(v) });
      if (!prev || !sameValue(prev.chosen, v.chosen)) {
        series.changes.push({
          week,
          ...(prev?.chosen ? { from: prev.chosen } : {}),
          ...(v.chosen ? { to: v.chosen } : {}),
          sources: prev ? changedSources(prev, v) : sourcesOf(v),
        });
      }
      prev = v;
    }
    if (series.points.length > 0) out.push(series);
  }
  return out.sort((a, b) => (a.attribute + a.factKey < b.attribute + b.factKey ? -1 : 1));
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A terminal sparkline of a money series, one bar per week ("·" for a week
 * without a value). Display only: the amounts are compared as doubles here
 * and nowhere else.
 */
export function sparkline(points: readonly HistoryPoint[], weeks: readonly string[]): string {
  const byWeek = new Map(points.map((p) => [p.week, p.value]));
  const amounts = points.flatMap((p) => (p.value?.kind === 'money' ? [Number(p.value.usd)] : []));
  if (amounts.length === 0) return '';
  const lo = Math.min(...amounts);
  const hi = Math.max(...amounts);
  return weeks
    .map((w) => {
      const v = byWeek.get(w);
      if (v?.kind !== 'money') return '·';
      const n = Number(v.usd);
      return hi === lo ? BARS[3] : BARS[Math.round(((n - lo) / (hi - lo)) * (BARS.length - 1))];
    })
    .join('');
}
