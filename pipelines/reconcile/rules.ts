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
import { capList, describeValue, listWords, sourceLabel } from './describe.js';
import { NOT_APPLICABLE_KEY } from './equivalence.js';
import { dayText, FLAG, type Flag } from './flags.js';
import { distinctSources, leafValue, leavesOf, supports, type Cand, type Leaf } from './model.js';
import type { FactId, Settings } from './types.js';

export type RuleId =
  | 'all-equivalent'
  | 'set-aside-known-failures'
  | 'authority'
  | 'agreement'
  | 'freshness'
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
  return listWords(capList([...new Set(cands.map((c) => sourceLabel(c.candidate.provenance)))].sort()));
}

function leafLine(s: LadderState, leaf: Leaf, among: readonly Cand[] = leaf.supporters): string {
  return `${valueText(s, leaf)} (${whoSays(among.filter((c) => supports(c, leaf)))})`;
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
    const lessPrecise = s.all.filter((c) => c.meaning.key !== leaf.key && c.meaning.key !== NOT_APPLICABLE_KEY);
    if (lessPrecise.length > 0) notes.push(`Less precise statements (${whoSays(lessPrecise)}) are compatible with it.`);
    const zeros = s.all.filter((c) => c.flags.has(FLAG.zeroNotApplicable));
    if (zeros.length > 0) notes.push(`The 0 stated by ${whoSays(zeros)} means "not applicable" here, not zero.`);
    const detail =
      sources.length >= 2
        ? `${sources.length} sources agree on ${value}: ${whoSays(s.all)}.`
        : `Only ${whoSays(s.all)} states it: ${value}.`;
    return { outcome: { status: sources.length >= 2 ? 'agreed' : 'single-source', leaf, detail: [detail, ...notes].join(' ') } };
  },
};

/** Each filter sets a flag's candidates aside, but only when candidates without the flag remain. */
const FILTERS: { flag: Flag; why: string }[] = [
  { flag: FLAG.placeholder, why: 'looks like a placeholder date' },
  { flag: FLAG.approximate, why: 'is approximate while precise dates exist' },
  { flag: FLAG.stale, why: 'is stale while fresher claims exist' },
];

const setAsideKnownFailures: LadderRule = {
  id: 'set-aside-known-failures',
  explanation:
    'Values with a known aggregator failure shape are set aside when better ones exist: placeholder dates (January 1st, or "January YYYY" when another source gives a precise date in another month), approximate dates against precise ones, stale values against fresh ones.',
  step(s) {
    let eligible = [...s.eligible];
    const setAside = [...s.setAside];
    for (const f of FILTERS) {
      const keep = eligible.filter((c) => !c.flags.has(f.flag));
      if (keep.length === 0 || keep.length === eligible.length) continue;
      for (const c of eligible) if (c.flags.has(f.flag)) setAside.push({ cand: c, why: f.why });
      eligible = keep;
    }
    if (setAside.length === s.setAside.length) return undefined;
    const leaves = leavesOf(eligible);
    const next: LadderState = { ...s, eligible, leaves, setAside };
    const [leaf] = leaves;
    if (leaves.length === 1 && leaf) {
      return { outcome: { status: 'auto-resolved', leaf, detail: `What remains agrees on ${leafLine(next, leaf)}.` }, state: next };
    }
    return { narrowed: next };
  },
};

const authority: LadderRule = {
  id: 'authority',
  explanation:
    "The authority for this attribute decides: the creator's own docs for facts about its model and prices on its own API, a gateway for prices on its own route (or the configured source order).",
  step(s) {
    const top = Math.max(0, ...s.eligible.map((c) => c.authority.rank));
    if (top === 0) return undefined;
    const authorities = s.eligible.filter((c) => c.authority.rank === top);
    // Every top-authority statement must point at the same single value.
    const common = s.leaves.filter((l) => authorities.every((c) => supports(c, l)));
    const [leaf] = common;
    if (common.length !== 1 || !leaf) return undefined;
    const why = authorities[0]?.authority.why ?? 'the authority';
    return {
      outcome: { status: 'auto-resolved', leaf, detail: `${why}; it says ${valueText(s, leaf)}.${othersText(s, leaf)}` },
    };
  },
};

/** Each source has one vote; a source stating several values splits it among them. */
export function votes(s: Pick<LadderState, 'eligible' | 'leaves'>): Map<Leaf, { weight: number; sources: Set<string> }> {
  const bySource = new Map<string, Set<Leaf>>();
  for (const c of s.eligible) {
    for (const l of s.leaves) {
      if (!supports(c, l)) continue;
      const set = bySource.get(c.sourceId) ?? new Set<Leaf>();
      set.add(l);
      bySource.set(c.sourceId, set);
    }
  }
  const out = new Map<Leaf, { weight: number; sources: Set<string> }>();
  for (const l of s.leaves) out.set(l, { weight: 0, sources: new Set() });
  for (const [source, leaves] of bySource) {
    for (const l of leaves) {
      const v = out.get(l);
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
    "Sources disagree in equal numbers, so the value stated most recently wins: a page's own \"last verified\" date, else the day it was fetched, at least the configured number of days newer than the rest.",
  step(s) {
    const { top, sources } = maxWeightLeaves(s);
    const tied = sources >= 2 ? top : [...s.leaves];
    const asOf = (l: Leaf) => Math.max(...s.eligible.filter((c) => supports(c, l)).map((c) => c.asOfDay));
    const ranked = tied.map((l) => ({ l, day: asOf(l) })).sort((a, b) => b.day - a.day);
    const [first, second] = ranked;
    if (!first || !second || first.day - second.day < s.settings.freshnessMinDays) return undefined;
    const others = ranked.slice(1).map((r) => `${leafLine(s, r.l)} as of ${dayText(r.day)}`);
    return {
      outcome: {
        status: 'auto-resolved',
        leaf: first.l,
        detail: `${leafLine(s, first.l)} as of ${dayText(first.day)} is newer than ${others.join('; ')}.`,
      },
    };
  },
};

const noRule: LadderRule = {
  id: 'no-rule',
  explanation:
    'No rule decides: no authoritative source, no value stated by more sources than the others, none clearly fresher. A reviewer must choose.',
  step(s) {
    return { outcome: { status: 'needs-review', detail: `Candidates: ${s.leaves.map((l) => leafLine(s, l)).join('; ')}.` } };
  },
};

/** The order rules are tried in. */
export const LADDER: readonly LadderRule[] = [allEquivalent, setAsideKnownFailures, authority, agreement, freshness, noRule];

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

export function ruleText(id: RuleId, explanation: string, detail: string, notes: readonly string[] = []): string {
  return [`${id}: ${explanation}`, detail, ...notes].filter(Boolean).join(' ');
}

/** Remarks every rule text carries: what was set aside and which candidates may be copies. */
export function notesFor(s: LadderState): string[] {
  const notes: string[] = [];
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
