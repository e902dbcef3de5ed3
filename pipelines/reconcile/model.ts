/** The engine's working view of a fact's candidates and of the distinct values they support. */
import type { Attribute } from '../../schema/attributes.js';
import type { Candidate } from '../../schema/fact.js';
import type { Value } from '../../schema/values.js';
import type { Authority } from './authority.js';
import { canonicalDecimal, NOT_APPLICABLE_KEY, type Meaning } from './equivalence.js';
import { FLAG, type Flag } from '../../schema/flags.js';

export interface Cand {
  candidate: Candidate;
  attribute: Attribute;
  sourceId: string;
  /**
   * The listing within the source (provenance.via), copied here: claims come
   * from many extractors in many object shapes, and the listing scans read it
   * for every candidate of every fact.
   */
  via: string | undefined;
  /** Site of the page (for spotting copies between pages of one site). */
  host: string;
  meaning: Meaning;
  authority: Authority;
  /** Days since epoch the claim speaks for: the page's stated "as of", else the fetch day. */
  asOfDay: number;
  /** The page's own "as of" date (last day it covers) and its precision; absent when the page states none. Only these decide freshness. */
  stated?: { day: number; precision: string };
  /** A pass-through gateway's price for the same model attached as evidence (FLAG.passThrough): never a voter. */
  witness: boolean;
  /** For a witness: the gateway route its price is on. */
  routeOf?: string;
  flags: FlagSet;
  /** False for a less-qualified claim attached here because it equals this fact's value: it supports, never decides. */
  voter: boolean;
  /** Position in the canonical candidate order (ties are broken by it, never by input order). */
  order: number;
}

/**
 * A candidate's flags: a Set's has/add/size and insertion-order iteration, in
 * a small array made when the first flag is added. Every claim of a week is a
 * candidate and most have no flag; a Set each was a large share of what the
 * heap held through reconcile.
 */
export class FlagSet implements Iterable<Flag> {
  private list: Flag[] | undefined;

  get size(): number {
    return this.list === undefined ? 0 : this.list.length;
  }

  has(flag: Flag): boolean {
    return this.list !== undefined && this.list.includes(flag);
  }

  add(flag: Flag): this {
    if (this.list === undefined) this.list = [flag];
    else if (!this.list.includes(flag)) this.list.push(flag);
    return this;
  }

  [Symbol.iterator](): Iterator<Flag> {
    return (this.list ?? []).values();
  }
}

/**
 * Known aggregator failure shapes, in the order the ladder sets them aside (rules.ts,
 * set-aside-known-failures): a candidate with one is demoted wherever sound ones remain.
 */
export const KNOWN_FAILURES: readonly Flag[] = [FLAG.placeholder, FLAG.approximate, FLAG.stale, FLAG.unitSlip, FLAG.zeroPrice];

/**
 * What the ladder keeps of these statements: each known failure shape in turn set aside while some statement
 * without it remains (a sound value before a placeholder, a merely approximate one before a placeholder, …),
 * and what it set aside, each with the shape that did, in that order.
 */
export function setAsideInOrder<C extends Pick<Cand, 'flags'>>(cands: readonly C[]): { kept: C[]; setAside: { cand: C; flag: Flag }[] } {
  let kept = [...cands];
  const setAside: { cand: C; flag: Flag }[] = [];
  for (const flag of KNOWN_FAILURES) {
    const without = kept.filter((c) => !c.flags.has(flag));
    if (without.length === 0 || without.length === kept.length) continue;
    for (const c of kept) if (c.flags.has(flag)) setAside.push({ cand: c, flag });
    kept = without;
  }
  return { kept, setAside };
}

/**
 * A leaf is one of the most precise distinct meanings among candidates:
 * 2025-10-06 and 2025-10-07 are two leaves; a candidate saying 2025-10
 * supports both, and is no leaf of its own.
 */
export interface Leaf {
  key: string;
  ancestors: readonly string[];
  supporters: Cand[];
}

export function supports(c: Cand, leaf: Pick<Leaf, 'key' | 'ancestors'>): boolean {
  return c.meaning.key === leaf.key || leaf.ancestors.includes(c.meaning.key);
}

export function leavesOf(cands: readonly Cand[]): Leaf[] {
  // one candidate (most facts): its own meaning, unless it is an ancestor of itself (it never is)
  if (cands.length === 1) {
    const c = cands[0]!;
    return c.meaning.ancestors.includes(c.meaning.key) ? [] : [{ key: c.meaning.key, ancestors: c.meaning.ancestors, supporters: [c] }];
  }
  const ancestorKeys = new Set<string>();
  const byKey = new Map<string, Meaning>();
  for (const c of cands) {
    for (const a of c.meaning.ancestors) ancestorKeys.add(a);
    if (!byKey.has(c.meaning.key)) byKey.set(c.meaning.key, c.meaning);
  }
  const leaves: Leaf[] = [];
  for (const [key, meaning] of byKey) {
    if (ancestorKeys.has(key)) continue;
    const leaf: Leaf = { key, ancestors: meaning.ancestors, supporters: [] };
    leaf.supporters = cands.filter((c) => supports(c, leaf));
    leaves.push(leaf);
  }
  return leaves.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function demerits(c: Cand): number {
  return KNOWN_FAILURES.reduce((n, f) => n + (c.flags.has(f) ? 1 : 0), 0);
}

/** The best statement of a leaf: most precise, fewest failure flags, most authoritative, newest, then canonical order. */
export function bestOf(cands: readonly Cand[], leafKey: string): Cand | undefined {
  if (cands.length < 2) return cands[0];
  const exact = cands.filter((c) => c.meaning.key === leafKey);
  const pool = exact.length > 0 ? exact : [...cands];
  return pool.sort(
    (a, b) =>
      demerits(a) - demerits(b) ||
      b.authority.rank - a.authority.rank ||
      b.asOfDay - a.asOfDay ||
      a.order - b.order,
  )[0];
}

/** The value a leaf stands for: the best statement of it, with 0 read as "not applicable". */
export function leafValue(leaf: Leaf): Value {
  const best = bestOf(leaf.supporters, leaf.key);
  if (!best) throw new Error(`leaf ${leaf.key} has no supporters`);
  if (leaf.key === NOT_APPLICABLE_KEY) {
    const stated = leaf.supporters.find((c) => c.meaning.key === NOT_APPLICABLE_KEY && c.candidate.value.kind === 'not_applicable');
    return stated ? stated.candidate.value : { kind: 'not_applicable', stated: '0' };
  }
  const v = best.candidate.value;
  if (v.kind === 'money') return { kind: 'money', usd: canonicalDecimal(v.usd) };
  if (v.kind === 'text') return { kind: 'text', text: v.text.trim().replace(/\s+/g, ' ') };
  return v;
}

/** The sources stating the fact itself (pass-through witnesses speak for another route and are not counted). */
export function distinctSources(cands: readonly Cand[]): string[] {
  if (cands.length === 1) return cands[0]!.witness ? [] : [cands[0]!.sourceId];
  return [...new Set(cands.filter((c) => !c.witness).map((c) => c.sourceId))].sort();
}
