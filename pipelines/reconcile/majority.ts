/**
 * What a plain majority vote would choose (pure), for comparison beside the
 * engine's choice: one vote per source (a source stating several values
 * splits it), no authority, no learned weights, nothing set aside. Other
 * listings of a catalog, attached less-qualified claims, reviewer-rejected
 * claims and pass-through gateway prices do not vote, as in the engine.
 * Read off a fact's candidates, so a stored fact gives the same answer.
 */
import type { Fact } from '../../schema/fact.js';
import type { Value } from '../../schema/values.js';
import { canonicalDecimal, meaningOf, type Meaning } from './equivalence.js';
import { FLAG } from './flags.js';
import { REJECTED_FLAG } from './rejections.js';

const NON_VOTING: readonly string[] = [FLAG.otherListing, FLAG.unqualifiedMatch, REJECTED_FLAG, FLAG.passThrough];

/** The majority's value; undefined on a tie or when fewer than two distinct values are stated. */
export function majorityOfFact(f: Pick<Fact, 'attribute' | 'candidates'>): Value | undefined {
  // one candidate (most facts) states at most one value
  if (f.candidates.length < 2) return undefined;
  const voters = f.candidates.filter((c) => !c.flags.some((x) => NON_VOTING.includes(x))).map((c) => ({ c, m: meaningOf(c.value, f.attribute) }));
  const ancestors = new Set(voters.flatMap((v) => v.m.ancestors));
  const leaves = new Map<string, Meaning>();
  for (const v of voters) if (!ancestors.has(v.m.key)) leaves.set(v.m.key, v.m);
  if (leaves.size < 2) return undefined;
  const bySource = new Map<string, Set<string>>();
  for (const v of voters) {
    for (const l of leaves.values()) {
      if (v.m.key !== l.key && !l.ancestors.includes(v.m.key)) continue;
      const set = bySource.get(v.c.provenance.sourceId) ?? new Set<string>();
      set.add(l.key);
      bySource.set(v.c.provenance.sourceId, set);
    }
  }
  const score = new Map<string, number>();
  for (const set of bySource.values()) for (const l of set) score.set(l, (score.get(l) ?? 0) + 1 / set.size);
  const top = Math.max(...score.values());
  const winners = [...score].filter(([, s]) => Math.abs(s - top) < 1e-9);
  if (winners.length !== 1) return undefined;
  const key = winners[0]![0];
  const v = voters.find((x) => x.m.key === key)!.c.value;
  if (v.kind === 'money') return { kind: 'money', usd: canonicalDecimal(v.usd) };
  if (v.kind === 'text') return { kind: 'text', text: v.text.trim().replace(/\s+/g, ' ') };
  return v;
}
