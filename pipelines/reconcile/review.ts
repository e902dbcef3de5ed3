/** Reviewer decisions: kept while the candidates stay the ones reviewed, reopened when they change. */
import type { Attribute } from '../../schema/attributes.js';
import type { Candidate } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { capList, describeValue, listWords, sourceLabel, sourcesWords } from './describe.js';
import { sameMeaning } from './equivalence.js';

export { candidatesHash } from '../../schema/keys.js';
import type { Decision } from './types.js';

/** The latest decision per fact key (ties by the decision's own content, never by input order). */
export function latestDecisions(decisions: readonly Decision[]): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const d of decisions) {
    const cur = out.get(d.factKey);
    if (!cur || d.at > cur.at || (d.at === cur.at && JSON.stringify(d) > JSON.stringify(cur))) out.set(d.factKey, d);
  }
  return out;
}

export function reviewedRuleText(d: Decision, qualifiers: Qualifiers, explanation: string): string {
  return `reviewed: ${explanation} ${d.by} chose ${describeValue(d.value, qualifiers)} on ${d.at.slice(0, 10)}: ${d.note}`;
}

/** Why a decision no longer holds, naming what the sources say now. */
export function reopenReason(
  d: Decision,
  candidates: readonly Candidate[],
  attribute: Attribute,
  qualifiers: Qualifiers,
  priceTolerance: number,
): string {
  const disagree = candidates.filter((c) => !sameMeaning(c.value, d.value, attribute, priceTolerance));
  const newer = disagree.filter((c) => c.provenance.fetchedAt > d.at);
  const named = newer.length > 0 ? newer : disagree;
  const says = named.map((c) => `${sourceLabel(c.provenance)} now says ${describeValue(c.value, qualifiers)}`);
  const what =
    says.length > 0
      ? listWords(capList([...new Set(says)]))
      : `the sources are now ${sourcesWords(candidates.map((c) => c.provenance))}, all agreeing with the decision`;
  return `candidates changed since review on ${d.at.slice(0, 10)} (${d.by} chose ${describeValue(d.value, qualifiers)}): ${what}`;
}
