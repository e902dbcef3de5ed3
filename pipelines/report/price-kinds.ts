/**
 * What a price listing is, besides its amount. A $0 listing is not the
 * cheapest route: GitHub Copilot lists models at $0 because the subscription
 * pays for them, GitHub Models because its free tier is rate-limited. Those
 * are marked and sorted apart from paid prices.
 */
import { compare } from '../../schema/decimal.js';
import type { Qualifiers } from '../../schema/qualifiers.js';

export type ListingKind = 'paid' | 'free' | 'subscription' | 'zero';

/** Routes whose $0 prices mean "included in a subscription" (models.dev provider ids). */
const SUBSCRIPTION_ROUTES: ReadonlySet<string> = new Set(['github-copilot']);
/** Routes whose $0 prices mean a free, rate-limited tier. */
const FREE_ROUTES: ReadonlySet<string> = new Set(['github']);

export function listingKind(usd: string, q: Qualifiers): ListingKind {
  if (compare(usd, '0') !== 0) return 'paid';
  if (q.route && SUBSCRIPTION_ROUTES.has(q.route)) return 'subscription';
  if ((q.route && FREE_ROUTES.has(q.route)) || q.tier === 'free') return 'free';
  return 'zero';
}

export const LISTING_LABEL: Record<ListingKind, string> = {
  paid: 'paid',
  free: 'free tier ($0)',
  subscription: 'subscription ($0)',
  zero: '$0 listing',
};
