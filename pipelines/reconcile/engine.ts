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
import { listingBallots, oneVoicePerSource, weightedVoices } from './listings.js';
import { FlagSet, KNOWN_FAILURES, leafValue, leavesOf, supports, type Cand } from './model.js';
import { appliedRejections, changedRejections, indexRejections, isRejected, REJECTED_FLAG, rejectedRuleText, type Rejection } from './rejections.js';
import { crossFactChecks, priceChecks, type PricedFact } from './plausibility.js';
import { roundedForms, roundingApplies } from './precision.js';
import { learnReliability, reliabilityKey, type BallotFact, type Reliability, type VoterReliability } from './truth.js';
import { candidatesHash, latestDecisions, reopenReason, reviewedRuleText } from './review.js';
import { ballotsOf, flagReason, OTHER_ROUTES_VOTER, REVIEW_RULES, runLadder, UNQUALIFIED_RULE, type Outcome } from './rules.js';
import { majorityOfFact } from './majority.js';
import type { FactId, ReconcileOptions, ReconcileResult, Settings } from './types.js';
import { memoizedText } from '../../schema/memo.js';

/** Code-unit order, as Array#sort's default, with a comparator V8 sorts strings faster with. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function settle(opts: ReconcileOptions): Settings {
  const priceTolerance = opts.priceTolerance ?? 0;
  if (!(priceTolerance >= 0 && priceTolerance < 1)) throw new RangeError(`priceTolerance must be in [0, 1), got ${priceTolerance}`);
  return {
    sources: opts.sources,
    creatorOf: opts.creatorOf ?? creatorOfId,
    now: opts.now,
    authorityOverrides: opts.authorityOverrides ?? {},
    priceTolerance,
    staleAfterDays: opts.staleAfterDays ?? 90,
    freshnessMinDays: opts.freshnessMinDays ?? 7,
    weightOf: () => 1,
  };
}

/** The default creator of a model: the part of its id before the first '/' (called for every candidate: no array built). */
function creatorOfId(modelId: string): string {
  const slash = modelId.indexOf('/');
  return slash < 0 ? modelId : modelId.slice(0, slash);
}

const HOST_RE = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/:?#]+)/i;

/** Hosts by URL, remembered: a catalog page states thousands of claims, so its URL comes up again and again. */
const hostOf = memoizedText((url) => (HOST_RE.exec(url)?.[1] ?? url).toLowerCase().replace(/^www\./, ''));

const NO_CLAIMS: ReadonlySet<Claim> = new Set();
/** A working candidate's own `flags` are never read (its flag Set is; toFact writes the sorted list): one shared empty list. */
const NO_FLAGS: Fact['candidates'][number]['flags'] = [];

/** What every fact of one reconcile call shares: pass-through prices by key, and which route each catalog listing stands for. */
interface Context {
  settings: Settings;
  nowDay?: number;
  witnesses: Map<string, Claim[]>;
  routeOfListing: (sourceId: string, via: string) => string | undefined;
}

/**
 * The meaning keys a source rounding a token price would publish it as,
 * by the price's key: a week states the same few thousand prices tens of
 * thousands of times. Shared lists, never changed (a remap builds a new one).
 */
const roundedKeys = memoizedText((key): readonly string[] => roundedForms(key.slice(2)).map((r) => `m:${r}`));

/** Claims → working candidates with flags. `attached` claims support the fact but never vote; nor do pass-through witnesses or reviewer-rejected claims. */
function buildCands(g: Group, claims: readonly Claim[], attached: ReadonlySet<Claim>, ctx: Context, rejected?: ReadonlyMap<string, Rejection>): Cand[] {
  const { settings } = ctx;
  const rounding = roundingApplies(g.id.qualifiers);
  const make = (claim: Claim, order: number, witness: boolean): Cand => {
    const p = claim.provenance;
    const rejectedHere = !witness && isRejected(claim, rejected);
    const voter = !witness && !attached.has(claim) && !rejectedHere;
    const meaning = meaningOf(claim.value, g.id.attribute);
    const c: Cand = {
      candidate: { value: claim.value, provenance: p, flags: NO_FLAGS },
      attribute: g.id.attribute,
      sourceId: p.sourceId,
      via: p.via,
      host: hostOf(p.url),
      meaning: rounding && claim.value.kind === 'money' ? { key: meaning.key, ancestors: roundedKeys(meaning.key) } : meaning,
      authority: witness ? { rank: 0 } : authorityOf(p.sourceId, g.id, settings),
      asOfDay: p.statedAsOf ? lastDayOf(p.statedAsOf) : dayOf(p.fetchedAt),
      ...(p.statedAsOf ? { stated: { day: lastDayOf(p.statedAsOf), precision: p.statedAsOf.precision } } : {}),
      flags: new FlagSet(),
      voter,
      witness,
      order,
    };
    if (witness) c.flags.add(FLAG.passThrough);
    else if (attached.has(claim)) c.flags.add(FLAG.unqualifiedMatch);
    else if (rejectedHere) c.flags.add(REJECTED_FLAG);
    if (witness) c.routeOf = claim.qualifiers.route;
    return c;
  };
  const sorted = sortClaims(claims);
  const cands = sorted.map((claim, order) => make(claim, order, false));
  const witnesses = witnessesFor(g, ctx);
  if (witnesses && witnesses.length > 0) {
    const seen = new Set(claims);
    const extra = sortClaims(witnesses.filter((w) => !seen.has(w)));
    extra.forEach((w, i) => cands.push(make(w, sorted.length + i, true)));
  }
  if (settings.priceTolerance > 0) {
    const remap = moneyClusterKeys(cands.map((c) => c.meaning.key), settings.priceTolerance);
    for (const c of cands) {
      const key = remap.get(c.meaning.key);
      if (key !== undefined) c.meaning = { key, ancestors: c.meaning.ancestors.filter((a) => a !== key) };
    }
  }
  for (const c of cands) intrinsicFlags(c, ctx.nowDay, settings.staleAfterDays);
  relativeFlags(cands);
  if (g.id.attribute === 'price') priceChecks(cands, g.id.qualifiers);
  oneVoicePerSource(cands, {
    creator: settings.creatorOf(g.id.modelId),
    modelLevel: g.id.qualifiers.route === undefined,
    routeOfListing: ctx.routeOfListing,
  });
  return cands;
}

/** Key of a token price without its route: what a pass-through gateway's price for the same model shares with the creator's. */
function priceKeyWithoutRoute(modelId: string, q: Qualifiers): string {
  return [modelId, q.unit ?? '', q.direction ?? '', q.modality ?? '', q.tier ?? ''].join('|');
}

/**
 * Pass-through gateways (a gateway source stating prices on its own route)
 * charge, for most models, what the creator charges: their prices are
 * evidence for the creator's route. Indexed by model and price key.
 */
function passThroughIndex(groups: Map<string, Group>, settings: Settings): Map<string, Claim[]> {
  const owners = new Map<string, string>();
  for (const [id, info] of Object.entries(settings.sources)) if (info.authority === 'gateway' && info.ownRoute) owners.set(id, info.ownRoute);
  const out = new Map<string, Claim[]>();
  for (const g of groups.values()) {
    const q = g.id.qualifiers;
    if (g.id.attribute !== 'price' || q.unit !== 'per_1m_tokens' || q.route === undefined) continue;
    for (const c of g.claims) {
      if (owners.get(c.provenance.sourceId) !== q.route) continue;
      const k = priceKeyWithoutRoute(g.id.modelId, q);
      const list = out.get(k);
      if (list) list.push(c);
      else out.set(k, [c]);
    }
  }
  return out;
}

function witnessesFor(g: Group, ctx: Context): Claim[] | undefined {
  const q = g.id.qualifiers;
  if (g.id.attribute !== 'price' || q.unit !== 'per_1m_tokens' || q.route !== ctx.settings.creatorOf(g.id.modelId)) return undefined;
  return ctx.witnesses.get(priceKeyWithoutRoute(g.id.modelId, q))?.filter((c) => c.qualifiers.route !== q.route);
}

/**
 * The same model's token prices on every route, for the `@other-routes` voter:
 * per price key without route, each route's values (meaning keys) with the
 * sources stating them. A pass-through gateway's price on its own route is
 * left out for the creator's route (it is `<source>@pass-through` there).
 */
function otherRoutesIndex(groups: Map<string, Group>, settings: Settings): (fact: FactId) => ReadonlyMap<string, ReadonlySet<string>> | undefined {
  const owners = new Map<string, string>();
  for (const [id, info] of Object.entries(settings.sources)) if (info.authority === 'gateway' && info.ownRoute) owners.set(id, info.ownRoute);
  const byKey = new Map<string, { route: string; sourceId: string; key: string }[]>();
  for (const g of groups.values()) {
    const q = g.id.qualifiers;
    if (g.id.attribute !== 'price' || q.unit !== 'per_1m_tokens' || q.route === undefined) continue;
    const k = priceKeyWithoutRoute(g.id.modelId, q);
    const list = byKey.get(k) ?? [];
    for (const c of g.claims) list.push({ route: q.route, sourceId: c.provenance.sourceId, key: meaningOf(c.value, 'price').key });
    byKey.set(k, list);
  }
  return (fact) => {
    const q = fact.qualifiers;
    if (fact.attribute !== 'price' || q.unit !== 'per_1m_tokens' || q.route === undefined) return undefined;
    const creatorRoute = q.route === settings.creatorOf(fact.modelId);
    const out = new Map<string, Set<string>>();
    for (const e of byKey.get(priceKeyWithoutRoute(fact.modelId, q)) ?? []) {
      if (e.route === q.route || (creatorRoute && owners.get(e.sourceId) === e.route)) continue;
      const set = out.get(e.key) ?? new Set<string>();
      set.add(e.sourceId);
      out.set(e.key, set);
    }
    return out.size > 0 ? out : undefined;
  };
}

/** Which route each listing (`via`) of a catalog stands for, read off its own price claims (the smallest route if several). */
function listingRoutes(claims: readonly Claim[]): (sourceId: string, via: string) => string | undefined {
  const map = new Map<string, string>();
  for (const c of claims) {
    const via = c.provenance.via;
    const route = c.qualifiers.route;
    if (!via || !route) continue;
    const k = `${c.provenance.sourceId}\u0000${via}`;
    const cur = map.get(k);
    if (cur === undefined || route < cur) map.set(k, route);
  }
  return (sourceId, via) => map.get(`${sourceId}\u0000${via}`);
}

interface Built {
  group: Group;
  cands: Cand[];
  outcome: Outcome;
  chosen?: Fact['chosen'];
  /** Ambiguous less-qualified facts that may mean this one (most facts have none: created when the first is added). */
  related?: Set<string>;
}

function decide(g: Group, attached: readonly Claim[], ctx: Context, prepared?: Cand[], rejected?: ReadonlyMap<string, Rejection>): Built {
  const cands = prepared ?? buildCands(g, [...g.claims, ...attached], new Set(attached), ctx, rejected);
  const { outcome } = runLadder(g.id, ctx.settings, cands);
  const leaf = outcome.leaf;
  if (leaf) for (const c of cands) if (!supports(c, leaf)) c.flags.add(FLAG.conflicting);
  return { group: g, cands, outcome, chosen: leaf ? leafValue(leaf) : undefined };
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

function ambiguousFact(g: Group, claims: Claim[], targets: Built[], ctx: Context): Built {
  const cands = buildCands(g, claims, NO_CLAIMS, ctx);
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
    candidates: b.cands.map((c) => ({ value: c.candidate.value, provenance: c.candidate.provenance, flags: c.flags.size === 0 ? [] : [...c.flags].sort() })),
    rule: b.outcome.detail,
    confidence: confidence(b.cands, b.outcome.leaf),
    status: b.outcome.status,
  };
  if (b.chosen) fact.chosen = b.chosen;
  if (b.related && b.related.size > 0) fact.related = [...b.related].sort();
  if (b.outcome.weights) fact.weights = b.outcome.weights;
  const majority = majorityOfFact(fact);
  if (majority) fact.majority = majority;
  return fact;
}

/**
 * The truth-discovery step's evidence from one fact: each voter's supported
 * values (set-aside failure shapes left out, as the ladder does). Undefined
 * when fewer than two voters could speak (one source and no pass-through
 * price: `@other-routes` only counts beside two sources), a fact
 * learnReliability would drop: most facts, and not worth their ballots.
 */
function ballotFact(key: string, g: Group, cands: readonly Cand[], settings: Settings): BallotFact | undefined {
  // a pass-through price may be a second voter; else two voting sources are needed
  let source: string | undefined;
  let speakers = 0;
  for (const c of cands) {
    if (c.witness) speakers = 2;
    else if (c.voter && c.sourceId !== source) {
      speakers++;
      source = c.sourceId;
    }
    if (speakers >= 2) break;
  }
  if (speakers < 2) return undefined;
  const voters = cands.filter((c) => c.voter);
  const clean = voters.filter((c) => !KNOWN_FAILURES.some((f) => c.flags.has(f)));
  const eligible = clean.length > 0 ? clean : voters;
  const leaves = leavesOf(eligible);
  let ballots = ballotsOf({ eligible, all: cands, leaves, fact: g.id, settings });
  // other routes' prices are a test of the sources only where two of them speak to the fact (else every single-source fact would be one more agreement)
  if (new Set(eligible.map((c) => c.sourceId)).size < 2) ballots = ballots.filter((b) => b.voter !== OTHER_ROUTES_VOTER);
  return { key, attribute: g.id.attribute, ballots: ballots.map((b) => ({ voter: b.voter, leaves: b.leaves.map((l) => l.key) })) };
}

/** The earlier weeks' evidence followed by this week's facts' ballots. */
function weekEvidence(history: readonly BallotFact[], prepared: ReadonlyMap<string, Cand[]>, groups: ReadonlyMap<string, Group>, settings: Settings): BallotFact[] {
  const out = [...history];
  // forEach, not for-of: no [key, value] array per fact
  prepared.forEach((cands, key) => {
    const b = ballotFact(key, groups.get(key)!, cands, settings);
    if (b) out.push(b);
  });
  return out;
}

/** Cache prices against input prices, on the decided facts: flags the chosen value's candidates, says so in the rule, lowers confidence. */
function applyCrossFactChecks(built: Map<string, Built>): void {
  const priced: PricedFact[] = [];
  for (const b of built.values()) {
    if (b.group.id.attribute !== 'price' || b.chosen?.kind !== 'money') continue;
    priced.push({ key: b.group.key, modelId: b.group.id.modelId, qualifiers: b.group.id.qualifiers, chosenUsd: b.chosen.usd });
  }
  for (const [key, hit] of crossFactChecks(priced)) {
    const b = built.get(key);
    const leaf = b?.outcome.leaf;
    if (!b || !leaf) continue;
    for (const c of b.cands) if (!c.witness && supports(c, leaf)) c.flags.add(hit.flag);
    const what = describeValue(b.chosen!, b.group.id.qualifiers);
    b.outcome = { ...b.outcome, detail: `${b.outcome.detail} Plausibility: the chosen ${what} is ${flagReason(hit.flag)} ($${hit.input}); kept as stated, with lower confidence.` };
  }
}

/** A weight learned from fewer comparisons than this is noise: such a voter counts 1, like everybody before learning. */
const MIN_EVIDENCE = 20;
const evidenced = (r: VoterReliability | undefined) => (r && r.compared >= MIN_EVIDENCE ? r.weight : 1);
/** The weight the rules apply for a learned row (1 below the evidence threshold). */
export const appliedWeight = evidenced;

/** Weights learned before (ReconcileOptions.weights), as learnReliability returns them. */
function given(rows: readonly VoterReliability[]): Reliability {
  return { weights: new Map(rows.map((r) => [reliabilityKey(r.voter, r.attribute), r])), iterations: 0, converged: true };
}

export function reconcile(claims: readonly Claim[], opts: ReconcileOptions): ReconcileResult {
  const settled = settle(opts);
  const groups = groupClaims(claims);
  const base: Settings = { ...settled, elsewhere: otherRoutesIndex(groups, settled) };
  const lessQualified = lessQualifiedTargets(groups);
  const rejections = indexRejections(opts.rejections ?? []);
  const ctx: Context = {
    settings: base,
    nowDay: opts.now ? dayOf(opts.now) : undefined,
    witnesses: passThroughIndex(groups, base),
    routeOfListing: listingRoutes(claims),
  };

  // 1. Candidates of the facts no other fact refines, and what they teach about each source's reliability.
  const prepared = new Map<string, Cand[]>();
  for (const g of groups.values()) if (!lessQualified.has(g.key)) prepared.set(g.key, buildCands(g, g.claims, NO_CLAIMS, ctx, rejections.get(g.key)));
  // a catalog whose listings split evenly speaks through its most reliable listings (learned the same way);
  // the loops over every fact use forEach, which makes no [key, value] array per fact
  const listingFacts: BallotFact[] = [];
  prepared.forEach((cands, key) => {
    const ballots = listingBallots(cands);
    if (ballots) listingFacts.push({ key, attribute: groups.get(key)!.id.attribute, ballots });
  });
  // weights a full reconcile of the week already learned (a re-reconcile of one model after a decision): used as they are
  const listings = opts.weights ? given(opts.weights.listings) : learnReliability(listingFacts);
  prepared.forEach((cands, key) => {
    const attribute = groups.get(key)!.id.attribute;
    weightedVoices(cands, (listing) => evidenced(listings.weights.get(reliabilityKey(listing, attribute))));
  });
  // what this week's facts teach, beside the evidence of the facts published in earlier weeks
  const learned = opts.weights
    ? given(opts.weights.rows)
    : learnReliability(weekEvidence(opts.history ?? [], prepared, groups, base));
  ctx.settings = {
    ...base,
    weightOf: (voter, attribute) => evidenced(learned.weights.get(reliabilityKey(voter, attribute))),
  };

  // 2. Those facts decided on their own claims.
  const built = new Map<string, Built>();
  prepared.forEach((cands, key) => built.set(key, decide(groups.get(key)!, [], ctx, cands)));
  prepared.clear();

  // 3. A less-qualified claim joins every qualified fact whose value it equals; the rest stay ambiguous.
  const settings = ctx.settings;
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
    if (left.length > 0) ambiguous.push(ambiguousFact(g, left, targets, ctx));
  }
  // Attached claims never vote, so re-deciding keeps each choice and only adds their support.
  for (const [key, extra] of attached) {
    const prev = built.get(key);
    if (prev) built.set(key, decide(prev.group, extra, ctx, undefined, rejections.get(key)));
  }
  for (const a of ambiguous) {
    built.set(a.group.key, a);
    for (const t of a.related ?? []) {
      const target = built.get(t);
      if (target) (target.related ??= new Set()).add(a.group.key);
    }
  }
  applyCrossFactChecks(built);

  // 4. Reviewer decisions.
  const decisions = latestDecisions(opts.decisions ?? []);
  const reopened: ReconcileResult['reopened'] = [];
  const facts: Fact[] = [];
  for (const key of [...built.keys()].sort(cmp)) {
    const b = built.get(key);
    if (!b) continue;
    const fact = toFact(b);
    // a decided fact's working candidates are garbage from here: the heap need not hold every fact's twice
    built.delete(key);
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
    // sources that came to agree on the decided value settle the fact themselves: nothing to re-open (its conflict closes)
    const agreedOnDecision =
      d !== undefined &&
      (fact.status === 'agreed' || fact.status === 'single-source') &&
      fact.chosen !== undefined &&
      candidatesHash(fact.candidates) !== d.candidatesHash &&
      sameMeaning(fact.chosen, d.value, fact.attribute, settings.priceTolerance);
    if (d && !agreedOnDecision) {
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
  const rows = [...learned.weights.values()];
  return { facts, reopened, reliability: { rows, listings: [...listings.weights.values()], iterations: learned.iterations, converged: learned.converged } };
}
