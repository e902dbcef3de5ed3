/**
 * Recording a reviewer decision (IO orchestration): append it to the log,
 * keep the conflict row's summary of the decision in force, and re-reconcile
 * the fact's model and attribute in the latest published week, in one
 * transaction under the refresh lock, so the fact reads `reviewed` at once.
 */
import { and, eq } from 'drizzle-orm';
import type { Attribute } from '../../schema/attributes.js';
import { VALUE_KINDS } from '../../schema/attributes.js';
import { parseOrThrow } from '../../schema/errors.js';
import type { Candidate, FactStatus } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { conflicts, facts, type RejectedClaim } from '../../schema/tables.js';
import { Value } from '../../schema/values.js';
import { SOURCES } from '../../extractors/registry.js';
import { canonicalValue } from '../../schema/keys.js';
import { factKey } from '../reconcile/index.js';
import { findConflict, latestPublishedWeek, latestRunOfWeek, NothingPublishedError, ReviewInputError } from '../report/conflicts.js';
import type { Database } from '../store/db.js';
import { appendDecision, latestDecision, VALUE_ACTIONS, type DecisionAction, type LoggedDecision } from '../store/decisions.js';
import { isoTimestamp } from '../store/rows.js';
import { validAt } from '../store/versions.js';
import { reconcileWeek } from './reconcile-week.js';

export interface DecisionInput {
  conflictId: number;
  action: DecisionAction;
  /** accept: a candidate's value; override: any value of the attribute; equivalent: optional (default: the chosen value). */
  value?: Value;
  /** reject: the source whose claim is wrong here, and its listing (`via`) when the source has several. */
  sourceId?: string;
  via?: string | null;
  note: string;
  by: string;
  /** ISO timestamp of the decision; default now. */
  at?: string;
  /** The candidatesHash the reviewer saw (the review app sends it): refused when the candidates changed since. */
  seen?: string;
}

/** The candidates changed between showing a conflict and deciding it: show it again, don't retry blindly. */
export class StaleReviewError extends ReviewInputError {
  constructor(conflictId: number) {
    super(`conflict ${conflictId} changed since it was shown (a refresh published new candidates): look at it again`);
    this.name = 'StaleReviewError';
  }
}

export interface DecisionResult extends LoggedDecision {
  modelId: string;
  attribute: Attribute;
  qualifiers: Qualifiers;
  /** The fact in `week` after re-reconciling with the decision. */
  fact: { status: FactStatus; chosen: Value | null; rule: string } | null;
}

/** Actions whose note may not be empty: the log must say why a value or a source is wrong. */
const NOTE_REQUIRED: readonly DecisionAction[] = ['override', 'reject'];

function checkValue(attribute: Attribute, value: Value | undefined, action: DecisionAction): Value {
  if (!value) throw new ReviewInputError(`${action} needs a value`);
  const v = parseOrThrow(Value, value, `${attribute} value`);
  if (!VALUE_KINDS[attribute].includes(v.kind)) {
    throw new ReviewInputError(`a ${attribute} value cannot be a ${v.kind} value (expected ${VALUE_KINDS[attribute].join(' or ')})`);
  }
  return v;
}

/** The value a decision sets, and the rejected claims in force after it. */
function decide(
  input: DecisionInput,
  attribute: Attribute,
  candidates: readonly Candidate[],
  chosen: Value | null,
  previous: LoggedDecision | undefined,
  note: string,
  by: string,
  at: string,
): { value: Value | null; rejected: RejectedClaim[]; sourceId: string | null; via: string | null } {
  // rejections accumulate over decisions on one conflict; a deferral sets everything aside
  const carried = input.action === 'defer' ? [] : (previous?.rejected ?? []);
  switch (input.action) {
    case 'accept': {
      const v = checkValue(attribute, input.value, 'accept');
      if (!candidates.some((c) => canonicalValue(c.value) === canonicalValue(v))) {
        throw new ReviewInputError(`accept: no candidate says ${JSON.stringify(v)}; use override for a value no source states`);
      }
      return { value: v, rejected: carried, sourceId: null, via: null };
    }
    case 'override':
      return { value: checkValue(attribute, input.value, 'override'), rejected: carried, sourceId: null, via: null };
    case 'equivalent': {
      const v = input.value ? checkValue(attribute, input.value, 'equivalent') : (chosen ?? candidates[0]?.value);
      if (!v) throw new ReviewInputError('equivalent: the fact has no candidate value');
      return { value: v, rejected: carried, sourceId: null, via: null };
    }
    case 'reject': {
      const sourceId = input.sourceId?.trim();
      if (!sourceId) throw new ReviewInputError('reject needs the source whose claim is wrong (--reject-source SOURCE)');
      const via = input.via?.trim() || null;
      const theirs = candidates.filter((c) => c.provenance.sourceId === sourceId && (via === null || c.provenance.via === via));
      if (theirs.length === 0) {
        const known = [...new Set(candidates.map((c) => (c.provenance.via ? `${c.provenance.sourceId}:${c.provenance.via}` : c.provenance.sourceId)))];
        throw new ReviewInputError(`reject: ${sourceId}${via ? `:${via}` : ''} has no claim on this fact (candidates: ${known.join(', ')})`);
      }
      const vias = new Set(theirs.map((c) => c.provenance.via ?? null));
      if (vias.size > 1) {
        throw new ReviewInputError(`reject: ${sourceId} states this fact in several listings; name one as ${sourceId}:<via> (${[...vias].join(', ')})`);
      }
      const claim = theirs[0]!;
      const rejected: RejectedClaim = { sourceId, via: claim.provenance.via ?? null, value: claim.value, note, by, at };
      const others = carried.filter((r) => !(r.sourceId === rejected.sourceId && r.via === rejected.via));
      return { value: null, rejected: [...others, rejected], sourceId, via: rejected.via };
    }
    case 'defer':
      return { value: null, rejected: [], sourceId: null, via: null };
  }
}

export async function recordDecision(database: Database, input: DecisionInput): Promise<DecisionResult> {
  const note = input.note.trim();
  if (!note && NOTE_REQUIRED.includes(input.action)) throw new ReviewInputError('--note is empty: say why');
  const by = input.by.trim();
  if (!by) throw new ReviewInputError('who decides is unknown: pass --by or set MODELFACTS_REVIEWER');
  const at = input.at ?? new Date().toISOString();
  const release = await database.lock();
  try {
    return await database.db.transaction(async (tx) => {
      const conflict = await findConflict(tx, input.conflictId);
      const attribute = conflict.attribute as Attribute;
      const week = await latestPublishedWeek(tx);
      const run = week ? await latestRunOfWeek(tx, week) : undefined;
      if (!week || !run) throw new NothingPublishedError();
      const [factRow] = await tx
        .select()
        .from(facts)
        .where(and(validAt(facts, week), eq(facts.modelId, conflict.modelId), eq(facts.factKey, conflict.factKey)));
      if (!factRow) {
        throw new ReviewInputError(
          `conflict ${conflict.id} (${conflict.factKey}) has no fact in the latest published week ${week}: no source states it any more, so there is nothing to decide`,
        );
      }
      if (input.seen !== undefined && input.seen !== factRow.candidatesHash) throw new StaleReviewError(conflict.id);
      const candidates = factRow.candidates as Candidate[];
      const previous = await latestDecision(tx, conflict.id);
      const d = decide(input, attribute, candidates, (factRow.chosen as Value | null) ?? null, previous, note, by, at);
      const logged = await appendDecision(tx, {
        conflictId: conflict.id,
        factKey: conflict.factKey,
        action: input.action,
        value: d.value,
        sourceId: d.sourceId,
        via: d.via,
        note,
        by,
        at,
        week,
        candidatesHash: factRow.candidatesHash,
        candidates: candidates.map((c) => ({ sourceId: c.provenance.sourceId, via: c.provenance.via ?? null, value: c.value, url: c.provenance.url })),
        rejected: d.rejected,
      });
      const valueDecision = VALUE_ACTIONS.includes(input.action);
      // the row keeps a summary of the decision in force, for reports; the log is the record
      await tx
        .update(conflicts)
        .set({
          state: input.action === 'defer' ? 'deferred' : 'resolved',
          reason: null,
          decisionValue: valueDecision ? d.value : null,
          decisionNote: valueDecision ? note : null,
          decidedBy: valueDecision ? by : null,
          decidedAt: valueDecision ? at : null,
          decisionCandidatesHash: valueDecision ? factRow.candidatesHash : null,
        })
        .where(eq(conflicts.id, conflict.id));
      // the week's run time as "now", so staleness flags stay what the run saw
      const rec = await reconcileWeek(tx, SOURCES, week, run.id, isoTimestamp(run.startedAt), new Map(), undefined, {
        modelId: conflict.modelId,
        attribute,
      });
      const fact = rec.facts.find((f) => factKey(f) === conflict.factKey);
      // a rejection that leaves the rules undecided keeps the conflict open
      if (input.action === 'reject' && fact?.status !== 'reviewed') {
        await tx.update(conflicts).set({ state: 'open' }).where(eq(conflicts.id, conflict.id));
      }
      return {
        ...logged,
        supersedes: previous?.id ?? null,
        modelId: conflict.modelId,
        attribute,
        qualifiers: factRow.qualifiers as Qualifiers,
        fact: fact ? { status: fact.status, chosen: fact.chosen ?? null, rule: fact.rule } : null,
      };
    });
  } finally {
    await release();
  }
}
