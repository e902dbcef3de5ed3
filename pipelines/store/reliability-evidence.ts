/**
 * The facts learned reliability is estimated from (database reads only): every
 * stored version of a fact several sources spoke to (status other than
 * single-source), valid from a week before `before` (or up to `upTo`
 * included). The estimation itself is pure (reconcile/history.ts, truth.ts).
 *
 * Read from fact_versions (with their outcomes and qualifiers) and the claim versions their candidates reference,
 * not through the `facts` view: the evidence needs each candidate's source,
 * value and flags only, not its page's provenance built as JSON.
 */
import { and, eq, lt, lte, ne, sql } from 'drizzle-orm';
import type { StoredCandidate, StoredFact } from '../reconcile/index.js';
import type { Attribute } from '../../schema/attributes.js';
import type { Fact } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import { claimValues, claimVersions, factOutcomes, factVersions, facts, qualifierSets } from '../../schema/tables.js';
import type { Db, Tx } from './db.js';
import { unpackCandidateRefs } from './candidate-refs.js';
import { chunks } from './versions.js';

type Weeks = { before: string } | { upTo: string };

export async function reliabilityEvidence(db: Db | Tx, weeks: Weeks): Promise<StoredFact[]> {
  const f = factVersions;
  const rows = await db
    .select({
      modelId: f.modelId,
      attribute: f.attribute,
      qualifiersKey: qualifierSets.key,
      qualifiers: qualifierSets.qualifiers,
      refs: f.candidateRefs,
      validFrom: f.validFrom,
    })
    .from(f)
    .innerJoin(qualifierSets, eq(qualifierSets.id, f.qualifiersId))
    .innerJoin(factOutcomes, eq(factOutcomes.id, f.outcomeId))
    .where(and(ne(factOutcomes.status, 'single-source'), 'before' in weeks ? lt(f.validFrom, weeks.before) : lte(f.validFrom, weeks.upTo)));
  const unpacked = rows.map((r) => unpackCandidateRefs(r.refs));
  // each referenced claim version once (an unchanged claim is a candidate of many fact versions)
  const ids = [...new Set(unpacked.flatMap((r) => r.claims))];
  const claims = new Map<number, { sourceId: string; value: Value }>();
  for (const batch of chunks(ids, 20_000)) {
    const found = await db
      .select({ id: claimVersions.id, sourceId: claimVersions.sourceId, value: claimValues.value })
      .from(claimVersions)
      .innerJoin(claimValues, eq(claimValues.id, claimVersions.valueId))
      .where(sql`${claimVersions.id} = any(${sql.param(batch)}::bigint[])`);
    for (const c of found) claims.set(c.id, { sourceId: c.sourceId, value: c.value as Value });
  }
  return rows.map((r, k) => ({
    factKey: `${r.modelId}|${r.attribute}|${r.qualifiersKey}`,
    modelId: r.modelId,
    attribute: r.attribute as Attribute,
    qualifiers: r.qualifiers as Qualifiers,
    candidates: unpacked[k]!.claims.map((id, i): StoredCandidate => {
      const c = claims.get(id);
      if (!c) throw new Error(`fact version of ${r.modelId} ${r.attribute} (${r.validFrom}) references claim version ${id}, which is not stored`);
      return { value: c.value, flags: unpacked[k]!.flags?.[i] ?? [], provenance: { sourceId: c.sourceId } };
    }),
    validFrom: r.validFrom,
  }));
}

/**
 * The same evidence read through the `facts` view (how it was read before):
 * kept for the benchmark that compares the two side by side, and for the
 * test that they agree.
 */
export async function reliabilityEvidenceFromView(db: Db | Tx, weeks: Weeks): Promise<StoredFact[]> {
  const rows = await db
    .select({
      factKey: facts.factKey,
      modelId: facts.modelId,
      attribute: facts.attribute,
      qualifiers: facts.qualifiers,
      candidates: facts.candidates,
      validFrom: facts.validFrom,
    })
    .from(facts)
    .where(and(ne(facts.status, 'single-source'), 'before' in weeks ? lt(facts.validFrom, weeks.before) : lte(facts.validFrom, weeks.upTo)));
  return rows.map((r) => ({
    factKey: r.factKey,
    modelId: r.modelId,
    attribute: r.attribute as Attribute,
    qualifiers: r.qualifiers as Qualifiers,
    candidates: r.candidates as Fact['candidates'],
    validFrom: r.validFrom,
  }));
}
