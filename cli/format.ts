import { snapshotOf, variantOf } from '../pipelines/normalize/identity.js';
import { sourcesOf } from '../pipelines/store/rows.js';
import type { Fact } from '../schema/fact.js';
import { ORDER, qualifiersKey, type Qualifiers } from '../schema/qualifiers.js';
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

/** A value for CSV and spreadsheets: amounts as plain decimals (no "$"), dates as written, lists joined by spaces. */
export function plainValue(v: Value | undefined | null): string {
  if (!v) return '';
  switch (v.kind) {
    case 'money':
      return v.usd;
    case 'list':
      return v.items.join(' ');
    default:
      return formatValue(v);
  }
}

/** Qualifiers in their canonical order: route, unit, direction, modality, quality, size, tier. */
export function formatQualifiers(q: Qualifiers): string {
  return qualifiersKey(q).replace(/;/g, ' ');
}

/** One fact as a table row: attribute, qualifiers, value, status and the sources behind it. */
export function factRow(f: Pick<Fact, 'attribute' | 'qualifiers' | 'chosen' | 'status' | 'candidates'>) {
  return {
    attribute: f.attribute,
    qualifiers: formatQualifiers(f.qualifiers),
    value: formatValue(f.chosen),
    status: f.status,
    sources: sourcesOf(f).join(','),
  };
}

/** One fact as a CSV row: a column per qualifier, the value as a plain decimal (no "$"). */
export function factCsvRow(f: Pick<Fact, 'modelId' | 'attribute' | 'qualifiers' | 'chosen' | 'status' | 'candidates'>) {
  return {
    model: f.modelId,
    attribute: f.attribute,
    ...Object.fromEntries(ORDER.map((k) => [k, f.qualifiers[k] ?? ''])),
    value: plainValue(f.chosen),
    status: f.status,
    sources: sourcesOf(f).join(' '),
  };
}

/**
 * One fact as `facts --json` prints it. A dated snapshot (`openai/gpt-4o-2024-08-06`)
 * is a model of its own, linked to the alias it is a snapshot of by `snapshotOf`; a
 * distinct variant product (`xai/grok-4-fast`) to its base by `variantOf`.
 */
export function factJson(
  f: Pick<Fact, 'modelId' | 'attribute' | 'qualifiers' | 'chosen' | 'status' | 'rule' | 'confidence' | 'candidates'> & { validFrom: string },
) {
  const snapshot = snapshotOf(f.modelId);
  const variant = variantOf(f.modelId);
  return {
    modelId: f.modelId,
    ...(snapshot ? { snapshotOf: snapshot } : {}),
    ...(variant ? { variantOf: variant } : {}),
    attribute: f.attribute,
    qualifiers: f.qualifiers,
    value: f.chosen ?? null,
    status: f.status,
    rule: f.rule,
    confidence: f.confidence,
    validFrom: f.validFrom,
    candidates: f.candidates,
  };
}
