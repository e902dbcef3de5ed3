/**
 * `npm run eval`: how right is reconciliation, measured on the real weeks
 * (MODELFACTS_REAL_DATA), printed, never asserted. No outside price list is
 * used as an oracle; the truth is what several independent sources agree on:
 *
 *  1. Per week, the engine's statuses, needs-review count, and two clock
 *     checks (freshness decided without a page-stated date; a rule text that
 *     cites the day of this run) — both must be 0.
 *  2. Leave-one-source-out. On a sample of facts where sources agree, one
 *     source's value is replaced by an error of a shape real catalogs make (a
 *     doubled price, a per-token/per-1M slip of 10^6, a stale older price, a
 *     placeholder 1 January date, a limit off by a factor). Two scenarios:
 *      - persistent (the headline): the source has always said it — the
 *        error is planted in every week up to the scored one, so neither the
 *        claim-level checks (which compare a source with its own last week)
 *        nor the stored history (earlier weeks' facts, which teach the
 *        weights) ever see the hidden source's true value;
 *      - fresh: the error appears this week only (last week the source said
 *        the truth): what the claim-level checks catch.
 *  3. Real splits: on facts where three sources state a value and two agree
 *     against the third (a real catalog error), one of the agreeing two is
 *     hidden (in every week, in a replay of its own without the planted
 *     errors, so that the weights are learned from the real data): the
 *     engine faces a real 1-vs-1 split whose wrong side is a catalog's own
 *     mistake, and should still publish the agreed value.
 *  For each: the engine, a plain majority vote (one vote per source) and each
 *  single catalog alone. Every method may abstain (engine: needs-review with
 *  no value; vote: a tie; a catalog: its listings split or it is silent on
 *  the fact). Two figures each: right of all facts (an abstention is not
 *  right; the majority's tie is also shown counting half, the old figure) and
 *  right of what it publishes, with how many it published.
 *  4. 20 needs-review facts of the last week, for a spot-check by eye.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Fact } from '../schema/fact.js';
import type { Claim } from '../schema/observation.js';
import type { Value } from '../schema/values.js';
import { multiply, shift } from '../schema/decimal.js';
import { ballotsFromFacts, candidatesHash, factKey, reconcile, sameMeaning, type StoredFact } from '../pipelines/reconcile/index.js';
import { factQualifiers } from '../pipelines/reconcile/group.js';
import { SOURCES } from '../extractors/registry.js';
import { sourceInfo } from '../pipelines/run/reconcile-week.js';
import { quarantineClaims } from '../pipelines/normalize/claim-quarantine.js';
import { loadRealWeeks, type RealWeek } from './real-claims.js';

const root = resolve(process.env.MODELFACTS_REAL_DATA ?? '../shared/real-data');
if (!existsSync(root)) {
  console.error(`eval: no real data at ${root}; set MODELFACTS_REAL_DATA`);
  process.exit(2);
}
const SHARE = Number(process.env.EVAL_SHARE ?? '0.25');
const h = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0);
const today = new Date().toISOString().slice(0, 10);
const keyOfClaim = (c: Claim) => factKey({ modelId: c.modelId, attribute: c.attribute, qualifiers: factQualifiers(c.qualifiers) });
const sources = sourceInfo(SOURCES);

type Kind = 'doubled' | 'unit-slip-1e6' | 'stale-older-price' | 'placeholder-date' | 'limit-halved' | 'real-split';

function plant(v: Value, kind: Kind): Value {
  if (v.kind === 'money') {
    if (kind === 'doubled') return { kind: 'money', usd: multiply(v.usd, '2') };
    if (kind === 'unit-slip-1e6') return { kind: 'money', usd: shift(v.usd, -6) };
    return { kind: 'money', usd: multiply(v.usd, '1.25') };
  }
  if (v.kind === 'date') return { kind: 'date', date: `${v.date.slice(0, 4)}-01-01`, precision: 'day' };
  if (v.kind === 'count') return { kind: 'count', count: Math.round(v.count / 2) };
  return v;
}

const KINDS: Record<string, Kind[]> = {
  money: ['doubled', 'unit-slip-1e6', 'stale-older-price'],
  date: ['placeholder-date'],
  count: ['limit-halved'],
};

interface Plant {
  key: string;
  victim: string;
  kind: Kind;
  truth: Value;
  attribute: Fact['attribute'];
}

const voters = (f: Fact) => f.candidates.filter((c) => !c.flags.includes('pass-through-route') && !c.flags.includes('unqualified-match') && !c.flags.includes('other-listing'));
const sourcesOf = (f: Fact) => [...new Set(voters(f).map((c) => c.provenance.sourceId))].sort();

function inScope(f: Fact, v: Value): boolean {
  const tokenPrice = f.attribute === 'price' && f.qualifiers.unit === 'per_1m_tokens' && v.kind === 'money' && v.usd !== '0';
  const other = ['release_date', 'context_window', 'max_output_tokens'].includes(f.attribute) && (v.kind === 'date' || (v.kind === 'count' && v.count > 1));
  if (!tokenPrice && !other) return false;
  return !(v.kind === 'date' && v.date.endsWith('-01-01'));
}

/** Planted errors: agreed facts (≥ 2 sources), a sample of them, a victim among their sources. */
function choosePlants(facts: readonly Fact[]): Plant[] {
  const out: Plant[] = [];
  for (const f of facts) {
    if (f.status !== 'agreed' || !f.chosen || !inScope(f, f.chosen)) continue;
    const srcs = sourcesOf(f);
    if (srcs.length < 2) continue;
    const k = factKey(f);
    if ((h(`pick${k}`) % 1000) / 1000 >= SHARE) continue;
    const kinds = KINDS[f.chosen.kind] ?? [];
    if (kinds.length === 0) continue;
    out.push({ key: k, victim: srcs[h(`victim${k}`) % srcs.length]!, kind: kinds[h(`kind${k}`) % kinds.length]!, truth: f.chosen, attribute: f.attribute });
  }
  return out;
}

function ownsRoute(sourceId: string, f: Fact): boolean {
  const info = sources[sourceId];
  return f.qualifiers.route !== undefined && info !== undefined && info.authority !== 'aggregator' && (info.ownRoute ?? sourceId.split('-')[0]) === f.qualifiers.route;
}

/** Real splits: three sources, two agree and one states something else; one of the agreeing two is hidden. */
function chooseSplits(facts: readonly Fact[]): Plant[] {
  const out: Plant[] = [];
  for (const f of facts) {
    const srcs = sourcesOf(f);
    if (srcs.length !== 3) continue;
    const vals = srcs.map((s) => ({ s, v: singleSourceValue(f, s) }));
    if (vals.some((x) => !x.v)) continue;
    for (const odd of vals) {
      const pair = vals.filter((x) => x !== odd);
      if (!sameMeaning(pair[0]!.v!, pair[1]!.v!, f.attribute) || sameMeaning(odd.v!, pair[0]!.v!, f.attribute) || !inScope(f, pair[0]!.v!)) continue;
      // a route owner's own price against two catalogs is no catalog error to recover (the catalogs may copy each other)
      if (ownsRoute(odd.s, f)) break;
      const k = factKey(f);
      if ((h(`split${k}`) % 1000) / 1000 >= SHARE * 2) break;
      out.push({ key: k, victim: pair[h(`victim${k}`) % 2]!.s, kind: 'real-split', truth: pair[0]!.v!, attribute: f.attribute });
      break;
    }
  }
  return out;
}

/** The value one source alone would publish for a fact: what most of its claims say (undefined on a split). */
function singleSourceValue(f: Fact, sourceId: string): Value | undefined {
  const mine = f.candidates.filter((c) => c.provenance.sourceId === sourceId && !c.flags.includes('pass-through-route') && !c.flags.includes('unqualified-match'));
  const counts: { v: Value; n: number }[] = [];
  for (const c of mine) {
    const hit = counts.find((x) => sameMeaning(x.v, c.value, f.attribute));
    if (hit) hit.n++;
    else counts.push({ v: c.value, n: 1 });
  }
  counts.sort((a, b) => b.n - a.n);
  if (counts.length === 0 || (counts[1] && counts[1].n === counts[0]!.n)) return undefined;
  return counts[0]!.v;
}

/** Plain majority: one vote per source (a source's split vote is its plurality). Its winners (several on a tie). */
function majorityWinners(f: Fact): Value[] {
  const values: { v: Value; n: number }[] = [];
  for (const s of sourcesOf(f)) {
    const v = singleSourceValue(f, s);
    if (!v) continue;
    const hit = values.find((x) => sameMeaning(x.v, v, f.attribute));
    if (hit) hit.n++;
    else values.push({ v, n: 1 });
  }
  const top = Math.max(0, ...values.map((x) => x.n));
  return values.filter((x) => x.n === top).map((x) => x.v);
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);

/** Right / published / of all, for one method. */
class Score {
  n = 0;
  published = 0;
  right = 0;
  /** The majority's tie counted as the expected share of a coin flip (the old figure). */
  half = 0;
  add(published: boolean, right: number, half = right): void {
    this.n++;
    if (published) this.published++;
    this.right += right;
    this.half += half;
  }
  text(): string {
    return `${pct(this.right, this.n)} of ${this.n} (of published ${pct(this.right, this.published)}, ${this.published} published)`;
  }
}

class Tally {
  engine = new Score();
  vote = new Score();
  review = 0;
  single = new Map<string, Score>();
  by = new Map<string, { engine: Score; vote: Score }>();
  row(label: string) {
    const r = this.by.get(label) ?? { engine: new Score(), vote: new Score() };
    this.by.set(label, r);
    return r;
  }
}

const weeks = loadRealWeeks(root);
// EVAL_WEEKS=n scores only the last n weeks, EVAL_WEEKS=2026-W14,2026-W17 the named ones (the weeks before each still serve as its history)
const only = process.env.EVAL_WEEKS;
const scored = !only ? weeks : only.includes('W') ? weeks.filter((w) => only.split(',').includes(w.week)) : weeks.slice(-Number(only));
const lastIndex = weeks.indexOf(scored[scored.length - 1]!);
const upTo = weeks.slice(0, lastIndex + 1);

/** As the store keeps them: each week's fact versions (a fact unchanged since the week before is one version). */
class Store {
  versions: StoredFact[] = [];
  private seen = new Set<string>();
  before = new Map<string, StoredFact[]>();
  add(week: string, facts: readonly Fact[]): void {
    this.before.set(week, [...this.versions]);
    for (const f of facts) {
      if (f.status === 'single-source') continue;
      const id = `${factKey(f)}|${candidatesHash(f.candidates)}`;
      if (this.seen.has(id)) continue;
      this.seen.add(id);
      this.versions.push({ ...f, factKey: factKey(f), validFrom: week });
    }
  }
}

/** As a refresh does: each source's run passes the claim-level checks against its own last week and the other sources of this run. */
function quarantined(claims: Claim[], previous: readonly Claim[] | undefined): { claims: Claim[]; held: number } {
  if (!previous) return { claims, held: 0 };
  const out: Claim[] = [];
  let held = 0;
  for (const sourceId of [...new Set(claims.map((c) => c.provenance.sourceId))].sort()) {
    const q = quarantineClaims({
      sourceId,
      claims: claims.filter((c) => c.provenance.sourceId === sourceId),
      previous: previous.filter((c) => c.provenance.sourceId === sourceId),
      others: claims.filter((c) => c.provenance.sourceId !== sourceId),
    });
    held += q.quarantined.length;
    out.push(...q.claims);
  }
  return { claims: out, held };
}

function applyPlants(claims: readonly Claim[], plan: ReadonlyMap<string, { victim: string; kind: Kind }>): Claim[] {
  const out: Claim[] = [];
  for (const c of claims) {
    const p = plan.get(keyOfClaim(c));
    if (!p || c.provenance.sourceId !== p.victim) out.push(c);
    else if (p.kind !== 'real-split') out.push({ ...c, value: plant(c.value, p.kind) });
  }
  return out;
}

// 1. the real weeks as they are, each with the stored history of the weeks before
const base = new Map<string, Fact[]>();
const baseStore = new Store();
for (const w of upTo) {
  const t0 = performance.now();
  const r = reconcile(w.claims, { sources, now: w.recordedAt, history: ballotsFromFacts(baseStore.versions) });
  const ms = performance.now() - t0;
  baseStore.add(w.week, r.facts);
  base.set(w.week, r.facts);
  if (!scored.includes(w)) continue;
  const status = new Map<string, number>();
  for (const f of r.facts) status.set(f.status, (status.get(f.status) ?? 0) + 1);
  const byRule = new Map<string, number>();
  for (const f of r.facts) {
    const rule = f.rule.slice(0, f.rule.indexOf(':'));
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  }
  const freshnessByFetch = r.facts.filter((f) => f.rule.startsWith('freshness:') && !f.candidates.some((c) => c.provenance.statedAsOf)).length;
  const citesToday = r.facts.filter((f) => f.rule.includes(today)).length;
  console.log(
    `${w.week}: ${w.claims.length} claims → ${r.facts.length} facts in ${Math.round(ms)} ms; ` +
      [...status].sort().map(([s, n]) => `${s} ${n}`).join(', ') +
      `; freshness decided by fetch times: ${freshnessByFetch}; rule texts citing ${today}: ${citesToday}; reliability ${r.reliability.converged ? 'converged' : 'NOT converged'} in ${r.reliability.iterations} iterations`,
  );
  console.log(`  rules: ${[...byRule].sort().map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
  // how sure the learned weights were, on the facts they decided or leaned on
  const leans = new Map<string, number>();
  for (const f of r.facts) {
    const lean = /\(p ≈ ([0-9.]+)/.exec(f.rule)?.[1];
    if (!lean) continue;
    const b = `${(Math.floor(Number(lean) * 20) / 20).toFixed(2)}+ ${f.status}`;
    leans.set(b, (leans.get(b) ?? 0) + 1);
  }
  console.log(`  learned-weight posterior: ${[...leans].sort().map(([b, n]) => `${b} ${n}`).join(', ')}`);
}

function score(t: Tally, plants: readonly Plant[], facts: ReadonlyMap<string, Fact>, label: string): void {
  for (const p of plants) {
    const f = facts.get(p.key);
    if (!f) continue;
    const right = f.chosen !== undefined && sameMeaning(f.chosen, p.truth, p.attribute);
    const winners = majorityWinners(f);
    const voteRight = winners.length === 1 && sameMeaning(winners[0]!, p.truth, p.attribute) ? 1 : 0;
    const voteHalf = winners.length === 0 ? 0 : winners.filter((v) => sameMeaning(v, p.truth, p.attribute)).length / winners.length;
    t.engine.add(f.chosen !== undefined, right ? 1 : 0);
    t.vote.add(winners.length === 1, voteRight, voteHalf);
    if (f.status === 'needs-review') t.review++;
    const rule = `${f.rule.slice(0, f.rule.indexOf(':'))} (${f.status})`;
    const scope = f.attribute === 'price' ? (f.qualifiers.route === f.modelId.split('/')[0] ? 'creator-route token price' : 'other-route token price') : f.attribute;
    const srcs = sourcesOf(f);
    const lean = /\(p ≈ ([0-9.]+)/.exec(f.rule)?.[1];
    const labels = [`kind ${p.kind}`, `scope ${scope}`, `rule ${rule}`, `victim ${p.victim} among ${srcs.join('+')}`];
    if (lean) labels.push(`posterior ${(Math.floor(Number(lean) * 20) / 20).toFixed(2)}+ (${f.status})`);
    for (const l of labels) {
      const r = t.row(l);
      r.engine.add(f.chosen !== undefined, right ? 1 : 0);
      r.vote.add(winners.length === 1, voteRight, voteHalf);
    }
    if (process.env.EVAL_DUMP && !right) console.log(`    ${label} wrong ${p.kind} ${p.key} victim=${p.victim} truth=${JSON.stringify(p.truth)} chose=${JSON.stringify(f.chosen)} vote=${voteHalf} :: ${f.rule.slice(0, 700)}`);
    for (const s of Object.keys(sources).sort()) {
      if (s === p.victim && p.kind === 'real-split') continue;
      const sv = singleSourceValue(f, s);
      if (!sv && !srcs.includes(s)) continue;
      const row = t.single.get(s) ?? new Score();
      row.add(sv !== undefined, sv && sameMeaning(sv, p.truth, p.attribute) ? 1 : 0);
      t.single.set(s, row);
    }
  }
}

function report(title: string, t: Tally): void {
  console.log(`\n${title}, ${scored.length} weeks, ${t.engine.n} facts:`);
  console.log(`  engine        ${t.engine.text()}; needs-review ${t.review}`);
  console.log(`  majority vote ${t.vote.text()}; ties counted half: ${pct(t.vote.half, t.vote.n)}`);
  const singles = [...t.single].sort(([a], [b]) => (a < b ? -1 : 1));
  for (const [s, r] of singles) console.log(`  ${s} alone: ${r.text()}`);
  const best = singles.map(([s, r]) => ({ s, r })).sort((a, b) => b.r.right / b.r.n - a.r.right / a.r.n)[0];
  if (best) {
    console.log(`  best single catalog: ${best.s} ${pct(best.r.right, best.r.n)}`);
    console.log(`  margins (right of all): engine − best single ${(100 * (t.engine.right / t.engine.n - best.r.right / best.r.n)).toFixed(1)} points; engine − majority ${(100 * (t.engine.right / t.engine.n - t.vote.right / t.vote.n)).toFixed(1)} (ties half: ${(100 * (t.engine.right / t.engine.n - t.vote.half / t.vote.n)).toFixed(1)})`);
  }
  for (const [l, r] of [...t.by].sort(([a], [b]) => (a < b ? -1 : 1))) console.log(`    ${l}: ${r.engine.n} facts, engine ${pct(r.engine.right, r.engine.n)} (${r.engine.published} published), vote ${pct(r.vote.right, r.vote.n)} (ties half ${pct(r.vote.half, r.vote.n)})`);
}

// 2a + 3. persistent errors and real splits, in one replay: planted in every week, quarantined against the planted week before, history from what was published
const plantsOf = new Map<string, Plant[]>();
const splitsOf = new Map<string, Plant[]>();
const plan = new Map<string, { victim: string; kind: Kind }>();
for (const w of scored) {
  const facts = base.get(w.week)!;
  const ps: Plant[] = [];
  for (const p of [...choosePlants(facts), ...chooseSplits(facts)]) {
    const cur = plan.get(p.key);
    if (cur && (cur.victim !== p.victim || cur.kind !== p.kind)) continue;
    plan.set(p.key, { victim: p.victim, kind: p.kind });
    ps.push(p);
  }
  plantsOf.set(w.week, ps.filter((p) => p.kind !== 'real-split'));
  splitsOf.set(w.week, ps.filter((p) => p.kind === 'real-split'));
}
const persistent = new Tally();
const splits = new Tally();
/**
 * One replay of every week with `only` of the plan applied (in every week),
 * quarantined against the planted week before, history from what was
 * published. The real splits get a replay of their own: scored in the replay
 * of the planted errors, the learned weights would be taught by those (a
 * quarter of the agreed limits halved drags every catalog's limit weight to
 * the floor) and the splits would measure the plants, not the real data.
 */
function replay(only: (kind: Kind) => boolean, each: (w: RealWeek, byKey: Map<string, Fact>, held: number) => void): void {
  const sub = new Map([...plan].filter(([, p]) => only(p.kind)));
  const store = new Store();
  let previous: Claim[] | undefined;
  for (const w of upTo) {
    const planted = applyPlants(w.claims, sub);
    const q = quarantined(planted, previous);
    previous = planted;
    const facts = reconcile(q.claims, { sources, now: w.recordedAt, history: ballotsFromFacts(store.versions) }).facts;
    store.add(w.week, facts);
    if (scored.includes(w)) each(w, new Map(facts.map((f) => [factKey(f), f])), q.held);
  }
}
replay(
  (k) => k !== 'real-split',
  (w, byKey, held) => {
    score(persistent, plantsOf.get(w.week)!, byKey, 'persistent');
    console.log(`${w.week} persistent: ${plantsOf.get(w.week)!.length} planted; claims held by the claim-level checks: ${held}`);
  },
);
replay(
  (k) => k === 'real-split',
  (w, byKey, held) => {
    score(splits, splitsOf.get(w.week)!, byKey, 'split');
    console.log(`${w.week} real splits: ${splitsOf.get(w.week)!.length} hidden; claims held by the claim-level checks: ${held}`);
  },
);

// 2b. fresh errors: this week only, checked against the true week before
const fresh = new Tally();
for (const w of scored) {
  const i = weeks.indexOf(w);
  const ps = plantsOf.get(w.week)!;
  const freshPlan = new Map(ps.map((p) => [p.key, { victim: p.victim, kind: p.kind }]));
  const q = quarantined(applyPlants(w.claims, freshPlan), weeks[i - 1]?.claims);
  const facts = reconcile(q.claims, { sources, now: w.recordedAt, history: ballotsFromFacts(baseStore.before.get(w.week) ?? []) }).facts;
  score(fresh, ps, new Map(facts.map((f) => [factKey(f), f])), 'fresh');
  console.log(`${w.week} fresh: claims held by the claim-level checks: ${q.held}`);
}

report('leave-one-source-out, PERSISTENT planted errors (the source always said it)', persistent);
report('leave-one-source-out, real splits (2 of 3 agree, one of them hidden)', splits);
report('leave-one-source-out, FRESH planted errors (new this week)', fresh);

const lastWeek: RealWeek = scored[scored.length - 1]!;
const review = (base.get(lastWeek.week) ?? []).filter((f) => f.status === 'needs-review');
const sample = [...review].sort((a, b) => h(factKey(a)) - h(factKey(b))).slice(0, 20);
console.log(`\n${lastWeek.week}: ${review.length} facts need review; 20 of them:`);
for (const f of sample) {
  const says = f.candidates
    .map((c) => `${c.provenance.sourceId}${c.provenance.via ? `/${c.provenance.via}` : ''}=${JSON.stringify(c.value.kind === 'money' ? c.value.usd : c.value.kind === 'date' ? c.value.date : c.value.kind === 'count' ? c.value.count : c.value.kind === 'list' ? c.value.items : c.value.kind === 'text' ? c.value.text : c.value)}${c.flags.length ? `[${c.flags.join(',')}]` : ''}`)
    .join('  ');
  console.log(`- ${factKey(f)}: ${says}`);
}
