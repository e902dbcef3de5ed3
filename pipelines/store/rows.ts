/** Conversions between canonical claims/facts and their table rows, with the hashes that decide "unchanged". */
import type { Attribute } from '../../schema/attributes.js';
import { ruleIdentity, type Fact } from '../../schema/fact.js';
import { memoizedText } from '../../schema/memo.js';
import { candidatesHash, canonicalValue, claimIdentity, sha256Hex } from '../../schema/keys.js';
import type { Decision } from '../reconcile/types.js';
import type { Claim, Derivation } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { DateValue, Value } from '../../schema/values.js';
import type { claims, conflicts, facts } from '../../schema/tables.js';
import { packCandidateRefs } from './candidate-refs.js';

/*
 * Hashes are of texts built from canonical values (reconcile's canonicalValue), not
 * of JSON: a value read back from jsonb, whose keys Postgres reorders, hashes
 * as it did when written.
 */

/** Postgres and PGlite return timestamps as text in their own format; the pipeline uses ISO 8601 (text it cannot read is kept as is). */
export { claimIdentity };

export function isoTimestamp(ts: string): string;
export function isoTimestamp(ts: string | null | undefined): string | null;
export function isoTimestamp(ts: string | null | undefined): string | null {
  if (ts === null || ts === undefined) return null;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toISOString();
}

/**
 * What makes a claim "changed": its value and what the page said — not when it
 * was fetched, nor the page's own freshness date (kept per fetch instead).
 */
export function claimContentHash(c: Claim): string {
  const p = c.provenance;
  // the parts joined by NUL, as one template; only derived claims hash their derivation: the hashes of stated claims stay what they were
  const text = `${canonicalValue(c.value)}\u0000${p.excerpt}\u0000${p.locator}\u0000${p.extractorVersion}`;
  // sha256 of it, its first 32 hex digits (sha256Hex: one call where Node has one; 50,000 claims a week)
  return sha256Hex(p.derived ? `${text}\u0000${p.derived.rule}\u0000${p.derived.from}` : text).slice(0, 32);
}

/** A claim version's parts stored once elsewhere (store/claim-parts.ts): ids, and the excerpt and locator after their head. */
export interface ClaimParts {
  headId: number | null;
  excerpt: string;
  locator: string;
  qualifiersId: number;
  valueId: number;
}

/**
 * A claim version's row (claim_versions): the claim as stated; its page read by
 * reference (`provenanceId`), its qualifiers, value and excerpt/locator heads
 * by the ids claimPartIds found (store/claim-parts.ts).
 */
export function claimToRow(
  c: Claim,
  runId: number,
  /** Already computed by the caller: not hashed twice. */
  known: { contentHash: string },
  provenanceId: number,
  parts: ClaimParts,
) {
  const p = c.provenance;
  return {
    contentHash: known.contentHash,
    sourceId: p.sourceId,
    modelId: c.modelId,
    attribute: c.attribute,
    amountUsd: c.value.kind === 'money' ? c.value.usd : null,
    via: p.via ?? null,
    excerpt: parts.excerpt,
    locator: parts.locator,
    derived: p.derived ?? null,
    provenanceId,
    runId,
    headId: parts.headId,
    qualifiersId: parts.qualifiersId,
    valueId: parts.valueId,
  };
}

/** isoTimestamp of a fetch time, remembered: a week's tens of thousands of claims (written or read back) share a few. */
export const fetchedAtIso = memoizedText((ts: string) => isoTimestamp(ts));

/**
 * The columns of the claims view a claim is rebuilt from (rowToClaim), for reads of a week's claims:
 * not its identity, content hash or qualifiers key, which the view builds by concatenation and
 * encoding for every row, nor the run and validity columns (reading them cost a later week's reads
 * about a fifth of the database's time and their parsing).
 */
export function claimReadColumns(t: typeof claims) {
  return {
    modelId: t.modelId,
    attribute: t.attribute,
    qualifiers: t.qualifiers,
    value: t.value,
    sourceId: t.sourceId,
    url: t.url,
    fetchedAt: t.fetchedAt,
    excerpt: t.excerpt,
    locator: t.locator,
    extractorVersion: t.extractorVersion,
    pageHash: t.pageHash,
    statedAsOf: t.statedAsOf,
    via: t.via,
    derived: t.derived,
  };
}

/** A row of the claims view with the columns rowToClaim reads (claimReadColumns). */
export type ClaimReadRow = Pick<typeof claims.$inferSelect, keyof ReturnType<typeof claimReadColumns>>;

export function rowToClaim(r: ClaimReadRow): Claim {
  return {
    modelId: r.modelId,
    attribute: r.attribute as Attribute,
    qualifiers: r.qualifiers as Qualifiers,
    value: r.value as Value,
    provenance: {
      sourceId: r.sourceId,
      url: r.url,
      fetchedAt: fetchedAtIso(r.fetchedAt),
      excerpt: r.excerpt,
      locator: r.locator,
      extractorVersion: r.extractorVersion,
      pageHash: r.pageHash,
      ...(r.statedAsOf ? { statedAsOf: r.statedAsOf as DateValue } : {}),
      ...(r.via ? { via: r.via } : {}),
      ...(r.derived ? { derived: r.derived as Derivation } : {}),
    },
  };
}

/**
 * What makes a fact "changed": its outcome and its candidates' values and sources, not fetch times.
 * Hashes the text it always hashed (chosen, status, rule, confidence, related, then the candidates' lines
 * sorted: source, URL, listing, value, flags), built with fewer intermediate arrays and strings.
 */
export function factContentHash(f: Fact): string {
  let text = `${f.chosen ? canonicalValue(f.chosen) : ''}\u0000${f.status}\u0000${ruleIdentity(f.rule)}\u0000${String(f.confidence)}\u0000${(f.related ?? []).join(',')}`;
  // one candidate (most facts): its line, with no list to sort
  if (f.candidates.length === 1) return sha256Hex(`${text}\u0000${candidateLine(f.candidates[0]!)}`).slice(0, 32);
  // in a stable order: the same candidates read back in another order are the same fact
  const lines = f.candidates.map(candidateLine).sort();
  for (const line of lines) text += `\u0000${line}`;
  return sha256Hex(text).slice(0, 32);
}

/** A candidate's line in factContentHash: source, URL, listing, value, flags. */
function candidateLine(c: Fact['candidates'][number]): string {
  const p = c.provenance;
  const flags = c.flags.length === 0 ? '' : c.flags.length === 1 ? c.flags[0]! : [...c.flags].sort().join(',');
  return `${p.sourceId}\u0001${p.url}\u0001${p.via ?? ''}\u0001${canonicalValue(c.value)}\u0001${flags}`;
}

/**
 * What a fact concluded, as fact_outcomes stores it once for every fact
 * version that concluded the same (`ruleHead` is its fact_rules id, `chosenId`
 * its claim_values id).
 */
export interface FactOutcome {
  ruleHead: number;
  ruleTail: string | null;
  status: string;
  confidence: number;
  chosenId: number | null;
  chosenUsd: string | null;
  candidatesHash: string;
  related: string[] | null;
  majority: Value | null;
  weightVoters: string[] | null;
}

export function factOutcome(
  f: Fact,
  parts: { ruleHead: number; ruleTail: string | null; chosenId: number | null; weightVoters: string[] | null },
): FactOutcome {
  return {
    ruleHead: parts.ruleHead,
    ruleTail: parts.ruleTail,
    status: f.status,
    confidence: f.confidence,
    chosenId: parts.chosenId,
    chosenUsd: f.chosen?.kind === 'money' ? f.chosen.usd : null,
    candidatesHash: candidatesHash(f.candidates),
    related: f.related ?? null,
    majority: f.majority ?? null,
    weightVoters: parts.weightVoters,
  };
}

/**
 * A fact version's row (fact_versions). `contentHash` is factContentHash(f),
 * already computed by the caller; `refs` are its candidates' claim versions
 * and page reads, in the candidates' order, and the ids of its outcome and qualifiers.
 */
export function factToRow(
  f: Fact,
  runId: number,
  contentHash: string,
  refs: { claims: number[]; pages: number[] | null; outcomeId: number; qualifiersId: number },
) {
  let flagged = false;
  for (const c of f.candidates) if (c.flags.length > 0) flagged = true;
  const flags = flagged ? f.candidates.map((c) => c.flags) : null;
  return {
    runId,
    outcomeId: refs.outcomeId,
    qualifiersId: refs.qualifiersId,
    contentHash,
    modelId: f.modelId,
    attribute: f.attribute,
    candidateRefs: packCandidateRefs({ claims: refs.claims, pages: refs.pages, flags }),
  };
}

export function rowToFact(
  r: typeof facts.$inferSelect,
): Fact & { factKey: string; validFrom: string; validTo: string | null; candidatesHash: string } {
  return {
    factKey: r.factKey,
    modelId: r.modelId,
    attribute: r.attribute as Attribute,
    qualifiers: r.qualifiers as Qualifiers,
    candidates: r.candidates as Fact['candidates'],
    ...(r.chosen ? { chosen: r.chosen as Value } : {}),
    rule: r.rule,
    confidence: r.confidence,
    status: r.status as Fact['status'],
    ...(r.related ? { related: r.related as string[] } : {}),
    ...(r.weights ? { weights: r.weights } : {}),
    ...(r.majority ? { majority: r.majority as Value } : {}),
    validFrom: r.validFrom,
    validTo: r.validTo,
    candidatesHash: r.candidatesHash,
  };
}

/** A conflict row's reviewer decision, as reconcile takes it (for a row whose decisionValue is set). */
export function rowToDecision(r: typeof conflicts.$inferSelect): Decision {
  return {
    factKey: r.factKey,
    value: r.decisionValue as Value,
    note: r.decisionNote ?? '',
    by: r.decidedBy ?? '',
    at: r.decidedAt ? isoTimestamp(r.decidedAt) : '',
    candidatesHash: r.decisionCandidatesHash ?? '',
  };
}

/** The distinct sources among a fact's candidates, sorted. */
export function sourcesOf(f: Pick<Fact, 'candidates'>): string[] {
  return [...new Set(f.candidates.map((c) => c.provenance.sourceId))].sort();
}
