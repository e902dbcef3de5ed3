/**
 * The route price table behind `modelfacts prices` (pure): a model's price
 * facts filtered by qualifiers, each with who says so and its status; $0,
 * free and subscription listings are marked and kept after the paid prices.
 */
import { compare } from '../../schema/decimal.js';
import type { Fact } from '../../schema/fact.js';
import { ORDER, type Qualifiers } from '../../schema/qualifiers.js';
import { listingKind, type ListingKind } from './price-kinds.js';

export type PriceFilter = Partial<Record<(typeof ORDER)[number], string>>;

export interface PriceSource {
  sourceId: string;
  via?: string;
  url: string;
  fetchedAt: string;
  excerpt: string;
  usd?: string;
}

export interface PriceRow {
  modelId: string;
  qualifiers: Qualifiers;
  /** The chosen amount in USD per the unit; absent when no rule chose (needs-review). */
  usd?: string;
  listing?: ListingKind;
  status: Fact['status'];
  confidence: number;
  rule: string;
  validFrom?: string;
  sources: PriceSource[];
}

export function matchesQualifiers(q: Qualifiers, filter: PriceFilter): boolean {
  for (const k of ORDER) {
    const want = filter[k];
    if (want !== undefined && q[k] !== want) return false;
  }
  return true;
}

export function priceRow(f: Fact & { validFrom?: string }): PriceRow {
  const usd = f.chosen?.kind === 'money' ? f.chosen.usd : undefined;
  return {
    modelId: f.modelId,
    qualifiers: f.qualifiers,
    ...(usd !== undefined ? { usd, listing: listingKind(usd, f.qualifiers) } : {}),
    status: f.status,
    confidence: f.confidence,
    rule: f.rule,
    ...(f.validFrom ? { validFrom: f.validFrom } : {}),
    sources: f.candidates.map((c) => ({
      sourceId: c.provenance.sourceId,
      ...(c.provenance.via ? { via: c.provenance.via } : {}),
      url: c.provenance.url,
      fetchedAt: c.provenance.fetchedAt,
      excerpt: c.provenance.excerpt,
      ...(c.value.kind === 'money' ? { usd: c.value.usd } : {}),
    })),
  };
}

/** Rank of a row in the price sort: paid prices first, then $0 listings, then rows without a chosen price. */
function band(r: PriceRow): number {
  if (r.usd === undefined) return 2;
  return r.listing === 'paid' ? 0 : 1;
}

/**
 * The table: price facts matching the filter, by route and qualifiers, or
 * with `sortByPrice` cheapest paid price first ($0 listings after them).
 */
export function priceTable(priceFacts: readonly (Fact & { validFrom?: string })[], filter: PriceFilter, sortByPrice = false): PriceRow[] {
  const rows = priceFacts.filter((f) => f.attribute === 'price' && matchesQualifiers(f.qualifiers, filter)).map(priceRow);
  const key = (r: PriceRow) => ORDER.map((k) => r.qualifiers[k] ?? '').join('\u0000');
  return rows.sort((a, b) => {
    if (sortByPrice) {
      const d = band(a) - band(b);
      if (d !== 0) return d;
      if (a.usd !== undefined && b.usd !== undefined) {
        const c = compare(a.usd, b.usd);
        if (c !== 0) return c;
      }
    } else if (band(a) !== band(b) && (band(a) === 1 || band(b) === 1)) {
      // within the route order, $0 listings still go after the paid ones
      return band(a) - band(b);
    }
    return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  });
}
