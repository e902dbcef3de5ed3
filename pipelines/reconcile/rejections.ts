/**
 * A reviewer's "this source is wrong here": one source's claim on one fact is
 * kept as a candidate but does not vote while its value is the one rejected.
 * When the source states another value, the rejection no longer matches, the
 * claim votes again and the fact is re-opened for review.
 */
import type { Candidate } from '../../schema/fact.js';
import type { Claim } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import { describeValue, sourceLabel } from './describe.js';
import { canonicalValue } from './equivalence.js';
import { FLAG } from '../../schema/flags.js';

export interface Rejection {
  factKey: string;
  sourceId: string;
  /** The listing within the source (e.g. a models.dev provider), null for the source's own claim. */
  via: string | null;
  /** The value rejected: the rejection holds only while the claim still says it. */
  value: Value;
  note: string;
  by: string;
  /** ISO timestamp of the decision. */
  at: string;
}

export const REJECTED_FLAG = FLAG.rejected;

const who = (sourceId: string, via: string | null | undefined) => `${sourceId}\u0000${via ?? ''}`;

/** Rejections by fact key, then by source and listing. */
export function indexRejections(rejections: readonly Rejection[]): Map<string, Map<string, Rejection>> {
  const out = new Map<string, Map<string, Rejection>>();
  for (const r of rejections) {
    const m = out.get(r.factKey) ?? new Map<string, Rejection>();
    m.set(who(r.sourceId, r.via), r);
    out.set(r.factKey, m);
  }
  return out;
}

/** Whether this claim is one a reviewer rejected (same source, listing and value). */
export function isRejected(claim: Pick<Claim, 'value' | 'provenance'>, rejections: ReadonlyMap<string, Rejection> | undefined): boolean {
  const r = rejections?.get(who(claim.provenance.sourceId, claim.provenance.via));
  return r !== undefined && canonicalValue(r.value) === canonicalValue(claim.value);
}

/** The rejections that set a candidate aside (the claim still says the value rejected). */
export function appliedRejections(rejections: ReadonlyMap<string, Rejection> | undefined, candidates: readonly Candidate[]): Rejection[] {
  if (!rejections) return [];
  return [...rejections.values()].filter((r) =>
    candidates.some((c) => isRejected(c, new Map([[who(r.sourceId, r.via), r]]))),
  );
}

/** Rejections whose source now states another value on this fact: why the fact is re-opened, or undefined. */
export function changedRejections(
  rejections: ReadonlyMap<string, Rejection> | undefined,
  candidates: readonly Candidate[],
  qualifiers: Qualifiers,
): string | undefined {
  if (!rejections) return undefined;
  const reasons: string[] = [];
  for (const r of rejections.values()) {
    const now = candidates.filter((c) => who(c.provenance.sourceId, c.provenance.via) === who(r.sourceId, r.via));
    if (now.length === 0 || now.some((c) => canonicalValue(c.value) === canonicalValue(r.value))) continue;
    const label = sourceLabel(now[0]!.provenance);
    reasons.push(
      `${label} now says ${describeValue(now[0]!.value, qualifiers)} (${r.by} rejected its ${describeValue(r.value, qualifiers)} on ${r.at.slice(0, 10)})`,
    );
  }
  return reasons.length > 0 ? `a rejected claim changed: ${reasons.join('; ')}` : undefined;
}

/** The rule text of a fact a reviewer narrowed by rejecting claims, in front of what the rules then chose. */
export function rejectedRuleText(rejected: readonly Rejection[], qualifiers: Qualifiers, rule: string): string {
  const parts = rejected.map(
    (r) => `${r.by} rejected ${sourceLabel({ sourceId: r.sourceId, via: r.via ?? undefined })}'s ${describeValue(r.value, qualifiers)} on ${r.at.slice(0, 10)}: ${r.note}`,
  );
  return `reviewed: Claims a reviewer rejected are kept but do not vote while they say the same. ${parts.join('; ')}. Then ${rule}`;
}
