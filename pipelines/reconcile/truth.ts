/**
 * Learned source reliability (truth discovery, CRH-style weighted fusion).
 *
 * Every fact that several sources speak to is a small test of each of them:
 * does a source agree with what the OTHER sources, weighted by their own
 * reliability, make of the fact? From those tests each source gets a weight
 * per attribute, the log-odds of its agreement (with one success and one
 * failure added, so a source seen twice is not trusted like one seen a
 * thousand times); the weights change the weighted verdicts, so the two are
 * iterated until the weights stop moving.
 *
 * Leaving the source out of its own test matters: two catalogs that disagree
 * on a fact nobody else speaks to tell us nothing about which is right, and a
 * source must not earn weight by agreeing with itself.
 *
 * Pure, deterministic and independent of input order: facts and sources are
 * visited in sorted order, sums run in that order, ties decide nothing.
 */

export interface Ballot {
  /** Who speaks: a source id, or `<source>@pass-through` for a gateway's price used as evidence for the creator's route. */
  voter: string;
  /** The distinct values (leaf keys) this voter supports on the fact; a voter supporting several splits its vote. */
  leaves: readonly string[];
}

export interface BallotFact {
  key: string;
  /** Weights are learned per attribute: a catalog may be good at prices and poor at release dates. */
  attribute: string;
  ballots: readonly Ballot[];
}

export interface VoterReliability {
  voter: string;
  attribute: string;
  /** Facts where the other voters had a verdict this voter could be compared with. */
  compared: number;
  /** Of those, how many (split votes count in part) agreed with the others' verdict. */
  agreed: number;
  weight: number;
}

export interface Reliability {
  weights: Map<string, VoterReliability>;
  iterations: number;
  converged: boolean;
}

export const MAX_ITERATIONS = 100;
/** Each step moves the weights this share less than the step before (annealing): the iteration converges even when verdicts flip back and forth. */
const STEP_DECAY = 0.7;
const TOLERANCE = 1e-9;
/** Weights stay in [MIN_WEIGHT, MAX_WEIGHT]: nobody is silenced, nobody is an oracle. */
export const MIN_WEIGHT = 0.05;
export const MAX_WEIGHT = 6;

export const reliabilityKey = (voter: string, attribute: string) => `${voter}\u0000${attribute}`;

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The leaf with the highest weighted support among `ballots`, or undefined on a tie or no support. */
export function weightedVerdict(ballots: readonly Ballot[], weightOf: (voter: string) => number): string | undefined {
  const score = new Map<string, number>();
  for (const b of ballots) {
    if (b.leaves.length === 0) continue;
    const w = weightOf(b.voter) / b.leaves.length;
    for (const l of b.leaves) score.set(l, (score.get(l) ?? 0) + w);
  }
  return topLeaf(score);
}

/** The leaf with the highest score (leaves taken in key order), or undefined on a tie within TOLERANCE or no leaf. */
function topLeaf(score: ReadonlyMap<string, number>): string | undefined {
  let best: string | undefined;
  let top = -Infinity;
  let tie = false;
  for (const [leaf, s] of score.size > 1 ? [...score].sort(([a], [b]) => cmp(a, b)) : score) {
    if (s > top + TOLERANCE) {
      best = leaf;
      top = s;
      tie = false;
    } else if (Math.abs(s - top) <= TOLERANCE) tie = true;
  }
  return tie ? undefined : best;
}

const weightFrom = (agreed: number, compared: number) =>
  Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, Math.log((agreed + 1) / (compared - agreed + 1))));

/** Canonical form of the input: facts by key, ballots by voter, leaves sorted and unique; facts with fewer than two voters dropped. */
function canonical(facts: readonly BallotFact[]): BallotFact[] {
  return facts
    .map((f) => {
      const byVoter = new Map<string, Set<string>>();
      for (const b of f.ballots) {
        const set = byVoter.get(b.voter) ?? new Set<string>();
        for (const l of b.leaves) set.add(l);
        byVoter.set(b.voter, set);
      }
      const ballots = [...byVoter]
        .filter(([, s]) => s.size > 0)
        .sort(([a], [b]) => cmp(a, b))
        .map(([voter, s]) => ({ voter, leaves: [...s].sort(cmp) }));
      return { key: f.key, attribute: f.attribute, ballots };
    })
    .filter((f) => f.ballots.length >= 2)
    .sort((a, b) => cmp(a.key, b.key) || cmp(a.attribute, b.attribute));
}

/** A fact with each ballot's reliability key computed once (they are looked up every step). */
interface Prepared {
  fact: BallotFact;
  keys: string[];
}

/**
 * weightedVerdict over every ballot but `skip`, with the ballots' weights given:
 * the same sums in the same order as weightedVerdict on the filtered ballots
 * (voters are unique within a canonical fact), without building them.
 */
function verdictWithout(ballots: readonly Ballot[], ws: readonly number[], skip: number): string | undefined {
  // one other ballot (most facts): its only leaf, or a tie among its leaves — whatever the weights (all > 0)
  if (ballots.length === 2) {
    const other = ballots[1 - skip]!;
    return other.leaves.length === 1 ? other.leaves[0] : undefined;
  }
  const score = new Map<string, number>();
  for (let j = 0; j < ballots.length; j++) {
    const b = ballots[j]!;
    if (j === skip || b.leaves.length === 0) continue;
    const w = ws[j]! / b.leaves.length;
    for (const l of b.leaves) score.set(l, (score.get(l) ?? 0) + w);
  }
  return topLeaf(score);
}

function step(facts: readonly Prepared[], weights: ReadonlyMap<string, VoterReliability>): Map<string, VoterReliability> {
  const acc = new Map<string, { voter: string; attribute: string; compared: number; agreed: number }>();
  for (const { fact: f, keys } of facts) {
    const ws = keys.map((k) => weights.get(k)?.weight ?? 1);
    f.ballots.forEach((b, i) => {
      const verdict = verdictWithout(f.ballots, ws, i);
      if (verdict === undefined) return;
      const k = keys[i]!;
      const a = acc.get(k) ?? { voter: b.voter, attribute: f.attribute, compared: 0, agreed: 0 };
      a.compared += 1;
      if (b.leaves.includes(verdict)) a.agreed += 1 / b.leaves.length;
      acc.set(k, a);
    });
  }
  const out = new Map<string, VoterReliability>();
  for (const [k, a] of [...acc].sort(([x], [y]) => cmp(x, y))) out.set(k, { ...a, weight: weightFrom(a.agreed, a.compared) });
  return out;
}

function distance(a: ReadonlyMap<string, VoterReliability>, b: ReadonlyMap<string, VoterReliability>): number {
  let d = 0;
  for (const k of new Set([...a.keys(), ...b.keys()])) d = Math.max(d, Math.abs((a.get(k)?.weight ?? 1) - (b.get(k)?.weight ?? 1)));
  return d;
}

/**
 * Iterates verdicts and weights from equal weights (a plain vote) until no
 * weight moves by more than 1e-9, or MAX_ITERATIONS. Each step moves the
 * weights toward the new estimate by a shrinking share (STEP_DECAY^i), so a
 * fact flipping back and forth between two verdicts cannot keep the weights
 * swinging: the total movement is bounded and the iteration converges.
 */
export function learnReliability(input: readonly BallotFact[]): Reliability {
  const facts = canonical(input).map((fact) => ({ fact, keys: fact.ballots.map((b) => reliabilityKey(b.voter, fact.attribute)) }));
  let weights = new Map<string, VoterReliability>();
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const raw = step(facts, weights);
    // a voter with no verdict to be compared with this step keeps its weight
    const damped = new Map<string, VoterReliability>([...weights].filter(([k]) => !raw.has(k)));
    for (const [k, r] of raw) {
      const prev = weights.get(k)?.weight;
      damped.set(k, { ...r, weight: prev === undefined || i === 1 ? r.weight : prev + (r.weight - prev) * STEP_DECAY ** (i - 1) });
    }
    const moved = distance(weights, damped);
    weights = damped;
    if (moved <= TOLERANCE) return { weights, iterations: i, converged: true };
  }
  return { weights, iterations: MAX_ITERATIONS, converged: false };
}
