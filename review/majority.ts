/** What a plain majority vote among the candidates would choose: shown beside the rule's choice, never used by it. */
import type { Candidate } from '../schema/fact.js';
import type { Value } from '../schema/values.js';
import { FLAG } from '../schema/flags.js';
import { canonicalValue } from '../schema/keys.js';

export interface MajorityVote {
  /** The value most sources state, or null on a tie. */
  value: Value | null;
  votes: number;
  of: number;
  tiedWith: number;
}

/** One vote per source and listing; rejected claims and less-qualified matches do not vote. */
export function majorityVote(candidates: readonly Candidate[]): MajorityVote {
  const voters = candidates.filter((c) => !c.flags.includes(FLAG.rejected) && !c.flags.includes(FLAG.unqualifiedMatch));
  const tally = new Map<string, { value: Value; who: Set<string> }>();
  for (const c of voters) {
    const k = canonicalValue(c.value);
    const t = tally.get(k) ?? { value: c.value, who: new Set<string>() };
    t.who.add(`${c.provenance.sourceId}\u0000${c.provenance.via ?? ''}`);
    tally.set(k, t);
  }
  const ranked = [...tally.values()].sort((a, b) => b.who.size - a.who.size);
  const top = ranked[0];
  const of = new Set(voters.map((c) => `${c.provenance.sourceId}\u0000${c.provenance.via ?? ''}`)).size;
  if (!top) return { value: null, votes: 0, of, tiedWith: 0 };
  const tied = ranked.filter((r) => r.who.size === top.who.size).length - 1;
  return { value: tied > 0 ? null : top.value, votes: top.who.size, of, tiedWith: tied };
}
