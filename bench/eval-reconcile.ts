/**
 * `npm run eval`: how right is reconciliation, measured on the real weeks
 * (MODELFACTS_REAL_DATA), printed, never asserted. No outside price list is
 * used as an oracle; the truth is what several independent sources agree on:
 *
 *  1. Per week, the engine's statuses, needs-review count, and two clock
 *     checks (freshness decided without a page-stated date; a rule text that
 *     cites the day of this run) — both must be 0.
 *  2. Leave-one-source-out with planted errors: on facts where two or more
 *     sources agree, one source's value is hidden and replaced by an error of
 *     a shape real catalogs make (a doubled price, a per-token/per-1M slip of
 *     10^6, a stale older price, a placeholder 1 January date, a limit off by
 *     a factor). Does the engine still publish the agreed value? Beside it:
 *     what a plain majority vote (one vote per source; a tie counts half)
 *     and each single catalog alone would publish.
 *  3. 20 needs-review facts of the last week, for a spot-check by eye.
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
import { loadRealWeeks } from './real-claims.js';

const root = resolve(process.env.MODELFACTS_REAL_DATA ?? '../shared/real-data');
if (!existsSync(root)) {
  console.error(`eval: no real data at ${root}; set MODELFACTS_REAL_DATA`);
  process.exit(2);
}
const SHARE = Number(process.env.EVAL_SHARE ?? '0.25');
const h = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0);
const today = new Date().toISOString().slice(0, 10);
const keyOfClaim = (c: Claim) => factKey({ modelId: c.modelId, attribute: c.attribute, qualifiers: factQualifiers(c.qualifiers) });

type Kind = 'doubled' | 'unit-slip-1e6' | 'stale-older-price' | 'placeholder-date' | 'limit-halved';

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

const voters = (f: Fact) => f.candidates.filter((c) => !c.flags.includes('pass-through-route') && !c.flags.includes('unqualified-match'));
const sourcesOf = (f: Fact) => [...new Set(voters(f).map((c) => c.provenance.sourceId))].sort();

function choosePlants(facts: readonly Fact[]): Plant[] {
  const out: Plant[] = [];
  for (const f of facts) {
    if (f.status !== 'agreed' || !f.chosen) continue;
    const tokenPrice = f.attribute === 'price' && f.qualifiers.unit === 'per_1m_tokens' && f.chosen.kind === 'money' && f.chosen.usd !== '0';
    const other = ['release_date', 'context_window', 'max_output_tokens'].includes(f.attribute) && (f.chosen.kind === 'date' || (f.chosen.kind === 'count' && f.chosen.count > 1));
    if (!tokenPrice && !other) continue;
    if (f.chosen.kind === 'date' && f.chosen.date.endsWith('-01-01')) continue;
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

/** The value one source alone would publish for a fact: what most of its claims say (undefined on a split). */
function singleSourceValue(f: Fact, sourceId: string): Value | undefined {
  const mine = voters(f).filter((c) => c.provenance.sourceId === sourceId);
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

/** Plain majority: one vote per source (a source's split vote is its plurality); ties score half. */
function majorityScore(f: Fact, truth: Value): number {
  const values: { v: Value; n: number }[] = [];
  for (const s of sourcesOf(f)) {
    const v = singleSourceValue(f, s);
    if (!v) continue;
    const hit = values.find((x) => sameMeaning(x.v, v, f.attribute));
    if (hit) hit.n++;
    else values.push({ v, n: 1 });
  }
  const top = Math.max(0, ...values.map((x) => x.n));
  const winners = values.filter((x) => x.n === top);
  if (winners.length === 0) return 0;
  return winners.filter((x) => sameMeaning(x.v, truth, f.attribute)).length / winners.length;
}

const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);

const weeks = loadRealWeeks(root);
const totals = { n: 0, engine: 0, vote: 0, needsReview: 0, byKind: new Map<string, { n: number; engine: number; vote: number }>(), byScope: new Map<string, { n: number; engine: number; vote: number }>(), byRule: new Map<string, { n: number; engine: number; vote: number }>() };
const single = new Map<string, { n: number; right: number }>();
let lastFacts: Fact[] = [];

// EVAL_WEEKS=n scores only the last n weeks, EVAL_WEEKS=2026-W14,2026-W17 the named ones (the week before each still serves as its history)
const only = process.env.EVAL_WEEKS;
const scored = !only ? weeks : only.includes('W') ? weeks.filter((w) => only.split(',').includes(w.week)) : weeks.slice(-Number(only));
// as the store holds them: each earlier week's fact versions (a fact unchanged since the week before is one version)
const storedBefore = new Map<string, StoredFact[]>();
{
  let acc: StoredFact[] = [];
  const seen = new Set<string>();
  for (const w of weeks) {
    storedBefore.set(w.week, acc);
    if (!scored.some((x) => x.week > w.week)) break;
    const facts = reconcile(w.claims, { sources: sourceInfo(SOURCES), now: w.recordedAt, history: ballotsFromFacts(acc) }).facts;
    const next = [...acc];
    for (const f of facts) {
      if (f.status === 'single-source') continue;
      const id = `${factKey(f)}|${candidatesHash(f.candidates)}`;
      if (seen.has(id)) continue;
      seen.add(id);
      next.push({ ...f, factKey: factKey(f), validFrom: w.week });
    }
    acc = next;
  }
}

for (const w of scored) {
  const opts = { sources: sourceInfo(SOURCES), now: w.recordedAt, history: ballotsFromFacts(storedBefore.get(w.week) ?? []) };
  const t0 = performance.now();
  const base = reconcile(w.claims, opts);
  const ms = performance.now() - t0;
  const status = new Map<string, number>();
  for (const f of base.facts) status.set(f.status, (status.get(f.status) ?? 0) + 1);
  const byRule = new Map<string, number>();
  for (const f of base.facts) {
    const r = f.rule.slice(0, f.rule.indexOf(':'));
    byRule.set(r, (byRule.get(r) ?? 0) + 1);
  }
  const freshnessByFetch = base.facts.filter((f) => f.rule.startsWith('freshness:') && !f.candidates.some((c) => c.provenance.statedAsOf)).length;
  const citesToday = base.facts.filter((f) => f.rule.includes(today)).length;
  console.log(
    `${w.week}: ${w.claims.length} claims → ${base.facts.length} facts in ${Math.round(ms)} ms; ` +
      [...status].sort().map(([s, n]) => `${s} ${n}`).join(', ') +
      `; freshness decided by fetch times: ${freshnessByFetch}; rule texts citing ${today}: ${citesToday}; reliability ${base.reliability.converged ? 'converged' : 'NOT converged'} in ${base.reliability.iterations} iterations`,
  );
  console.log(`  rules: ${[...byRule].sort().map(([r, n]) => `${r} ${n}`).join(', ')}`);

  const plants = choosePlants(base.facts);
  const byKey = new Map(plants.map((p) => [p.key, p]));
  const plantedClaims = w.claims.map((c) => {
    const p = byKey.get(keyOfClaim(c));
    return p && c.provenance.sourceId === p.victim ? { ...c, value: plant(c.value, p.kind) } : c;
  });
  // as a refresh does: each source's run passes the claim-level checks against its own last week and the other sources of this run
  const prev = weeks[weeks.indexOf(w) - 1];
  let claims = plantedClaims;
  let held = 0;
  if (prev) {
    claims = [];
    for (const sourceId of [...new Set(plantedClaims.map((c) => c.provenance.sourceId))].sort()) {
      const q = quarantineClaims({
        sourceId,
        claims: plantedClaims.filter((c) => c.provenance.sourceId === sourceId),
        previous: prev.claims.filter((c) => c.provenance.sourceId === sourceId),
        others: plantedClaims.filter((c) => c.provenance.sourceId !== sourceId),
      });
      held += q.quarantined.length;
      claims.push(...q.claims);
    }
  }
  const planted = new Map(reconcile(claims, opts).facts.map((f) => [factKey(f), f]));
  let engine = 0;
  let vote = 0;
  let review = 0;
  for (const p of plants) {
    const f = planted.get(p.key);
    if (!f) continue;
    const right = f.chosen !== undefined && sameMeaning(f.chosen, p.truth, p.attribute);
    const v = majorityScore(f, p.truth);
    engine += right ? 1 : 0;
    vote += v;
    if (f.status === 'needs-review') review++;
    const rule = `${f.rule.slice(0, f.rule.indexOf(':'))} (${f.status})`;
    const br = totals.byRule.get(rule) ?? { n: 0, engine: 0, vote: 0 };
    br.n++;
    br.engine += right ? 1 : 0;
    br.vote += v;
    totals.byRule.set(rule, br);
    if (process.env.EVAL_DUMP && !right) console.log(`    wrong ${p.kind} ${p.key} victim=${p.victim} truth=${JSON.stringify(p.truth)} chose=${JSON.stringify(f.chosen)} vote=${v} :: ${f.rule.slice(0, 600)}`);
    const scope = f.attribute === 'price' ? (f.qualifiers.route === f.modelId.split('/')[0] ? 'creator-route token price' : 'other-route token price') : f.attribute;
    const sc = totals.byScope.get(scope) ?? { n: 0, engine: 0, vote: 0 };
    sc.n++;
    sc.engine += right ? 1 : 0;
    sc.vote += v;
    totals.byScope.set(scope, sc);
    const k = totals.byKind.get(p.kind) ?? { n: 0, engine: 0, vote: 0 };
    k.n++;
    k.engine += right ? 1 : 0;
    k.vote += v;
    totals.byKind.set(p.kind, k);
    for (const s of sourcesOf(f)) {
      const sv = singleSourceValue(f, s);
      const row = single.get(s) ?? { n: 0, right: 0 };
      row.n++;
      if (sv && sameMeaning(sv, p.truth, p.attribute)) row.right++;
      single.set(s, row);
    }
  }
  totals.n += plants.length;
  totals.engine += engine;
  totals.vote += vote;
  totals.needsReview += review;
  console.log(`  planted errors: ${plants.length}; engine right ${pct(engine, plants.length)}, majority vote ${pct(vote, plants.length)}, needs-review ${review}; claims quarantined by the claim-level checks: ${held}`);
  lastFacts = base.facts;
}

console.log(`\nleave-one-source-out with planted errors, ${scored.length} weeks, ${totals.n} facts:`);
console.log(`  engine ${pct(totals.engine, totals.n)}; majority vote ${pct(totals.vote, totals.n)}; left to review ${totals.needsReview}`);
for (const [kind, k] of [...totals.byKind].sort()) console.log(`  ${kind}: ${k.n} facts, engine ${pct(k.engine, k.n)}, vote ${pct(k.vote, k.n)}`);
for (const [scope, k] of [...totals.byScope].sort()) console.log(`  ${scope}: ${k.n} facts, engine ${pct(k.engine, k.n)}, vote ${pct(k.vote, k.n)}`);
console.log('  by the rule that decided the planted fact:');
for (const [rule, k] of [...totals.byRule].sort()) console.log(`    ${rule}: ${k.n} facts, engine ${pct(k.engine, k.n)}, vote ${pct(k.vote, k.n)}`);
const singles = [...single].sort(([a], [b]) => (a < b ? -1 : 1));
for (const [s, r] of singles) console.log(`  ${s} alone: ${pct(r.right, r.n)} of the ${r.n} planted facts it states`);
const best = singles.map(([s, r]) => ({ s, share: r.right / r.n })).sort((a, b) => b.share - a.share)[0];
if (best) console.log(`  best single catalog: ${best.s} ${(100 * best.share).toFixed(1)} %`);

const review = lastFacts.filter((f) => f.status === 'needs-review');
const sample = [...review].sort((a, b) => h(factKey(a)) - h(factKey(b))).slice(0, 20);
console.log(`\n${weeks[weeks.length - 1]?.week}: ${review.length} facts need review; 20 of them:`);
for (const f of sample) {
  const says = f.candidates
    .map((c) => `${c.provenance.sourceId}${c.provenance.via ? `/${c.provenance.via}` : ''}=${JSON.stringify(c.value.kind === 'money' ? c.value.usd : c.value.kind === 'date' ? c.value.date : c.value.kind === 'count' ? c.value.count : c.value.kind === 'list' ? c.value.items : c.value.kind === 'text' ? c.value.text : c.value)}${c.flags.length ? `[${c.flags.join(',')}]` : ''}`)
    .join('  ');
  console.log(`- ${factKey(f)}: ${says}`);
}
