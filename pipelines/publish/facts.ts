/** Publish step: a week's reconciled facts as versions, and their conflicts (reviewer decisions kept, reopened ones marked). */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { REVIEW_STATUSES, type Fact } from '../../schema/fact.js';
import { qualifiersKey } from '../../schema/qualifiers.js';
import { conflicts, facts } from '../../schema/tables.js';
import type { Tx } from '../store/db.js';
import { factContentHash, factOutcome, factToRow } from '../store/rows.js';
import { factOutcomeIds } from '../store/fact-outcomes.js';
import { tracer } from '../store/trace.js';
import { claimVersionOf, provenanceIds, provenanceKey, ruleHeadIds, splitRule } from '../store/claim-refs.js';
import { chunks, writeVersions } from '../store/versions.js';
import { qualifierSetIds, valueIds } from '../store/claim-parts.js';

export interface ReconciledWeek {
  facts: readonly Fact[];
  /** Each fact's key, in the facts' order (beside them, not copied into them: a spread copy of every fact got a hidden class of its own). */
  keys: readonly string[];
  reopened: readonly { factKey: string; reason: string }[];
}

export async function writeWeekFacts(
  tx: Tx,
  week: string,
  runId: number,
  result: ReconciledWeek,
  nextFactsWeek: string | null,
  /** Only one model's facts of one attribute were reconciled (after a reviewer decision): only their versions are written. */
  scope?: { modelId: string; attribute: string },
  /** The facts' weights are the week's stored ones (week_reliability): record which voters they are. */
  weightsStored = true,
) {
  const trace = tracer('writeWeekFacts');
  if (result.keys.length !== result.facts.length) throw new Error(`writeWeekFacts: ${result.facts.length} facts but ${result.keys.length} keys`);
  type FactRow = { contentHash: string; fact: Fact; key: string };
  const factRows = new Map<string, FactRow>();
  let needsReview = 0;
  result.facts.forEach((f, i) => {
    const key = result.keys[i]!;
    factRows.set(key, { contentHash: factContentHash(f), fact: f, key });
    if (f.status === 'needs-review') needsReview++;
  });
  const written = [...factRows.values()];
  trace('fact rows');
  const only = scope ? and(eq(facts.modelId, scope.modelId), eq(facts.attribute, scope.attribute)) : undefined;
  // candidates by reference: the claim version each came from and the page read it was seen on
  // (provenanceIds given each distinct page read once, in the order the candidates first name it)
  const reads = new Map<string, Fact['candidates'][number]['provenance']>();
  for (const f of result.facts) {
    for (const c of f.candidates) {
      const page = provenanceKey(c.provenance);
      if (!reads.has(page)) reads.set(page, c.provenance);
    }
  }
  const pageIds = await provenanceIds(tx, reads.values());
  reads.clear();
  const refsOf = ({ fact: f, key }: FactRow) => {
    const claimIds: number[] = [];
    const pages: number[] = [];
    let ownPages = true;
    for (const c of f.candidates) {
      const ref = claimVersionOf(c);
      if (ref === undefined) throw new Error(`fact ${key}: the candidate of ${c.provenance.sourceId} is no claim version read or written in this run`);
      const page = provenanceKey(c.provenance);
      if (ref.ownPage !== page) ownPages = false;
      claimIds.push(ref.id);
      pages.push(pageIds.get(page)!);
    }
    const parts = partsOf.get(f)!;
    return { claims: claimIds, pages: ownPages ? null : pages, outcomeId: parts.outcomeId, qualifiersId: parts.qualifiersId };
  };
  trace('candidate references');
  // outcomes, chosen values and qualifiers by reference (fact_outcomes, claim_values, qualifier_sets), looked up for the versions written only
  const partsOf = new Map<Fact, { outcomeId: number; qualifiersId: number }>();
  const fr = await writeVersions(
    tx,
    facts,
    only,
    week,
    factRows,
    (row) => factToRow(row.fact, runId, row.contentHash, refsOf(row)),
    nextFactsWeek,
    false,
    async (inserted) => {
      const chosenOf = await valueIds(tx, inserted.flatMap((x) => (x.fact.chosen ? [x.fact.chosen] : [])));
      const qualifiersOf = await qualifierSetIds(tx, inserted.map((x) => x.fact.qualifiers));
      const rules = inserted.map((x) => splitRule(x.fact.rule));
      const heads = await ruleHeadIds(tx, rules.map((r) => r.head));
      const outcomes = inserted.map(({ fact: f }, i) =>
        factOutcome(f, {
          ruleHead: heads.get(rules[i]!.head)!,
          ruleTail: rules[i]!.tail,
          chosenId: f.chosen ? chosenOf(f.chosen) : null,
          weightVoters: weightsStored && f.weights ? Object.keys(f.weights).sort() : null,
        }),
      );
      const outcomeIds = await factOutcomeIds(tx, outcomes);
      inserted.forEach(({ fact: f }, i) => partsOf.set(f, { outcomeId: outcomeIds[i]!, qualifiersId: qualifiersOf(f.qualifiers) }));
    },
    // in the key index's order (model, attribute; then qualifiers): a week's versions fill its pages in turn instead of splitting them
    (row) => {
      const q = partsOf.get(row.fact)!.qualifiersId;
      return `${row.fact.modelId}\u0000${row.fact.attribute}\u0000${String(q).padStart(10, '0')}`;
    },
  );
  trace('fact versions');

  // conflicts: one row per disputed fact key, keeping reviewer decisions
  const disputed = written.filter(({ fact }) => REVIEW_STATUSES.includes(fact.status));
  // one statement over four array parameters, in the facts' order (a multi-row INSERT built a parameter per field)
  for (const batch of chunks(disputed, 10_000)) {
    const column = (of: (r: FactRow) => string) => sql.param(batch.map(of));
    await tx.execute(sql`
      insert into ${conflicts} ("fact_key", "model_id", "attribute", "qualifiers_key", "opened_week", "state")
      select d.fact_key, d.model_id, d.attribute, d.qualifiers_key, ${week}::text, 'open'
      from unnest(${column((r) => r.key)}::text[], ${column((r) => r.fact.modelId)}::text[], ${column((r) => r.fact.attribute)}::text[],
        ${column((r) => qualifiersKey(r.fact.qualifiers))}::text[]) with ordinality as d(fact_key, model_id, attribute, qualifiers_key, ord)
      order by d.ord
      on conflict do nothing`);
  }
  // the latest week says whether a conflict still stands (an earlier week published late does not)
  if (nextFactsWeek === null) {
    // closed conflicts whose candidates split again re-open (a reviewed fact's turns back to resolved below)
    for (const batch of chunks(disputed.map((r) => r.key), 500)) {
      await tx
        .update(conflicts)
        .set({ state: 'reopened', reason: sql`'the candidates agreed from ' || ${conflicts.closedWeek} || ' and disagree again in ' || ${week}::text`, closedWeek: null })
        .where(and(eq(conflicts.state, 'closed'), inArray(conflicts.factKey, batch)));
    }
    // conflicts whose candidates came to agree (or one source is left) close, with the week: the few conflicts
    // not closed are read and matched here, instead of sending every settled key (most of a week's facts) to the database
    const notClosed = await tx
      .select({ factKey: conflicts.factKey })
      .from(conflicts)
      .where(and(ne(conflicts.state, 'closed'), ...(scope ? [eq(conflicts.modelId, scope.modelId), eq(conflicts.attribute, scope.attribute)] : [])));
    const settledKeys = new Set(written.filter(({ fact }) => !REVIEW_STATUSES.includes(fact.status)).map((r) => r.key));
    const settled = notClosed.map((c) => c.factKey).filter((k) => settledKeys.has(k));
    for (const batch of chunks(settled, 500)) {
      await tx
        .update(conflicts)
        .set({ state: 'closed', reason: null, closedWeek: week })
        .where(and(ne(conflicts.state, 'closed'), inArray(conflicts.factKey, batch)));
    }
  }
  // one statement per batch, each conflict with its own reason (fact keys are unique among the reopened)
  for (const batch of chunks(result.reopened, 500)) {
    const reasons = sql.join(
      batch.map((r) => sql`(${r.factKey}::text, ${r.reason}::text)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${conflicts} set "state" = 'reopened', "reason" = v.reason, "closed_week" = null from (values ${reasons}) as v(fact_key, reason) where ${conflicts}."fact_key" = v.fact_key`,
    );
  }
  // candidates back to the ones reviewed: the decision holds again
  const reviewedAgain = written.filter(({ fact }) => fact.status === 'reviewed').map((r) => r.key);
  for (const batch of chunks(reviewedAgain, 500)) {
    await tx
      .update(conflicts)
      .set({ state: 'resolved', reason: null })
      .where(and(eq(conflicts.state, 'reopened'), inArray(conflicts.factKey, batch)));
  }
  trace('conflicts');
  return { facts: factRows.size, factsChanged: fr.added + fr.closed, needsReview };
}
