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

/**
 * The input compiled for the iteration: facts in canonical order (by key, then
 * attribute; facts with fewer than two voters dropped), each voter's leaves
 * sorted and unique, everything as small integers in flat typed arrays. A step
 * then reads and writes numbers only: no Map look-up by string, no object per
 * verdict (55 steps over ~10,000 facts made those most of a week's reconcile).
 */
interface Compiled {
  /** Reliability keys (voter and attribute) in sorted order: a key's index is its id. */
  keys: string[];
  voters: string[];
  attributes: string[];
  /** Ballots of fact f: ballotStart[f] ..< ballotStart[f + 1], in voter order. */
  ballotStart: Int32Array;
  /** Each ballot's reliability key id. */
  ballotKey: Int32Array;
  /** Leaves of ballot b: leafStart[b] ..< leafStart[b + 1], each the leaf's rank in its fact's sorted leaves. */
  leafStart: Int32Array;
  leaf: Int32Array;
  /** How many distinct leaves fact f has. */
  leafCount: Int32Array;
  /** The most leaves of any fact (the size of a step's score buffer). */
  maxLeaves: number;
}

function compile(input: readonly BallotFact[]): Compiled {
  const facts: { key: string; attribute: string; ballots: { voter: string; leaves: string[] }[] }[] = [];
  for (const f of input) {
    const byVoter = new Map<string, Set<string>>();
    for (const b of f.ballots) {
      const set = byVoter.get(b.voter);
      if (set) for (const l of b.leaves) set.add(l);
      else byVoter.set(b.voter, new Set(b.leaves));
    }
    const ballots: { voter: string; leaves: string[] }[] = [];
    for (const [voter, set] of byVoter) if (set.size > 0) ballots.push({ voter, leaves: [...set].sort(cmp) });
    if (ballots.length < 2) continue;
    ballots.sort((a, b) => cmp(a.voter, b.voter));
    facts.push({ key: f.key, attribute: f.attribute, ballots });
  }
  facts.sort((a, b) => cmp(a.key, b.key) || cmp(a.attribute, b.attribute));

  const keyOf = new Map<string, { voter: string; attribute: string }>();
  let nBallots = 0;
  let nLeaves = 0;
  for (const f of facts) {
    for (const b of f.ballots) {
      const k = reliabilityKey(b.voter, f.attribute);
      if (!keyOf.has(k)) keyOf.set(k, { voter: b.voter, attribute: f.attribute });
      nLeaves += b.leaves.length;
    }
    nBallots += f.ballots.length;
  }
  const keys = [...keyOf.keys()].sort(cmp);
  const idOf = new Map(keys.map((k, i) => [k, i]));
  const c: Compiled = {
    keys,
    voters: keys.map((k) => keyOf.get(k)!.voter),
    attributes: keys.map((k) => keyOf.get(k)!.attribute),
    ballotStart: new Int32Array(facts.length + 1),
    ballotKey: new Int32Array(nBallots),
    leafStart: new Int32Array(nBallots + 1),
    leaf: new Int32Array(nLeaves),
    leafCount: new Int32Array(facts.length),
    maxLeaves: 0,
  };
  let b = 0;
  let l = 0;
  facts.forEach((f, fi) => {
    c.ballotStart[fi] = b;
    const union = new Set<string>();
    for (const x of f.ballots) for (const leaf of x.leaves) union.add(leaf);
    const rank = new Map([...union].sort(cmp).map((leaf, i) => [leaf, i]));
    c.leafCount[fi] = rank.size;
    if (rank.size > c.maxLeaves) c.maxLeaves = rank.size;
    for (const x of f.ballots) {
      c.ballotKey[b] = idOf.get(reliabilityKey(x.voter, f.attribute))!;
      c.leafStart[b] = l;
      for (const leaf of x.leaves) c.leaf[l++] = rank.get(leaf)!;
      b++;
    }
  });
  c.ballotStart[facts.length] = b;
  c.leafStart[b] = l;
  return c;
}

/** Per key: what one step counted, and the learned weight so far. */
interface State {
  compared: Float64Array;
  agreed: Float64Array;
  /** The weight of each key (1 until it is first compared). */
  weight: Float64Array;
  /** Whether the key has a weight yet. */
  has: Uint8Array;
}

/**
 * The leaf (rank) with the highest weighted support among the ballots of
 * `lo ..< hi` but `skip`, or -1 on a tie within TOLERANCE or no support:
 * weightedVerdict's sums in its order (ballots in voter order, leaves in key
 * order), so the verdicts, and the weights learned from them, are exactly its.
 */
function verdictWithout(c: Compiled, w: Float64Array, lo: number, hi: number, skip: number, leaves: number, score: Float64Array, seen: Uint8Array): number {
  // one other ballot (most facts): its only leaf, or a tie among its leaves — whatever the weights (all > 0)
  if (hi - lo === 2) {
    const other = skip === lo ? lo + 1 : lo;
    return c.leafStart[other + 1]! - c.leafStart[other]! === 1 ? c.leaf[c.leafStart[other]!]! : -1;
  }
  score.fill(0, 0, leaves);
  seen.fill(0, 0, leaves);
  for (let j = lo; j < hi; j++) {
    if (j === skip) continue;
    const from = c.leafStart[j]!;
    const to = c.leafStart[j + 1]!;
    const share = w[c.ballotKey[j]!]! / (to - from);
    for (let x = from; x < to; x++) {
      const leaf = c.leaf[x]!;
      score[leaf]! += share;
      seen[leaf] = 1;
    }
  }
  // topLeaf over the supported leaves in key order
  let best = -1;
  let top = -Infinity;
  let tie = false;
  for (let leaf = 0; leaf < leaves; leaf++) {
    if (seen[leaf] === 0) continue;
    const s = score[leaf]!;
    if (s > top + TOLERANCE) {
      best = leaf;
      top = s;
      tie = false;
    } else if (Math.abs(s - top) <= TOLERANCE) tie = true;
  }
  return tie ? -1 : best;
}

/** Facts with at least this many ballots take each leave-one-out verdict off the fact's totals (below, summing the others is as cheap). */
const INCREMENTAL_FROM = 4;

/** Buffers of a step, sized to the largest fact's leaves. */
interface Scratch {
  score: Float64Array;
  seen: Uint8Array;
  total: Float64Array;
  count: Int32Array;
  mark: Uint8Array;
}

/**
 * verdictWithout for a fact of many ballots, from its totals (`total`, `count`
 * over every ballot): the skipped ballot's share subtracted instead of the
 * others summed again. Subtraction rounds differently from summing in order,
 * by at most a few ulps of the fact's total weight; where that could flip a
 * comparison (a score difference within `guard` of TOLERANCE) the verdict is
 * summed in order after all, so it is always exactly verdictWithout's.
 */
function verdictFromTotals(c: Compiled, w: Float64Array, lo: number, hi: number, skip: number, leaves: number, x: Scratch, guard: number): number {
  const from = c.leafStart[skip]!;
  const to = c.leafStart[skip + 1]!;
  const share = w[c.ballotKey[skip]!]! / (to - from);
  for (let y = from; y < to; y++) x.mark[c.leaf[y]!] = 1;
  let best = -1;
  let top = -Infinity;
  let tie = false;
  let unsure = false;
  for (let leaf = 0; leaf < leaves; leaf++) {
    const m = x.mark[leaf]!;
    if (x.count[leaf]! - m === 0) continue;
    const s = m === 1 ? x.total[leaf]! - share : x.total[leaf]!;
    if (best >= 0 && Math.abs(Math.abs(s - top) - TOLERANCE) <= guard) {
      unsure = true;
      break;
    }
    if (s > top + TOLERANCE) {
      best = leaf;
      top = s;
      tie = false;
    } else if (Math.abs(s - top) <= TOLERANCE) tie = true;
  }
  for (let y = from; y < to; y++) x.mark[c.leaf[y]!] = 0;
  if (unsure) return verdictWithout(c, w, lo, hi, skip, leaves, x.score, x.seen);
  return tie ? -1 : best;
}

/** One step: every voter's agreement with the others' weighted verdict, counted into state.compared / state.agreed. */
function step(c: Compiled, st: State, x: Scratch): void {
  st.compared.fill(0);
  st.agreed.fill(0);
  const w = st.weight;
  const facts = c.leafCount.length;
  for (let f = 0; f < facts; f++) {
    const lo = c.ballotStart[f]!;
    const hi = c.ballotStart[f + 1]!;
    const leaves = c.leafCount[f]!;
    const incremental = hi - lo >= INCREMENTAL_FROM;
    let guard = 0;
    if (incremental) {
      x.total.fill(0, 0, leaves);
      x.count.fill(0, 0, leaves);
      let sum = 0;
      for (let j = lo; j < hi; j++) {
        const from = c.leafStart[j]!;
        const to = c.leafStart[j + 1]!;
        const wj = w[c.ballotKey[j]!]!;
        sum += wj;
        const share = wj / (to - from);
        for (let y = from; y < to; y++) {
          x.total[c.leaf[y]!]! += share;
          x.count[c.leaf[y]!]! += 1;
        }
      }
      // a generous bound on how far a subtracted score can be from the one summed in order (a few ulps per ballot)
      guard = 16 * (hi - lo + 1) * Number.EPSILON * sum;
    }
    for (let i = lo; i < hi; i++) {
      const verdict = incremental ? verdictFromTotals(c, w, lo, hi, i, leaves, x, guard) : verdictWithout(c, w, lo, hi, i, leaves, x.score, x.seen);
      if (verdict < 0) continue;
      const k = c.ballotKey[i]!;
      st.compared[k]! += 1;
      const from = c.leafStart[i]!;
      const to = c.leafStart[i + 1]!;
      for (let y = from; y < to; y++) {
        if (c.leaf[y] !== verdict) continue;
        st.agreed[k]! += 1 / (to - from);
        break;
      }
    }
  }
}

/**
 * Iterates verdicts and weights from equal weights (a plain vote) until no
 * weight moves by more than 1e-9, or MAX_ITERATIONS. Each step moves the
 * weights toward the new estimate by a shrinking share (STEP_DECAY^i), so a
 * fact flipping back and forth between two verdicts cannot keep the weights
 * swinging: the total movement is bounded and the iteration converges.
 */
export function learnReliability(input: readonly BallotFact[]): Reliability {
  const c = compile(input);
  const n = c.keys.length;
  const st: State = { compared: new Float64Array(n), agreed: new Float64Array(n), weight: new Float64Array(n).fill(1), has: new Uint8Array(n) };
  // a key's figures from the last step it was compared in (a voter with no verdict this step keeps them, and its weight)
  const compared = new Float64Array(n);
  const agreed = new Float64Array(n);
  // the weights' Map order as the plain computation builds it: keys not compared this step keep their place, then those compared, sorted
  let order: number[] = [];
  const m = c.maxLeaves;
  const scratch: Scratch = { score: new Float64Array(m), seen: new Uint8Array(m), total: new Float64Array(m), count: new Int32Array(m), mark: new Uint8Array(m) };
  const result = (iterations: number, converged: boolean): Reliability => {
    const weights = new Map<string, VoterReliability>();
    for (const k of order) {
      weights.set(c.keys[k]!, { voter: c.voters[k]!, attribute: c.attributes[k]!, compared: compared[k]!, agreed: agreed[k]!, weight: st.weight[k]! });
    }
    return { weights, iterations, converged };
  };
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    step(c, st, scratch);
    const decay = STEP_DECAY ** (i - 1);
    let moved = 0;
    const next: number[] = [];
    for (const k of order) if (st.compared[k] === 0) next.push(k);
    for (let k = 0; k < n; k++) {
      if (st.compared[k] === 0) continue;
      const raw = weightFrom(st.agreed[k]!, st.compared[k]!);
      const prev = st.weight[k]!;
      const w = st.has[k] === 0 || i === 1 ? raw : prev + (raw - prev) * decay;
      moved = Math.max(moved, Math.abs(prev - w));
      st.weight[k] = w;
      st.has[k] = 1;
      compared[k] = st.compared[k]!;
      agreed[k] = st.agreed[k]!;
      next.push(k);
    }
    order = next;
    if (moved <= TOLERANCE) return result(i, true);
  }
  return result(MAX_ITERATIONS, false);
}
