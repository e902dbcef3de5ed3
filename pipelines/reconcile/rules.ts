/**
 * THE reconciliation rules, in the order they are tried. Each has a name and
 * a plain-words explanation; a fact's `rule` text is `<name>: <explanation>
 * <what it found for this fact>`. The first rule that decides wins.
 *
 * Before this ladder: claims are grouped by (model, attribute, qualifiers),
 * and a price stated without some qualifiers is matched to the qualified
 * facts it could mean (see UNQUALIFIED_RULE). After it: reviewer decisions
 * (REVIEW_RULES).
 */
import { capList, describeValue, listWords, sourceLabel, sourcesWords } from './describe.js';
import { NOT_APPLICABLE_KEY, type Meaning } from './equivalence.js';
import { dayText, FLAG, PLAUSIBILITY_FLAGS, type Flag } from './flags.js';
import { FAR_FACTOR } from './plausibility.js';
import { distinctSources, KNOWN_FAILURES, leafValue, leavesOf, setAsideInOrder, supports, type Cand, type Leaf } from './model.js';
import type { FactId, Settings } from './types.js';
import { posteriorNote } from '../../schema/fact.js';

export type RuleId =
  | 'all-equivalent'
  | 'set-aside-known-failures'
  | 'authority'
  | 'agreement'
  | 'freshness'
  | 'reliability'
  | 'authority-as-stated'
  | 'common-ground'
  | 'no-rule'
  | 'unqualified-ambiguous'
  | 'reviewed'
  | 'reopened';

export interface LadderState {
  fact: FactId;
  settings: Settings;
  /** Every candidate, including less-qualified ones attached because they match (they support, never vote). */
  all: readonly Cand[];
  voters: readonly Cand[];
  /** Voters still in the running. */
  eligible: readonly Cand[];
  /** The distinct most-precise values among the eligible. */
  leaves: readonly Leaf[];
  setAside: readonly { cand: Cand; why: string }[];
}

export type FactStatusByRule = 'agreed' | 'single-source' | 'auto-resolved' | 'needs-review';

export interface Outcome {
  rule: RuleId;
  status: FactStatusByRule;
  /** The winning value, absent when no rule decides. */
  leaf?: Leaf;
  /** What the rule found for this fact; after runLadder, the full rule text. */
  detail: string;
  /** The learned weights the rule used, per voter (set by the reliability rule). */
  weights?: Record<string, number>;
}

type Step = { outcome: Omit<Outcome, 'rule'>; state?: LadderState } | { narrowed: LadderState } | undefined;

export interface LadderRule {
  id: RuleId;
  explanation: string;
  step(s: LadderState): Step;
}

// ---------------------------------------------------------------- wording helpers

function valueText(s: LadderState, leaf: Leaf): string {
  return describeValue(leafValue(leaf), s.fact.qualifiers);
}

function whoSays(cands: readonly Cand[]): string {
  return sourcesWords(cands.map((c) => c.candidate.provenance));
}

function leafLine(s: LadderState, leaf: Leaf, among: readonly Cand[] = leaf.supporters): string {
  const counts = countsFor(s.eligible);
  return `${valueText(s, leaf)} (${whoSays(among.filter((c) => counts(c, leaf)))})`;
}

function othersText(s: LadderState, winner: Leaf): string {
  const others = s.leaves.filter((l) => l !== winner);
  return others.length === 0 ? '' : ` Other values: ${others.map((l) => leafLine(s, l)).join('; ')}.`;
}

// ---------------------------------------------------------------- the ladder

const allEquivalent: LadderRule = {
  id: 'all-equivalent',
  explanation:
    'All sources mean the same value, compared by meaning rather than text ($0.20 = $0.200; 2025-10 contains 2025-10-06 and the most precise is kept; lists as sets; text ignoring case and spacing).',
  step(s) {
    // first in the ladder: nothing is set aside yet, so the leaves are those of all voters
    const [leaf] = s.leaves;
    if (s.leaves.length !== 1 || !leaf) return undefined;
    const sources = distinctSources(s.all);
    const value = valueText(s, leaf);
    const notes: string[] = [];
    const lessPrecise = s.all.filter((c) => !c.witness && supports(c, leaf) && c.meaning.key !== leaf.key && c.meaning.key !== NOT_APPLICABLE_KEY);
    if (lessPrecise.length > 0) notes.push(`Less precise statements (${whoSays(lessPrecise)}) are compatible with it.`);
    const zeros = s.all.filter((c) => c.flags.has(FLAG.zeroNotApplicable));
    if (zeros.length > 0) notes.push(`The 0 stated by ${whoSays(zeros)} means "not applicable" here, not zero.`);
    // who states it: not a catalog's other listing that says something else (the note on other listings names those)
    const stating = whoSays(s.all.filter((c) => supports(c, leaf) || c.flags.has(FLAG.zeroNotApplicable)));
    const detail = sources.length >= 2 ? `${sources.length} sources agree on ${value}: ${stating}.` : `Only ${stating} states it: ${value}.`;
    return { outcome: { status: sources.length >= 2 ? 'agreed' : 'single-source', leaf, detail: [detail, ...notes].join(' ') } };
  },
};

/** Why the ladder sets aside a statement with each known failure shape (model.ts, KNOWN_FAILURES and setAsideInOrder). */
const SET_ASIDE_WHY: Partial<Record<Flag, string>> = {
  [FLAG.placeholder]: 'looks like a placeholder date',
  [FLAG.approximate]: 'is approximate while precise dates exist',
  [FLAG.stale]: 'is stale while fresher claims exist',
  [FLAG.unitSlip]: 'is about 10^6 (or 10^3) times another source\'s value: a unit slip (per token read as per 1M tokens)',
  [FLAG.zeroPrice]: 'is 0 while other sources state a price',
};

const setAsideKnownFailures: LadderRule = {
  id: 'set-aside-known-failures',
  explanation:
    'Values with a known aggregator failure shape are set aside when better ones exist: placeholder dates (January 1st, or "January YYYY" when another source gives a precise date in another month), approximate dates against precise ones, stale values against fresh ones, unit slips (a value about 10^6 times another source\'s), a 0 among stated prices.',
  step(s) {
    const { kept: eligible, setAside: now } = setAsideInOrder(s.eligible);
    if (now.length === 0) return undefined;
    const setAside = [...s.setAside, ...now.map(({ cand, flag }) => ({ cand, why: SET_ASIDE_WHY[flag]! }))];
    const leaves = leavesOf(eligible);
    const next: LadderState = { ...s, eligible, leaves, setAside };
    const [leaf] = leaves;
    if (leaves.length === 1 && leaf) {
      return { outcome: { status: 'auto-resolved', leaf, detail: `What remains agrees on ${leafLine(next, leaf)}.` }, state: next };
    }
    return { narrowed: next };
  },
};

/** The eligible statements of the highest authority among them; undefined when none is an authority. */
function topAuthorities(s: LadderState): Cand[] | undefined {
  const top = Math.max(0, ...s.eligible.map((c) => c.authority.rank));
  return top === 0 ? undefined : s.eligible.filter((c) => c.authority.rank === top);
}

const authority: LadderRule = {
  id: 'authority',
  explanation:
    "The authority for this attribute decides: the creator's own docs for facts about its model and prices on its own API, a gateway for prices on its own route (or the configured source order).",
  step(s) {
    const authorities = topAuthorities(s);
    if (!authorities) return undefined;
    // Every top-authority statement must point at the same single value.
    const common = s.leaves.filter((l) => authorities.every((c) => supports(c, l)));
    const [leaf] = common;
    const why = authorities[0]?.authority.why ?? 'the authority';
    if (common.length !== 1 || !leaf) {
      // else what the authority states bounds the answer: a vague word of it (a licence of unknown commercial use, a
      // month), or two values it states, leave the rules after this one to choose among those, and the values none of
      // its statements fits are set aside (else two catalogs stating another licence could outvote the creator's own,
      // only because the creator did not say how it may be used); a vague statement counts as in the vote (countsFor)
      const counts = countsFor(s.eligible);
      const bound = s.leaves.filter((l) => authorities.some((c) => counts(c, l)));
      if (bound.length === 0 || bound.length === s.leaves.length) return undefined;
      const fits = (c: Cand) => bound.some((l) => supports(c, l));
      const eligible = s.eligible.filter(fits);
      const outside = s.eligible.filter((c) => !fits(c));
      const source = sourceLabel(authorities[0]!.candidate.provenance);
      const setAside = [...s.setAside, ...outside.map((cand) => ({ cand, why: `does not fit what ${source}, the authority, says` }))];
      return { narrowed: { ...s, eligible, leaves: leavesOf(eligible), setAside } };
    }
    return {
      outcome: { status: 'auto-resolved', leaf, detail: `${why}; it says ${valueText(s, leaf)}.${othersText(s, leaf)}` },
    };
  },
};

/**
 * Values only other listings of a catalog state, apart from every leaf (neither
 * the same, coarser nor finer): a less precise voter that fits one of them as
 * well as a leaf splits its vote with it. Else which values such a voter splits
 * among would depend on how a catalog's listings are demoted, and a catalog
 * restating the chosen value could, by demoting its other listing, concentrate
 * a third source's vague vote on a rival (adding agreement must never lower
 * the chosen value's standing).
 */
function otherListingValues(s: Pick<LadderState, 'all' | 'leaves' | 'eligible'>): Meaning[] {
  const out = new Map<string, Meaning>();
  // a failure shape the ladder sets aside among the voters (a stale value while fresher ones remain) draws no share
  // from another listing either: else the same stale value split a vague vote when a listing stated it, not when a voter did
  const setAside = KNOWN_FAILURES.filter((f) => s.eligible.some((c) => !c.flags.has(f)));
  for (const c of s.all) {
    if (!c.flags.has(FLAG.otherListing) || out.has(c.meaning.key)) continue;
    if (setAside.some((f) => c.flags.has(f))) continue;
    const m = c.meaning;
    const apart = s.leaves.every((l) => l.key !== m.key && !l.ancestors.includes(m.key) && !m.ancestors.includes(l.key));
    if (apart) out.set(m.key, m);
  }
  return [...out.values()];
}

/**
 * Whether a candidate counts for a leaf among these statements: as `supports`, except that a vague statement
 * (a licence of unknown commercial use, a month) whose own source states something more precise that it fits
 * counts only for what that source states precisely. The source's word is its most precise one: its vague listing
 * must not lend its vote or its page's date to a rival it never states (property counterexample, seed 22: a
 * catalog restating the chosen licence in its creator listing had its "unknown" listing date "conditional" as fresh
 * as the chosen value, and the freshness rule tied). Used by the vote, the freshness dates, the rules' wording and
 * the reliability ballots, those it decides with and those it learns from (property counterexample, seed 22 with the
 * authority-as-stated rule: a catalog restating the creator's vague licence split its ballot between two readings it
 * never states and let a licence the creator rules out win). Counting the ballots so once left seed -116518022's
 * case with nothing chosen; the authority's vague word now bounds the answer, and the rules for a vague word no rule
 * refines (authority-as-stated, common-ground) keep that word.
 */
export function countsFor(among: readonly Cand[]): (c: Cand, l: Pick<Leaf, 'key' | 'ancestors'>) => boolean {
  // most facts hold no statement another one refines: then every candidate counts as it supports
  let refined: Set<string> | undefined;
  for (const c of among) for (const a of c.meaning.ancestors) (refined ??= new Set()).add(a);
  const vague = refined === undefined ? [] : among.filter((c) => refined!.has(c.meaning.key));
  if (vague.length === 0) return supports;
  const refiners = new Map<Cand, Cand[]>();
  for (const c of vague) {
    const finer = among.filter((o) => o.sourceId === c.sourceId && o.meaning.ancestors.includes(c.meaning.key));
    if (finer.length > 0) refiners.set(c, finer);
  }
  if (refiners.size === 0) return supports;
  return (c, l) => {
    const finer = refiners.get(c);
    return finer === undefined ? supports(c, l) : finer.some((o) => supports(o, l));
  };
}

/** Each source has one vote; a source stating several values splits it among them. */
export function votes(s: Pick<LadderState, 'eligible' | 'leaves' | 'all'>): Map<Leaf, { weight: number; sources: Set<string> }> {
  const extra = otherListingValues(s);
  const counts = countsFor(s.eligible);
  const bySource = new Map<string, Set<Pick<Leaf, 'key' | 'ancestors'>>>();
  for (const c of s.eligible) {
    for (const l of s.leaves) {
      if (!counts(c, l)) continue;
      const set = bySource.get(c.sourceId) ?? new Set();
      set.add(l);
      bySource.set(c.sourceId, set);
    }
    // a share for a value only another listing states, which no leaf stands for (it never wins: no voter states it)
    for (const m of extra) if (supports(c, m)) bySource.get(c.sourceId)?.add(m);
  }
  const out = new Map<Leaf, { weight: number; sources: Set<string> }>();
  for (const l of s.leaves) out.set(l, { weight: 0, sources: new Set() });
  for (const [source, leaves] of bySource) {
    for (const l of leaves) {
      const v = out.get(l as Leaf);
      if (!v) continue;
      v.weight += 1 / leaves.size;
      v.sources.add(source);
    }
  }
  return out;
}

function maxWeightLeaves(s: LadderState): { top: Leaf[]; weight: number; sources: number } {
  const v = votes(s);
  const weight = Math.max(...[...v.values()].map((x) => x.weight));
  const top = s.leaves.filter((l) => Math.abs((v.get(l)?.weight ?? 0) - weight) < 1e-9);
  const sources = Math.max(...top.map((l) => v.get(l)?.sources.size ?? 0));
  return { top, weight, sources };
}

const agreement: LadderRule = {
  id: 'agreement',
  explanation:
    'No authority settles it, so the value stated by the most independent sources wins, if at least two sources state it (a source listing several values splits its vote among them).',
  step(s) {
    const { top, sources } = maxWeightLeaves(s);
    const [leaf] = top;
    if (top.length !== 1 || !leaf || sources < 2) return undefined;
    const noOwner = s.voters.some((c) => c.authority.rank > 0) ? '' : ' No creator or route-owner claim.';
    return {
      outcome: {
        status: 'auto-resolved',
        leaf,
        detail: `${sources} sources say ${leafLine(s, leaf, s.eligible)}.${othersText(s, leaf)}${noOwner}`,
      },
    };
  },
};

const freshness: LadderRule = {
  id: 'freshness',
  explanation:
    "Sources disagree in equal numbers, so the value stated most recently wins: only dates the pages themselves state (\"last verified\", \"updated\") of the same precision count, at least the configured number of days apart; fetch times never decide (in one run every page is fetched the same hour).",
  step(s) {
    const { top, sources } = maxWeightLeaves(s);
    const tied = sources >= 2 ? top : [...s.leaves];
    const counts = countsFor(s.eligible);
    const stated = (l: Leaf) => s.eligible.filter((c) => counts(c, l) && c.stated).map((c) => c.stated!);
    const ranked: { l: Leaf; day: number; precision: string }[] = [];
    for (const l of tied) {
      const dates = stated(l);
      // a value no page dates cannot be compared by freshness
      if (dates.length === 0) return undefined;
      const newest = dates.reduce((a, b) => (b.day > a.day ? b : a));
      ranked.push({ l, day: newest.day, precision: newest.precision });
    }
    ranked.sort((a, b) => b.day - a.day);
    const [first, second] = ranked;
    if (!first || !second || first.day - second.day < s.settings.freshnessMinDays) return undefined;
    if (ranked.some((r) => r.precision !== first.precision)) return undefined;
    const others = ranked.slice(1).map((r) => `${leafLine(s, r.l)} as of ${dayText(r.day)}`);
    return {
      outcome: {
        status: 'auto-resolved',
        leaf: first.l,
        detail: `${leafLine(s, first.l)}, stated as of ${dayText(first.day)}, is newer than ${others.join('; ')}.`,
      },
    };
  },
};

/**
 * A weighted verdict wins when its weight is above the runner-up's (beyond
 * rounding): truth discovery decides what the plain rules leave open, and the
 * fact's confidence says how slim the margin was. Equal weights (no evidence
 * either way, or one source split against itself) decide nothing.
 */
export const RELIABILITY_MARGIN = 1.0001;

/** The voter standing for the same model's price on other routes (see Settings.elsewhere). */
export const OTHER_ROUTES_VOTER = '@other-routes';

/**
 * Voters of the reliability step: the eligible sources, plus pass-through
 * gateway prices as `<source>@pass-through`, plus, for a route's token price,
 * `@other-routes`: the values among the leaves that the same model's price is
 * stated at on other routes by a source that does not state that value here
 * (a catalog repeating its own number on another route is no corroboration).
 * It votes only when it tells the leaves apart (supports some, not all).
 */
export function ballotsOf(s: Pick<LadderState, 'eligible' | 'all' | 'leaves'> & { fact?: FactId; settings?: Pick<Settings, 'elsewhere'> }): { voter: string; leaves: Leaf[] }[] {
  const by = new Map<string, Set<Leaf>>();
  const counts = countsFor(s.eligible);
  const add = (voter: string, c: Cand) => {
    for (const l of s.leaves) {
      if (!counts(c, l)) continue;
      const set = by.get(voter) ?? new Set<Leaf>();
      set.add(l);
      by.set(voter, set);
    }
  };
  for (const c of s.eligible) add(c.sourceId, c);
  for (const c of s.all) if (c.witness && ![...PLAUSIBILITY_FLAGS].some((f) => c.flags.has(f))) add(`${c.sourceId}@pass-through`, c);
  const elsewhere = s.fact && s.leaves.length > 0 ? s.settings?.elsewhere?.(s.fact) : undefined;
  if (elsewhere) {
    const backed = s.leaves.filter((l) => {
      const there = elsewhere.get(l.key);
      if (!there) return false;
      const here = new Set(s.eligible.filter((c) => supports(c, l)).map((c) => c.sourceId));
      return [...there].some((src) => !here.has(src));
    });
    if (backed.length > 0 && (backed.length < s.leaves.length || s.leaves.length === 1)) by.set(OTHER_ROUTES_VOTER, new Set(backed));
  }
  return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([voter, set]) => ({ voter, leaves: [...set] }));
}

function voterLabel(voter: string): string {
  if (voter === OTHER_ROUTES_VOTER) return "the same model's price on other routes";
  return voter.endsWith('@pass-through') ? `${voter.slice(0, -'@pass-through'.length)} (its own route's price)` : voter;
}

/**
 * The weights are log-odds of agreeing, so the winner's lead over the
 * runner-up is a log-likelihood ratio: sigmoid(lead) is how likely the winner
 * is right if the voters err independently. It is written into the rule text
 * (a reviewer sees how slim a decision was). A lead below MIN_POSTERIOR
 * decides nothing. At 0.5 this is off: at 0.52 the real 2026-W17 would send
 * 132 more facts to review (litellm vs models-dev on long-tail routes, learned
 * weights 1.575 vs 1.634, p ≈ 0.515), 262–269 in all, over the 250 budget.
 */
export const MIN_POSTERIOR = 0.5;
const posterior = (lead: number) => 1 / (1 + Math.exp(-lead));

/** A learned weight as a fact records it (fact.weights) and week_reliability stores it (`applied`): three decimals. */
export const recordedWeight = (w: number) => Math.round(w * 1000) / 1000;

/** The reliability step's arithmetic: each ballot's learned weight, and the leaves ranked by weighted support. */
function weigh(s: LadderState) {
  const ballots = ballotsOf(s);
  const score = new Map<Leaf, number>();
  const used: Record<string, number> = {};
  for (const b of ballots) {
    const w = s.settings.weightOf(b.voter, s.fact.attribute);
    used[b.voter] = recordedWeight(w);
    for (const l of b.leaves) score.set(l, (score.get(l) ?? 0) + w / b.leaves.length);
  }
  const ranked = s.leaves.map((l) => ({ l, score: score.get(l) ?? 0 })).sort((a, b) => b.score - a.score || (a.l.key < b.l.key ? -1 : 1));
  // the rule names who backs each value; the weights themselves are the fact's `weights` (stored once per week),
  // so a week whose learned weights drift but decide the same keeps the fact's version
  const line = (l: Leaf) => {
    const who = ballots.filter((b) => b.leaves.includes(l)).map((b) => voterLabel(b.voter));
    return `${valueText(s, l)} (${listWords(who)})`;
  };
  return { used, ranked, line };
}

const reliability: LadderRule = {
  id: 'reliability',
  explanation: `Sources still disagree, so each counts with its learned reliability for this attribute (the log-odds of how often it agrees with the other sources, weighted, across every fact they share; pass-through gateway prices count as evidence for the creator's route, and the same model's price on other routes, stated by a source that does not state that value here, as evidence for a route's price): the value with the most weighted support wins (the weights are listed with the fact); p is how likely its lead makes it right if the voters err independently; equal weights decide nothing.`,
  step(s) {
    const { used, ranked, line } = weigh(s);
    const [first, second] = ranked;
    if (!first || first.score <= 0) return undefined;
    if (second && first.score < RELIABILITY_MARGIN * second.score) return undefined;
    const p = second ? posterior(first.score - second.score) : 1;
    if (p <= MIN_POSTERIOR) return undefined;
    const others = ranked.slice(1).map((r) => line(r.l));
    return {
      outcome: {
        status: 'auto-resolved',
        leaf: first.l,
        weights: used,
        detail: `${line(first.l)} outweighs ${others.length ? others.join('; ') : 'nothing'} ${posteriorNote(p)}.`,
      },
    };
  },
};

/**
 * A vague statement kept as the fact's value: the most precise of `picks` (ties by canonical order), as a leaf of its
 * own meaning with the eligible statements it stands for, and the leaves it fits; undefined when it fits fewer than
 * two (one would have been chosen by the rules before; none, it is not what the voters say).
 */
function vagueChoice(s: LadderState, picks: readonly Cand[]): { leaf: Leaf; fits: Leaf[]; stated: Cand } | undefined {
  const stated = [...picks].sort((a, b) => b.meaning.ancestors.length - a.meaning.ancestors.length || a.order - b.order)[0];
  if (!stated) return undefined;
  const fits = s.leaves.filter((l) => supports(stated, l));
  if (fits.length < 2) return undefined;
  const { key, ancestors } = stated.meaning;
  return { leaf: { key, ancestors, supporters: s.eligible.filter((c) => supports(c, stated.meaning)) }, fits, stated };
}

/**
 * The authority's own words, once nothing has decided between the more precise values they fit. The creator says
 * "Proprietary, commercial use unknown" and a catalog states both "allowed" and "non-commercial": no rule picks one
 * of those, and the fact keeps what the creator says rather than going to review with nothing chosen. Before, the
 * same fact was decided by the authority whenever no other source's voice stated two readings of its statement, so
 * a catalog restating the creator's very value could, by moving its own voice, leave nothing chosen (property
 * counterexample, seed 101). Last of the rules: a value more precise that the other rules settle on (a day within
 * the creator's month that most sources state) is preferred.
 */
const authorityAsStated: LadderRule = {
  id: 'authority-as-stated',
  explanation:
    "Nothing decides between the more precise values the authority's statement fits, so the fact keeps what the authority says, as precisely as it says it (a licence of unknown commercial use, a month).",
  step(s) {
    const authorities = topAuthorities(s);
    if (!authorities) return undefined;
    // of the authorities' own statements, those every one of them fits (none when they disagree)
    const choice = vagueChoice(s, authorities.filter((a) => authorities.every((c) => supports(c, a.meaning))));
    if (!choice) return undefined;
    const { leaf, fits, stated } = choice;
    const others = s.leaves.filter((l) => !fits.includes(l));
    const why = stated.authority.why ?? 'the authority';
    return {
      outcome: {
        status: 'auto-resolved',
        leaf,
        detail:
          `${why}; it says ${valueText(s, leaf)}, and nothing decides between the more precise values it fits: ${fits.map((l) => leafLine(s, l)).join('; ')}.` +
          (others.length > 0 ? ` Other values: ${others.map((l) => leafLine(s, l)).join('; ')}.` : ''),
      },
    };
  },
};

/**
 * What every voter's statement fits, once nothing has decided between the more precise values: two catalogs say
 * "Proprietary, commercial use unknown" and a third states both "allowed" and "non-commercial"; they all say
 * Proprietary, and the fact keeps that, as precisely as they agree (seed 101 again, with no creator in the case:
 * the third catalog's restating the vague value moved its voice to the listing stating the two readings).
 */
const commonGround: LadderRule = {
  id: 'common-ground',
  explanation:
    'Nothing decides between the more precise values, so the fact keeps what every voter\'s statement fits, as precisely as they all agree (a licence of unknown commercial use, a month).',
  step(s) {
    // the statements every other one restates or refines
    const choice = vagueChoice(s, s.eligible.filter((a) => s.eligible.every((c) => c.meaning.key === a.meaning.key || c.meaning.ancestors.includes(a.meaning.key))));
    if (!choice) return undefined;
    const { leaf, fits } = choice;
    return {
      outcome: {
        status: 'auto-resolved',
        leaf,
        detail: `Every voter says ${valueText(s, leaf)} or a more precise reading of it, and nothing decides between the readings: ${fits.map((l) => leafLine(s, l)).join('; ')}.`,
      },
    };
  },
};

const noRule: LadderRule = {
  id: 'no-rule',
  explanation:
    'No rule decides: no authoritative source, no value stated by more sources than the others, none stated as clearly fresher, no source clearly more reliable. A reviewer must choose.',
  step(s) {
    return { outcome: { status: 'needs-review', detail: `Candidates: ${s.leaves.map((l) => leafLine(s, l)).join('; ')}.` } };
  },
};

/** The order rules are tried in. */
export const LADDER: readonly LadderRule[] = [allEquivalent, setAsideKnownFailures, authority, agreement, freshness, reliability, authorityAsStated, commonGround, noRule];

/** Rules applied outside the ladder, explained here so that every rule is in one place. */
export const UNQUALIFIED_RULE = {
  id: 'unqualified-ambiguous' as const,
  explanation:
    'A price stated without some qualifiers (quality, size, route, direction or modality) is not silently compared with qualified prices: when it equals the value of a compatible qualified fact it is attached there (flag "unqualified-match"); when it equals none, which price it means is ambiguous and a reviewer must say.',
};

export const REVIEW_RULES = {
  reviewed: {
    id: 'reviewed' as const,
    explanation: "A reviewer's decision holds while the candidates are the ones the reviewer saw.",
  },
  reopened: {
    id: 'reopened' as const,
    explanation: 'The candidates changed since the review, so the decision is reopened; the automatic rules say what they would choose.',
  },
};

/** The name and explanation, then the detail and notes that are not empty, joined by spaces (built in one string: every fact has one). */
export function ruleText(id: RuleId, explanation: string, detail: string, notes: readonly string[] = []): string {
  let text = `${id}: ${explanation}`;
  if (detail) text += ` ${detail}`;
  for (const note of notes) if (note) text += ` ${note}`;
  return text;
}

/** Remarks every rule text carries: what was set aside and which candidates may be copies. */
/** Each plausibility flag's reason in words, for rule texts. */
export function flagReason(flag: string): string {
  switch (flag) {
    case FLAG.farFromGateway:
      return `more than ${FAR_FACTOR}× away from the same model's price on a pass-through gateway route`;
    case FLAG.unitSlip:
      return 'about 10^6 (or 10^3) times another source\'s value: a unit slip';
    case FLAG.zeroPrice:
      return '0 while other sources state a price';
    case FLAG.cacheReadAboveInput:
      return 'a cache-read price above the input price';
    case FLAG.cacheWriteBelowInput:
      return 'a cache-write price below the input price';
    default:
      return flag;
  }
}

export function notesFor(s: LadderState): string[] {
  const notes: string[] = [];
  // every note below is about a flagged candidate or a witness: most facts have neither
  if (s.setAside.length === 0 && s.all.every((c) => c.flags.size === 0 && !c.witness)) return notes;
  if (s.setAside.length > 0) {
    const parts = s.setAside.map(
      ({ cand, why }) => `${sourceLabel(cand.candidate.provenance)}'s ${describeValue(cand.candidate.value, s.fact.qualifiers)} ${why}`,
    );
    notes.push(`Set aside: ${parts.join('; ')}.`);
  }
  const copies = s.all.filter((c) => c.flags.has(FLAG.possibleCopy));
  const byHost = new Map<string, Cand[]>();
  for (const c of copies) byHost.set(c.host, [...(byHost.get(c.host) ?? []), c]);
  for (const [host, cands] of [...byHost].sort(([a], [b]) => (a < b ? -1 : 1))) {
    notes.push(`${listWords(distinctSources(cands))} are pages of one site (${host}) stating the same value: counted, but they may copy each other.`);
  }
  const listings = s.all.filter((c) => c.flags.has(FLAG.otherListing));
  if (listings.length > 0) {
    // the listings that say one value named together, values in the order their first listing comes
    const byValue = new Map<string, Cand[]>();
    for (const c of listings) {
      const value = describeValue(c.candidate.value, s.fact.qualifiers);
      byValue.set(value, [...(byValue.get(value) ?? []), c]);
    }
    const parts = [...byValue].map(([value, cands]) => `${whoSays(cands)} says ${value}`);
    notes.push(`Other listings of one catalog support or dissent but are no vote of their own (a catalog is one source): ${listWords(capList(parts))}.`);
  }
  const witnesses = s.all.filter((c) => c.witness);
  if (witnesses.length > 0) {
    const parts = witnesses.map((c) => `${c.sourceId} charges ${describeValue(c.candidate.value, s.fact.qualifiers)} on its own route (${c.routeOf ?? '?'})`);
    notes.push(`Pass-through evidence: ${listWords(capList([...new Set(parts)]))}.`);
  }
  const setAsideCands = new Set(s.setAside.map((x) => x.cand));
  const implausible = s.all.filter((c) => !c.witness && !setAsideCands.has(c) && PLAUSIBILITY_FLAGS.some((f) => c.flags.has(f)));
  if (implausible.length > 0) {
    const parts = implausible.map(
      (c) => `${sourceLabel(c.candidate.provenance)}'s ${describeValue(c.candidate.value, s.fact.qualifiers)} (${PLAUSIBILITY_FLAGS.filter((f) => c.flags.has(f)).map(flagReason).join(', ')})`,
    );
    notes.push(`Plausibility: ${listWords(capList([...new Set(parts)]))}.`);
  }
  return notes;
}

export function runLadder(fact: FactId, settings: Settings, all: readonly Cand[]): { outcome: Outcome; state: LadderState } {
  const voters = all.filter((c) => c.voter);
  let state: LadderState = { fact, settings, all, voters, eligible: voters, leaves: leavesOf(voters), setAside: [] };
  for (const rule of LADDER) {
    const r = rule.step(state);
    if (!r) continue;
    if ('narrowed' in r) {
      state = r.narrowed;
      continue;
    }
    const o = r.outcome;
    const final = r.state ?? state;
    return { outcome: { ...o, rule: rule.id, detail: ruleText(rule.id, rule.explanation, o.detail, notesFor(final)) }, state: final };
  }
  throw new Error('unreachable: the no-rule rule always decides');
}
