import type { Attribute } from '../../schema/attributes.js';
import type { Candidate, Fact } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import type { Rejection } from './rejections.js';
import type { BallotFact, VoterReliability } from './truth.js';

/** How far a source is trusted: the creator's docs, a gateway for its own route, aggregators last. */
export interface SourceInfo {
  authority: 'creator' | 'gateway' | 'aggregator';
  /**
   * For a gateway: the route whose prices it owns. For a creator: its own id
   * (the model-id prefix and route id, e.g. `openai`); when absent the part of
   * the source id before the first `-` is used (`openai-docs` → `openai`).
   */
  ownRoute?: string;
}

/** A reviewer's decision on one fact, tied to the candidates the reviewer saw. */
export interface Decision {
  factKey: string;
  value: Value;
  note: string;
  by: string;
  /** ISO timestamp of the decision. */
  at: string;
  /** candidatesHash() of the candidates when the decision was taken. */
  candidatesHash: string;
}

export interface ReconcileOptions {
  /** Every source id that appears in the claims, with its authority. */
  sources: Record<string, SourceInfo>;
  /** The creator of a model; default: the part of the model id before '/'. */
  creatorOf?: (modelId: string) => string;
  decisions?: Decision[];
  /** Claims a reviewer rejected: kept as candidates, they do not vote while they say the value rejected. */
  rejections?: Rejection[];
  /** ISO timestamp "now", for staleness. Without it nothing is flagged stale. */
  now?: string;
  /**
   * Per attribute, source ids from most to least authoritative. Replaces the
   * default order (owner first, everybody else equal) for that attribute;
   * sources not listed come last.
   */
  authorityOverrides?: Partial<Record<Attribute, string[]>>;
  /**
   * Relative tolerance for comparing prices, e.g. 0.005 (0.5%) for catalogs
   * whose values went through floats. Default 0: exact decimal comparison.
   */
  priceTolerance?: number;
  /** A claim whose "as of" date is older than this many days before `now` is stale. Default 90. */
  staleAfterDays?: number;
  /** Freshness decides only when one value is at least this many days newer than the others. Default 7. */
  freshnessMinDays?: number;
  /**
   * Reliability evidence from the facts published in earlier weeks
   * (history.ts ballotsFromFacts): learned together with this week's facts, so
   * a source's weight reflects every multi-source fact stored, not one week.
   */
  history?: readonly BallotFact[];
  /**
   * Weights learned before, by a reconcile of the whole week (its
   * ReconcileResult.reliability rows and listings): used as they are instead of
   * learning (and `history` is then not read). A re-reconcile of one model's
   * facts after a reviewer decision passes the week's stored weights, so the
   * slice is decided with the weights the full run used.
   */
  weights?: { rows: readonly VoterReliability[]; listings: readonly VoterReliability[] };
}

export interface ReconcileResult {
  facts: Fact[];
  reopened: { factKey: string; reason: string }[];
  /** What the truth-discovery step learned from this input: weight per voter and attribute, with the evidence behind it. */
  reliability: {
    rows: VoterReliability[];
    /** The same for the listings of multi-listing catalogs (`<catalog>/<via>`), learned from this input's facts alone. */
    listings: VoterReliability[];
    /** 0 when the weights were given (ReconcileOptions.weights). */
    iterations: number;
    converged: boolean;
  };
}

/** Options with defaults filled in, used inside the engine. */
export interface Settings {
  sources: Record<string, SourceInfo>;
  creatorOf: (modelId: string) => string;
  now?: string;
  authorityOverrides: Partial<Record<Attribute, string[]>>;
  priceTolerance: number;
  staleAfterDays: number;
  freshnessMinDays: number;
  /** The learned reliability weight of a voter (source, or `<source>@pass-through`) for an attribute; 1 before learning. */
  weightOf: (voter: string, attribute: Attribute) => number;
  /**
   * For a per-1M-token price on a route: the values (meaning keys) the same
   * model's same price is stated at on OTHER routes, each with the sources
   * stating it there (pass-through gateway prices left out: they are their own
   * evidence). The reliability step's `@other-routes` voter reads it.
   */
  elsewhere?: (fact: FactId) => ReadonlyMap<string, ReadonlySet<string>> | undefined;
}

/** The identity of a fact. */
export interface FactId {
  modelId: string;
  attribute: Attribute;
  qualifiers: Qualifiers;
}

export type { Candidate, Fact };
