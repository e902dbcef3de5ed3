/**
 * The reconcile pipeline stage: claims in, facts out. Pure and deterministic:
 * the same claims in any order give the same facts, with no clock read
 * (staleness uses options.now).
 */
import type { Fact } from '../../schema/fact.js';
import type { Claim } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { authorityOf } from './authority.js';
import { confidence } from './confidence.js';
import { capList, describeValue, listWords, sourceLabel } from './describe.js';
import { meaningOf, moneyClusterKeys, sameMeaning } from './equivalence.js';
import { dayOf, FLAG, intrinsicFlags, lastDayOf, relativeFlags } from './flags.js';
import { groupClaims, lessQualifiedTargets, sortClaims, type Group } from './group.js';
import { leafValue, supports, type Cand } from './model.js';
import { appliedRejections, changedRejections, indexRejections, isRejected, REJECTED_FLAG, rejectedRuleText, type Rejection } from './rejections.js';
import { candidatesHash, latestDecisions, reopenReason, reviewedRuleText } from './review.js';
import { REVIEW_RULES, runLadder, UNQUALIFIED_RULE, type Outcome } from './rules.js';
import type { ReconcileOptions, ReconcileResult, Settings } from './types.js';

function settle(opts: ReconcileOptions): Settings {
  const priceTolerance = opts.priceTolerance ?? 0;
  if (!(priceTolerance >= 0 && priceTolerance < 1)) throw new RangeError(`priceTolerance must be in [0, 1), got ${priceTolerance}`);
  return {
    sources: opts.sources,
    creatorOf: opts.creatorOf ?? ((modelId) => modelId.split('/')[0] ?? modelId),
    now: opts.now,
    authorityOverrides: opts.authorityOverrides ?? {},
    priceTolerance,
    staleAfterDays: opts.staleAfterDays ?? 90,
    freshnessMinDays: opts.freshnessMinDays ?? 7,
  };
}

const HOST_RE = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i;

function hostOf(url: string): string {
  return (HOST_RE.exec(url)?.[1] ?? url).toLowerCase().replace(/^www\./, '');
}

/** Claims → working candidates with flags. `attached` claims support the fact but never vote; nor do rejected ones. */
function buildCands(
  g: Group,
  claims: readonly Claim[],
  attached: ReadonlySet<Claim>,
  settings: Settings,
  nowDay?: number,
  rejected?: ReadonlyMap<string, Rejection>,
): Cand[] {
  const cands = sortClaims(claims).map((claim, order): Cand => {
    const p = claim.provenance;
    const rejectedHere = isRejected(claim, rejected);
    const voter = !attached.has(claim) && !rejectedHere;
    return {
      candidate: { value: claim.value, provenance: p, flags: [] },
      attribute: g.id.attribute,
      sourceId: p.sourceId,
      host: hostOf(p.url),
      meaning: meaningOf(claim.value, g.id.attribute),
      authority: authorityOf(p.sourceId, g.id, settings),
      asOfDay: p.statedAsOf ? lastDayOf(p.statedAsOf) : dayOf(p.fetchedAt),
      flags: new Set(attached.has(claim) ? [FLAG.unqualifiedMatch] : rejectedHere ? [REJECTED_FLAG] : []),
      voter,
      order,
    };
  });
  if (settings.priceTolerance > 0) {
    const remap = moneyClusterKeys(cands.map((c) => c.meaning.key), settings.priceTolerance);
    for (const c of cands) {
      const key = remap.get(c.meaning.key);
      if (key !== undefined) c.meaning = { key, ancestors: c.meaning.ancestors };
    }
  }
  for (const c of cands) intrinsicFlags(c, nowDay, settings.staleAfterDays);
  relativeFlags(cands);
  return cands;
}

interface Built {
  group: Group;
  cands: Cand[];
  outcome: Outcome;
  chosen?: Fact['chosen'];
  related: Set<string>;
}

function decide(g: Group, attached: readonly Claim[], settings: Settings, nowDay?: number, rejected?: ReadonlyMap<string, Rejection>): Built {
  const cands = buildCands(g, [...g.claims, ...attached], new Set(attached), settings, nowDay, rejected);
  const { outcome } = runLadder(g.id, settings, cands);
  const leaf = outcome.leaf;
  if (leaf) for (const c of cands) if (!supports(c, leaf)) c.flags.add(FLAG.conflicting);
  return { group: g, cands, outcome, chosen: leaf ? leafValue(leaf) : undefined, related: new Set() };
}

function matches(claim: Claim, target: Built, settings: Settings): boolean {
  const attr = target.group.id.attribute;
  if (target.chosen) return sameMeaning(claim.value, target.chosen, attr, settings.priceTolerance);
  return target.cands.some((c) => c.voter && sameMeaning(claim.value, c.candidate.value, attr, settings.priceTolerance));
}

/** The qualifiers a target states beyond the ambiguous key, e.g. `quality=low, size=1024x1024`. */
function extraQualifiers(target: Qualifiers, base: Qualifiers): string {
  return (Object.keys(target) as (keyof Qualifiers)[])
    .filter((k) => base[k] === undefined)
    .map((k) => `${k}=${target[k]}`)
    .join(', ');
}

function ambiguousFact(g: Group, claims: Claim[], targets: Built[], settings: Settings, nowDay?: number): Built {
  const cands = buildCands(g, claims, new Set(), settings, nowDay);
  const q = g.id.qualifiers;
  const missing = [...new Set(targets.flatMap((t) => Object.keys(t.group.id.qualifiers).filter((k) => !(k in q))))];
  const says = listWords([...new Set(cands.map((c) => `${sourceLabel(c.candidate.provenance)} says ${describeValue(c.candidate.value, q)}`))]);
  const options = capList(
    targets.map((t) => `${extraQualifiers(t.group.id.qualifiers, q)}: ${t.chosen ? describeValue(t.chosen, t.group.id.qualifiers) : 'undecided'}`),
    12,
  );
  const detail = `${says} without ${listWords(missing)}; that equals none of the ${targets.length} compatible qualified prices (${options.join('; ')}), so which one it means is ambiguous.`;
  return {
    group: g,
    cands,
    outcome: {
      rule: UNQUALIFIED_RULE.id,
      status: 'needs-review',
      detail: `${UNQUALIFIED_RULE.id}: ${UNQUALIFIED_RULE.explanation} ${detail}`,
    },
    related: new Set(targets.map((t) => t.group.key)),
  };
}

function toFact(b: Built): Fact {
  const fact: Fact = {
    modelId: b.group.id.modelId,
    attribute: b.group.id.attribute,
    qualifiers: b.group.id.qualifiers,
    candidates: b.cands.map((c) => ({ ...c.candidate, flags: [...c.flags].sort() })),
    rule: b.outcome.detail,
    confidence: confidence(b.cands, b.outcome.leaf),
    status: b.outcome.status,
  };
  if (b.chosen) fact.chosen = b.chosen;
  if (b.related.size > 0) fact.related = [...b.related].sort();
  return fact;
}

export function reconcile(claims: readonly Claim[], opts: ReconcileOptions): ReconcileResult {
  const settings = settle(opts);
  const nowDay = opts.now ? dayOf(opts.now) : undefined;
  const groups = groupClaims(claims);
  const lessQualified = lessQualifiedTargets(groups);
  const rejections = indexRejections(opts.rejections ?? []);

  // 1. Facts that no other fact refines are decided on their own claims.
  const built = new Map<string, Built>();
  for (const g of groups.values()) if (!lessQualified.has(g.key)) built.set(g.key, decide(g, [], settings, nowDay, rejections.get(g.key)));

  // 2. A less-qualified claim joins every qualified fact whose value it equals; the rest stay ambiguous.
  const attached = new Map<string, Claim[]>();
  const ambiguous: Built[] = [];
  for (const [key, targetKeys] of lessQualified) {
    const g = groups.get(key);
    if (!g) continue;
    const targets = targetKeys.map((k) => built.get(k)).filter((t): t is Built => t !== undefined);
    const left: Claim[] = [];
    for (const claim of g.claims) {
      const hit = targets.filter((t) => matches(claim, t, settings));
      for (const t of hit) {
        const list = attached.get(t.group.key);
        if (list) list.push(claim);
        else attached.set(t.group.key, [claim]);
      }
      if (hit.length === 0) left.push(claim);
    }
    if (left.length > 0) ambiguous.push(ambiguousFact(g, left, targets, settings, nowDay));
  }
  // Attached claims never vote, so re-deciding keeps each choice and only adds their support.
  for (const [key, extra] of attached) {
    const prev = built.get(key);
    if (prev) built.set(key, decide(prev.group, extra, settings, nowDay, rejections.get(key)));
  }
  for (const a of ambiguous) {
    built.set(a.group.key, a);
    for (const t of a.related) built.get(t)?.related.add(a.group.key);
  }

  // 3. Reviewer decisions.
  const decisions = latestDecisions(opts.decisions ?? []);
  const reopened: ReconcileResult['reopened'] = [];
  const facts: Fact[] = [];
  for (const key of [...built.keys()].sort()) {
    const b = built.get(key);
    if (!b) continue;
    const fact = toFact(b);
    const d = decisions.get(key);
    const rejectedHere = rejections.get(key);
    const rejectionChange = changedRejections(rejectedHere, fact.candidates, fact.qualifiers);
    if (!d && rejectionChange) {
      // the source now says something else: its claim votes again, and a reviewer should look
      fact.status = 'needs-review';
      fact.rule = `reopened: ${REVIEW_RULES.reopened.explanation} ${rejectionChange}. Automatic rules: ${fact.rule}`;
      reopened.push({ factKey: key, reason: rejectionChange });
    } else if (!d && fact.status !== 'needs-review' && appliedRejections(rejectedHere, fact.candidates).length > 0) {
      // a reviewer set a claim aside and the rules then decide on the rest: the fact reads reviewed
      const applied = appliedRejections(rejectedHere, fact.candidates);
      fact.status = 'reviewed';
      fact.rule = rejectedRuleText(applied, fact.qualifiers, fact.rule);
    }
    if (d) {
      const { attribute, qualifiers } = fact;
      if (candidatesHash(fact.candidates) === d.candidatesHash) {
        fact.status = 'reviewed';
        fact.chosen = d.value;
        fact.confidence = 1;
        fact.rule = reviewedRuleText(d, qualifiers, REVIEW_RULES.reviewed.explanation);
        for (const c of fact.candidates) {
          const agrees = sameMeaning(c.value, d.value, attribute, settings.priceTolerance);
          c.flags = [...new Set([...c.flags.filter((f) => f !== FLAG.conflicting), ...(agrees ? [] : [FLAG.conflicting])])].sort();
        }
      } else {
        const reason = reopenReason(d, fact.candidates, attribute, qualifiers, settings.priceTolerance);
        fact.status = 'needs-review';
        fact.rule = `reopened: ${REVIEW_RULES.reopened.explanation} ${reason}. Automatic rules: ${fact.rule}`;
        reopened.push({ factKey: key, reason });
      }
    }
    facts.push(fact);
  }
  return { facts, reopened };
}
