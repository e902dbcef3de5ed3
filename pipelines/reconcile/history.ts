/**
 * Evidence for learned reliability from facts already published (pure): every
 * multi-source fact of the stored weeks is one more test of each source that
 * voted on it, read off its stored candidates the way the engine reads them
 * (one voice per catalog: "other-listing", attached less-qualified claims and
 * reviewer-rejected claims do not vote; a pass-through gateway price votes as
 * `<source>@pass-through`; known failure shapes are left out when clean
 * statements exist). The store reads the facts at the edge
 * (store/reliability-evidence.ts); nothing here does IO.
 */
import type { Candidate, Fact } from '../../schema/fact.js';
import { meaningOf, type Meaning } from './equivalence.js';
import { FLAG, PLAUSIBILITY_FLAGS } from './flags.js';
import { KNOWN_FAILURES } from './model.js';
import { REJECTED_FLAG } from './rejections.js';
import type { BallotFact } from './truth.js';

const NON_VOTING: readonly string[] = [FLAG.otherListing, FLAG.unqualifiedMatch, REJECTED_FLAG];

/** What the evidence reads of a stored candidate: its value, flags and source. */
export type StoredCandidate = Pick<Candidate, 'value' | 'flags'> & { provenance: Pick<Candidate['provenance'], 'sourceId'> };

/** A stored fact version, with what tells its versions apart (the week it became valid). */
export type StoredFact = Pick<Fact, 'modelId' | 'attribute' | 'qualifiers'> & { candidates: readonly StoredCandidate[]; factKey: string; validFrom: string };

function ballotFactOf(f: StoredFact): BallotFact | undefined {
  const voters: { voter: string; meaning: Meaning; demoted: boolean }[] = [];
  for (const c of f.candidates) {
    if (c.flags.some((x) => NON_VOTING.includes(x))) continue;
    const witness = c.flags.includes(FLAG.passThrough);
    if (witness && c.flags.some((x) => (PLAUSIBILITY_FLAGS as readonly string[]).includes(x))) continue;
    voters.push({
      voter: witness ? `${c.provenance.sourceId}@pass-through` : c.provenance.sourceId,
      meaning: meaningOf(c.value, f.attribute),
      demoted: c.flags.some((x) => (KNOWN_FAILURES as readonly string[]).includes(x)),
    });
  }
  const clean = voters.filter((v) => !v.demoted);
  const eligible = clean.some((v) => !v.voter.endsWith('@pass-through')) ? clean : voters;
  if (new Set(eligible.map((v) => v.voter)).size < 2) return undefined;
  // the most precise distinct meanings (2025-10 supports 2025-10-06 and is no leaf of its own)
  const ancestors = new Set(eligible.flatMap((v) => v.meaning.ancestors));
  const leaves = new Map<string, Meaning>();
  for (const v of eligible) if (!ancestors.has(v.meaning.key)) leaves.set(v.meaning.key, v.meaning);
  const by = new Map<string, Set<string>>();
  for (const v of eligible) {
    for (const leaf of leaves.values()) {
      if (v.meaning.key !== leaf.key && !leaf.ancestors.includes(v.meaning.key)) continue;
      const set = by.get(v.voter) ?? new Set<string>();
      set.add(leaf.key);
      by.set(v.voter, set);
    }
  }
  return {
    key: `${f.factKey}@${f.validFrom}`,
    attribute: f.attribute,
    ballots: [...by].map(([voter, set]) => ({ voter, leaves: [...set] })),
  };
}

/** The reliability evidence of stored fact versions: one ballot fact per multi-source version (each version counts once, however many weeks it stayed valid). */
export function ballotsFromFacts(facts: readonly StoredFact[]): BallotFact[] {
  const out: BallotFact[] = [];
  for (const f of facts) {
    const b = ballotFactOf(f);
    if (b) out.push(b);
  }
  return out;
}
