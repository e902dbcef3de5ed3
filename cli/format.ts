import type { Value } from '../schema/values.js';

/** A value as a person reads it: "$0.005", "2025-10 (month)", "n/a", "Proprietary (commercial use: conditional)". */
export function formatValue(v: Value | undefined | null): string {
  if (!v) return '—';
  switch (v.kind) {
    case 'money':
      return `$${v.usd}`;
    case 'date':
      return `${v.date}${v.precision === 'day' ? '' : ` (${v.precision})`}${v.approximate ? ' ~approx' : ''}`;
    case 'count':
      return String(v.count);
    case 'not_applicable':
      return 'n/a';
    case 'list':
      return v.items.join(', ');
    case 'text':
      return v.text;
    case 'license':
      return `${v.name} (commercial use: ${v.commercialUse})`;
  }
}

export function formatQualifiers(q: Record<string, unknown>): string {
  return Object.entries(q)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
