/**
 * Price history as data (pure): per route and unit, one series per price
 * (direction, modality, quality, size, tier), one point per published week
 * with the value chosen that week and the sources that said so; a point
 * whose value differs from the week before is a change.
 */
import type { PriceVersion } from '../pipelines/store/price-history.js';
import { canonicalDecimal } from '../schema/keys.js';

export interface PricePoint {
  week: string;
  usd: string;
  status: string;
  sources: string[];
  changed: boolean;
  /** The previous week's value, for a change. */
  from?: string;
}

export interface PriceSeries {
  label: string;
  factKey: string;
  points: PricePoint[];
}

export interface PriceChartData {
  route: string;
  unit: string;
  series: PriceSeries[];
}

const LABEL_KEYS = ['direction', 'modality', 'quality', 'size', 'tier'] as const;

export function priceHistory(versions: readonly PriceVersion[], weeks: readonly string[]): PriceChartData[] {
  const byKey = new Map<string, PriceVersion[]>();
  for (const v of versions) byKey.set(v.factKey, [...(byKey.get(v.factKey) ?? []), v]);
  const charts = new Map<string, PriceChartData>();
  for (const [factKey, vs] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const q = vs[0]!.qualifiers;
    const route = q.route ?? '(no route stated)';
    const unit = q.unit ?? '(no unit)';
    const points: PricePoint[] = [];
    let prev: string | undefined;
    for (const week of weeks) {
      const v = vs.find((x) => x.validFrom <= week && (x.validTo === null || x.validTo > week));
      if (!v || v.chosen?.kind !== 'money') {
        prev = undefined;
        continue;
      }
      const usd = canonicalDecimal(v.chosen.usd);
      const sources = [...new Set(v.candidates.filter((c) => c.value.kind === 'money' && canonicalDecimal(c.value.usd) === usd).map((c) => c.provenance.sourceId))].sort();
      points.push({ week, usd, status: v.status, sources, changed: prev !== undefined && prev !== usd, ...(prev !== undefined && prev !== usd ? { from: prev } : {}) });
      prev = usd;
    }
    if (points.length === 0) continue;
    const label = LABEL_KEYS.map((k) => q[k]).filter(Boolean).join(' · ') || 'price';
    const key = `${route}\u0000${unit}`;
    const chart = charts.get(key) ?? { route, unit, series: [] };
    chart.series.push({ label, factKey, points });
    charts.set(key, chart);
  }
  return [...charts.values()].sort((a, b) => (a.route === b.route ? (a.unit < b.unit ? -1 : 1) : a.route < b.route ? -1 : 1));
}
