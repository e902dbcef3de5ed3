/**
 * Plausibility checks across sources (pure). They flag, with a reason, and
 * lower the confidence; they never change a value. Two of them mark known
 * failure shapes that the ladder may set aside when better candidates exist
 * (a unit slip, a 0 for a price), the way it sets aside a placeholder date.
 *
 * Per fact: a ×10^6 (per token vs per 1M tokens) or ×10^3 gap between two
 * sources' values; a 0 among non-zero prices; a creator-route price far from
 * the same model's price on a pass-through gateway route. Across facts (see
 * crossFactChecks): cache-read above input, cache-write below input.
 */
import { compare } from '../../schema/decimal.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { FLAG, type Flag } from './flags.js';
import type { Cand } from './model.js';

/** A creator-route price is "far" from the gateway's when either is more than this many times the other. */
export const FAR_FACTOR = 1.5;

function usdOf(c: Cand): number | undefined {
  const v = c.candidate.value;
  return v.kind === 'money' ? Number(v.usd) : undefined;
}

/** log10 of the ratio is near 6 (per token read as per 1M) or 3 (per 1K): a unit slip, not a price difference. */
function slipOrder(a: number, b: number): 3 | 6 | undefined {
  if (a <= 0 || b <= 0) return undefined;
  const r = Math.abs(Math.log10(a / b));
  if (Math.abs(r - 6) <= 0.5) return 6;
  if (Math.abs(r - 3) <= 0.5) return 3;
  return undefined;
}

/** Distinct sources backing a value among the given candidates (witnesses included: they are evidence). */
function backers(cands: readonly Cand[], key: string): number {
  return new Set(cands.filter((c) => c.meaning.key === key).map((c) => `${c.sourceId}${c.witness ? '@witness' : ''}`)).size;
}

export function priceChecks(cands: readonly Cand[], q: Qualifiers): void {
  const priced = cands.filter((c) => usdOf(c) !== undefined);
  if (priced.length < 2) return;
  // a 0 while somebody states a price: a catalog's "unknown" or "free tier", not this key's price
  if (priced.some((c) => (usdOf(c) ?? 0) > 0)) {
    for (const c of priced) if (!c.witness && usdOf(c) === 0) c.flags.add(FLAG.zeroPrice);
  }
  // unit slips: of two values 10^6 (or 10^3) apart, the one fewer sources back; on a tie the one off the plausible side
  for (const a of priced) {
    for (const b of priced) {
      if (a === b || a.witness) continue;
      const order = slipOrder(usdOf(a) ?? 0, usdOf(b) ?? 0);
      if (!order) continue;
      const na = backers(priced, a.meaning.key);
      const nb = backers(priced, b.meaning.key);
      // per-1M token prices are dollars, not micro-dollars: the tiny one slipped; for other units the huge one did
      const aIsOff = q.unit === 'per_1m_tokens' ? (usdOf(a) ?? 0) < (usdOf(b) ?? 0) : (usdOf(a) ?? 0) > (usdOf(b) ?? 0);
      if (na < nb || (na === nb && aIsOff)) a.flags.add(FLAG.unitSlip);
    }
  }
  // a creator-route price far from every pass-through gateway price for the same model
  const witnesses = priced.filter((c) => c.witness && (usdOf(c) ?? 0) > 0);
  if (witnesses.length === 0) return;
  for (const c of priced) {
    if (c.witness) continue;
    const x = usdOf(c) ?? 0;
    if (x <= 0) continue;
    const near = witnesses.some((w) => {
      const y = usdOf(w) ?? 0;
      return x <= y * FAR_FACTOR && y <= x * FAR_FACTOR;
    });
    if (!near) c.flags.add(FLAG.farFromGateway);
  }
}

export interface PricedFact {
  key: string;
  modelId: string;
  qualifiers: Qualifiers;
  chosenUsd?: string;
}

/** The input price's fact key for a cache price's fact (same model, route, unit, modality, tier). */
function inputKey(f: PricedFact): string {
  const q = f.qualifiers;
  return [f.modelId, q.route ?? '', q.unit ?? '', q.modality ?? '', q.tier ?? '', q.quality ?? '', q.size ?? ''].join('|');
}

/**
 * Cache prices against the input price of the same model and route: reading
 * from the cache costs less than input, writing to it at least as much.
 * Returns the flag to add per fact key.
 */
export function crossFactChecks(facts: readonly PricedFact[]): Map<string, { flag: Flag; input: string }> {
  const inputs = new Map<string, string>();
  for (const f of facts) if (f.qualifiers.direction === 'input' && f.chosenUsd !== undefined) inputs.set(inputKey(f), f.chosenUsd);
  const out = new Map<string, { flag: Flag; input: string }>();
  for (const f of facts) {
    if (f.chosenUsd === undefined) continue;
    const input = inputs.get(inputKey(f));
    if (input === undefined) continue;
    if (f.qualifiers.direction === 'cache_read' && compare(f.chosenUsd, input) > 0) out.set(f.key, { flag: FLAG.cacheReadAboveInput, input });
    if (f.qualifiers.direction === 'cache_write' && compare(f.chosenUsd, input) < 0) out.set(f.key, { flag: FLAG.cacheWriteBelowInput, input });
  }
  return out;
}
