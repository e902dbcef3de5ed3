/**
 * Claim-level quarantine (pure). A source's run is judged claim by claim
 * against its own last published claims and the other sources' current ones,
 * so one suspicious value holds back that value only, never the rest of the
 * source:
 *  - a jump (a price or limit moving by PRICE_JUMP× or more since last week,
 *    a per-token/per-1M slip of ~10^6 or ~10^3 included) that lands on no other
 *    source's current value for the same fact: the claim is quarantined and
 *    its last good value stays; the same jump landing on another independent
 *    source's value is a correction and publishes;
 *  - a lone change: a smaller move (beyond the source's rounding) away from a
 *    value another source still states, to one no other source states: held
 *    the same way (a catalog leaving the consensus it was part of is more often
 *    a slip than news; the creator's own pages are exempt, their change is news);
 *  - a value seen for the first time, ~10^3 or ~10^6 away from every other
 *    source's value for the same fact: quarantined (nothing to keep).
 * Any of these holds a value once: when the source states the held value
 * again the next week (`held`), the change has persisted and publishes.
 * A value that nothing can be compared with publishes: nothing says it is wrong.
 */
import { factQualifiersOf, qualifiersKey } from '../../schema/qualifiers.js';
import type { Claim } from '../../schema/observation.js';
import type { Value } from '../../schema/values.js';
import { claimIdentity } from '../../schema/keys.js';

export interface ClaimQuarantineOptions {
  /** A change by this factor or more is a jump that needs another source to confirm it. */
  jumpFactor: number;
  /** Hold a lone change (smaller than a jump) away from a value another source still states; false for a creator's own pages. */
  holdLoneChanges: boolean;
}

export const DEFAULT_CLAIM_QUARANTINE: ClaimQuarantineOptions = { jumpFactor: 2, holdLoneChanges: true };

export interface QuarantinedClaim {
  claim: Claim;
  /** The last good claim kept in its place, when there is one. */
  kept?: Claim;
  reason: string;
}

export interface ClaimQuarantineResult {
  /** What publishes for the source: its new claims, with quarantined ones replaced by their last good versions. */
  claims: Claim[];
  quarantined: QuarantinedClaim[];
}

/** The fact a claim speaks to, independent of source and listing. */
export function factKeyOfClaim(c: Claim): string {
  return `${c.modelId}|${c.attribute}|${factQualifiersOf(c.qualifiers).key}`;
}

function amount(v: Value): number | undefined {
  if (v.kind === 'money') return Number(v.usd);
  if (v.kind === 'count' && v.count > 0) return v.count;
  return undefined;
}

/** Same amount, allowing a source's rounding (0.025 vs 0.03 differ by 20 %, 0.2 vs 0.2000001 by nothing). */
function lands(a: number, b: number): boolean {
  if (a === b) return true;
  const m = Math.max(Math.abs(a), Math.abs(b));
  return m > 0 && Math.abs(a - b) / m <= 0.005;
}

function ratio(a: number, b: number): number {
  return a > b ? a / b : b / a;
}

function slipOrder(a: number, b: number): number | undefined {
  if (a <= 0 || b <= 0) return undefined;
  const r = Math.log10(ratio(a, b));
  if (Math.abs(r - 6) <= 0.5) return 6;
  if (Math.abs(r - 3) <= 0.5) return 3;
  return undefined;
}

function describe(c: Claim): string {
  const q = qualifiersKey(c.qualifiers);
  return `${c.modelId} ${c.attribute}${q ? ` (${q})` : ''}${c.provenance.via ? ` via ${c.provenance.via}` : ''}`;
}

const text = (v: Value) => (v.kind === 'money' ? v.usd : v.kind === 'count' ? String(v.count) : JSON.stringify(v));

/** Of last week's claims for one key, the one nearest to this value (a jump is measured from it). */
function closest(claims: readonly Claim[] | undefined, now: number): Claim | undefined {
  let best: Claim | undefined;
  let bestRatio = Infinity;
  for (const c of claims ?? []) {
    const a = amount(c.value);
    const r = a !== undefined && a > 0 && now > 0 ? ratio(a, now) : Infinity;
    if (!best || r < bestRatio) {
      best = c;
      bestRatio = r;
    }
  }
  return best;
}

/**
 * The amounts a list of claims states per fact (factKeyOfClaim), with their
 * sources: built once per list and shared by the checks of every source, rather
 * than each source's check keying every other source's claims again.
 */
export class FactAmounts {
  private readonly byFact = new Map<string, { sourceId: string; amount: number }[]>();
  constructor(claims: readonly Claim[]) {
    for (const c of claims) {
      const a = amount(c.value);
      if (a === undefined) continue;
      const k = factKeyOfClaim(c);
      const list = this.byFact.get(k);
      const entry = { sourceId: c.provenance.sourceId, amount: a };
      if (list) list.push(entry);
      else this.byFact.set(k, [entry]);
    }
  }
  get(factKey: string): readonly { sourceId: string; amount: number }[] | undefined {
    return this.byFact.get(factKey);
  }
}

export function quarantineClaims(
  input: {
    sourceId: string;
    claims: readonly Claim[];
    /** The source's own claims valid last week. */
    previous: readonly Claim[];
    /** Other sources' current claims (what they published last, or this run). */
    others: readonly Claim[] | readonly FactAmounts[];
    /** What this source stated last week that these checks held back: stated again now, a change has persisted and publishes. */
    held?: readonly Claim[];
  },
  options: Partial<ClaimQuarantineOptions> = {},
): ClaimQuarantineResult {
  const opts = { ...DEFAULT_CLAIM_QUARANTINE, ...options };
  // a catalog may state one key several times (two names of one model in one listing): keep them all
  const previous = new Map<string, Claim[]>();
  for (const c of input.previous) {
    const k = claimIdentity(c);
    const list = previous.get(k);
    if (list) list.push(c);
    else previous.set(k, [c]);
  }
  // the other sources' amounts for one fact, in the order `others` lists them; each fact looked up once
  const amounts = input.others.length > 0 && input.others[0] instanceof FactAmounts ? (input.others as readonly FactAmounts[]) : [new FactAmounts(input.others as readonly Claim[])];
  const othersByFact = new Map<string, number[]>();
  const othersOf = (k: string): number[] => {
    let list = othersByFact.get(k);
    if (list === undefined) {
      list = [];
      for (const fa of amounts) for (const e of fa.get(k) ?? []) if (e.sourceId !== input.sourceId) list.push(e.amount);
      othersByFact.set(k, list);
    }
    return list;
  };
  // the values this run states for each key: a key stated several times is judged as a whole
  const statedNow = new Map<string, number[]>();
  /** Each claim's identity (those with an amount), worked out once. */
  const identities: (string | undefined)[] = new Array(input.claims.length);
  for (let i = 0; i < input.claims.length; i++) {
    const c = input.claims[i]!;
    const a = amount(c.value);
    if (a === undefined) continue;
    const k = (identities[i] = claimIdentity(c));
    const list = statedNow.get(k);
    if (list) list.push(a);
    else statedNow.set(k, [a]);
  }
  const heldBefore = new Map<string, number[]>();
  for (const c of input.held ?? []) {
    const a = amount(c.value);
    if (a === undefined) continue;
    const k = claimIdentity(c);
    heldBefore.set(k, [...(heldBefore.get(k) ?? []), a]);
  }
  const out: ClaimQuarantineResult = { claims: [], quarantined: [] };
  for (let i = 0; i < input.claims.length; i++) {
    const c = input.claims[i]!;
    const now = amount(c.value);
    if (now === undefined) {
      out.claims.push(c);
      continue;
    }
    const identity = identities[i]!;
    // held last week at this very value: the change persisted a second week, it publishes
    if ((heldBefore.get(identity) ?? []).some((h) => lands(h, now))) {
      out.claims.push(c);
      continue;
    }
    const others = othersOf(factKeyOfClaim(c));
    const confirmed = others.some((o) => lands(o, now));
    const before = closest(previous.get(identity), now);
    const was = before ? amount(before.value) : undefined;
    if (
      opts.holdLoneChanges &&
      before &&
      was !== undefined &&
      was > 0 &&
      now > 0 &&
      !lands(now, was) &&
      ratio(now, was) < opts.jumpFactor &&
      !confirmed &&
      others.some((o) => lands(o, was)) &&
      !(statedNow.get(identity) ?? []).some((v) => lands(v, was))
    ) {
      out.claims.push(before);
      out.quarantined.push({
        claim: c,
        kept: before,
        reason: `${describe(c)} changed from ${text(before.value)} to ${text(c.value)} while another source still states ${text(before.value)} and none states the new value; held for a week (it publishes if stated again, or once another source states it)`,
      });
      continue;
    }
    if (before && was !== undefined && was > 0 && now > 0 && ratio(now, was) >= opts.jumpFactor) {
      // the store keeps one version per key, so a second value stated for the same key this run is not a
      // jump while one of the run's values still is last week's: reconcile sees the source's own spread
      const siblings = statedNow.get(identity) ?? [];
      if (confirmed || (siblings.length > 1 && siblings.some((v) => lands(v, was)))) {
        out.claims.push(c);
        continue;
      }
      const slip = slipOrder(now, was);
      // with no other source to compare, only a unit slip is held back: a lone catalog's price change is its news
      if (others.length === 0 && !slip) {
        out.claims.push(c);
        continue;
      }
      out.claims.push(before);
      out.quarantined.push({
        claim: c,
        kept: before,
        reason: `${describe(c)} jumped from ${text(before.value)} to ${text(c.value)} (${slip ? `×10^${slip}: a unit slip?` : `×${ratio(now, was).toFixed(2)}`}) and no other source states the new value; the last good value stays`,
      });
      continue;
    }
    if (!before && now > 0 && others.length > 0 && !confirmed && others.every((o) => slipOrder(o, now) !== undefined)) {
      out.quarantined.push({
        claim: c,
        reason: `${describe(c)} is new at ${text(c.value)}, about 10^${slipOrder(others[0]!, now)} times what other sources state (${others.slice(0, 3).join(', ')}): a unit slip?`,
      });
      continue;
    }
    out.claims.push(c);
  }
  return out;
}
