import { z } from 'zod';
import { Attribute } from './attributes.js';
import { Flag } from './flags.js';
import { ModelId } from './ids.js';
import { Provenance } from './observation.js';
import { Qualifiers } from './qualifiers.js';
import { Value } from './values.js';

export const FactStatus = z.enum(['agreed', 'single-source', 'auto-resolved', 'needs-review', 'reviewed']);
export type FactStatus = z.infer<typeof FactStatus>;

/** Statuses of facts where sources disagree: each gets a conflict row, and conflict reports list them by default. */
export const REVIEW_STATUSES: readonly FactStatus[] = ['auto-resolved', 'needs-review', 'reviewed'];

/** One source's value for a fact, with flags the reconciler attached (placeholder, stale ...). */
export const Candidate = z.object({
  value: Value,
  provenance: Provenance,
  flags: z.array(Flag),
});
export type Candidate = z.infer<typeof Candidate>;

export const Fact = z.object({
  modelId: ModelId,
  attribute: Attribute,
  qualifiers: Qualifiers,
  candidates: z.array(Candidate).min(1),
  /** Absent only when no rule could choose (needs-review). */
  chosen: Value.optional(),
  rule: z.string(),
  confidence: z.number().min(0).max(1),
  status: FactStatus,
  /** Other fact keys this one was matched against, e.g. an unqualified per-image price. */
  related: z.array(z.string()).optional(),
  /** The learned reliability weights the reliability rule used, per voter (`<source>` or `<source>@pass-through`). */
  weights: z.record(z.string(), z.number()).optional(),
  /** What a plain majority vote (one vote per source) would have chosen, on facts sources disagree on; absent on a tie. */
  majority: Value.optional(),
});
export type Fact = z.infer<typeof Fact>;

/**
 * How likely the reliability rule's lead makes its winner right, as its rule text says it: "(p ≈ 0.64)". p moves
 * with the week's learned weights, as the weights themselves do (`weights`, which a version's hash leaves out): a
 * week whose weights drift but decide the same keeps the fact's version, and that version's text keeps the p of the
 * week it started, as the `facts` view's weights are that week's.
 */
export const posteriorNote = (p: number): string => `(p ≈ ${p.toFixed(2)})`;

/** A rule text as a fact version's identity reads it (factContentHash): the posterior note without its figure. */
export function ruleIdentity(rule: string): string {
  return rule.includes('(p ≈ ') ? rule.replace(/\(p ≈ \d\.\d\d\)/g, '(p ≈ …)') : rule;
}
