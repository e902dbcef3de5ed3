/**
 * Confidence in [0,1] for a chosen value. Evidence for it is summed per site
 * (two pages of one site count once: they may copy each other), evidence
 * against it per source. An owner's word weighs more than an aggregator's;
 * flagged claims weigh less. Adding a claim that agrees with the chosen value
 * only adds support (or dilutes its own source's disagreement), so it never
 * lowers confidence.
 */
import { FLAG, type Flag } from './flags.js';
import { supports, type Cand, type Leaf } from './model.js';

const OWNER_WEIGHT = 4;
const OTHER_WEIGHT = 1;
/** How much a flag discounts a claim's weight when it supports the chosen value. */
const SUPPORT_FACTORS: readonly [Flag, number][] = [
  [FLAG.placeholder, 0.25],
  [FLAG.approximate, 0.5],
  [FLAG.stale, 0.5],
  [FLAG.unqualifiedMatch, 0.5],
];
/** ... and when it disagrees: a known failure shape says little against the chosen value. */
const AGAINST_FACTORS: readonly [Flag, number][] = [
  [FLAG.placeholder, 0.1],
  [FLAG.approximate, 0.1],
  [FLAG.stale, 0.25],
];
/** Support S gives strength 1 - e^(-S/SCALE): one aggregator ≈ 0.49, two ≈ 0.74, the creator ≈ 0.93. */
const SCALE = 1.5;

function weight(c: Cand, factors: readonly [Flag, number][]): number {
  let w = c.authority.rank > 0 ? OWNER_WEIGHT : OTHER_WEIGHT;
  for (const [flag, factor] of factors) if (c.flags.has(flag)) w *= factor;
  return w;
}

export function confidence(all: readonly Cand[], leaf: Leaf | undefined): number {
  if (!leaf) return 0;
  // one candidate (most facts): its support alone, nothing against (the same arithmetic as below: share is exactly 1)
  if (all.length === 1) return supports(all[0]!, leaf) ? Math.round((1 - Math.exp(-weight(all[0]!, SUPPORT_FACTORS) / SCALE)) * 1e4) / 1e4 : 0;
  const supportByHost = new Map<string, number>();
  const bySource = new Map<string, { against: number; opposing: number; total: number }>();
  for (const c of all) {
    const src = bySource.get(c.sourceId) ?? { against: 0, opposing: 0, total: 0 };
    src.total += 1;
    if (supports(c, leaf)) {
      supportByHost.set(c.host, Math.max(supportByHost.get(c.host) ?? 0, weight(c, SUPPORT_FACTORS)));
    } else {
      src.opposing += 1;
      src.against = Math.max(src.against, weight(c, AGAINST_FACTORS));
    }
    bySource.set(c.sourceId, src);
  }
  let support = 0;
  for (const w of supportByHost.values()) support += w;
  let against = 0;
  for (const s of bySource.values()) against += (s.against * s.opposing) / s.total;
  if (support === 0) return 0;
  const strength = 1 - Math.exp(-support / SCALE);
  const share = support / (support + against);
  return Math.round(strength * share * 1e4) / 1e4;
}
