/**
 * A reviewer's decision on a conflict: recorded, then the week re-reconciled
 * in the same transaction (run/ work: it strings the store, reconcile and
 * publish together).
 */
import { and, eq } from 'drizzle-orm';
import { SOURCES } from '../../extractors/registry.js';
import { VALUE_KINDS, type Attribute } from '../../schema/attributes.js';
import { parseOrThrow } from '../../schema/errors.js';
import type { FactStatus } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { conflicts, facts } from '../../schema/tables.js';
import { Value } from '../../schema/values.js';
import { factKey } from '../reconcile/index.js';
import { findConflict, latestPublishedWeek, latestRunOfWeek, NothingPublishedError, ReviewInputError } from '../report/conflicts.js';
import type { Database } from '../store/db.js';
import { isoTimestamp } from '../store/rows.js';
import { validAt } from '../store/versions.js';
import { reconcileWeek } from './reconcile-week.js';

export interface DecisionInput {
  conflictId: number;
  value: Value;
  note: string;
  by: string;
  /** ISO timestamp of the decision; default now. */
  at?: string;
}

export interface DecisionResult {
  conflictId: number;
  factKey: string;
  modelId: string;
  attribute: Attribute;
  qualifiers: Qualifiers;
  week: string;
  value: Value;
  note: string;
  by: string;
  at: string;
  candidatesHash: string;
  /** The fact in `week` after re-reconciling with the decision. */
  fact: { status: FactStatus; chosen: Value | null; rule: string } | null;
}

/**
 * Records a reviewer's decision on a conflict, tied to the candidates the
 * reviewer saw (the fact's candidatesHash in the latest published week), and
 * re-reconciles that week in the same transaction so the fact reads
 * "reviewed" at once. Holds the refresh lock so no run publishes meanwhile.
 */
export async function recordDecision(database: Database, input: DecisionInput): Promise<DecisionResult> {
  const note = input.note.trim();
  if (!note) throw new ReviewInputError('--note is empty: say why this value is right');
  const by = input.by.trim();
  if (!by) throw new ReviewInputError('who decides is unknown: pass --by or set MODELFACTS_REVIEWER');
  const at = input.at ?? new Date().toISOString();
  const release = await database.lock();
  try {
    return await database.db.transaction(async (tx) => {
      const conflict = await findConflict(tx, input.conflictId);
      const attribute = conflict.attribute as Attribute;
      const value = parseOrThrow(Value, input.value, `${attribute} value`);
      if (!VALUE_KINDS[attribute].includes(value.kind)) {
        throw new ReviewInputError(`a ${attribute} value cannot be a ${value.kind} value (expected ${VALUE_KINDS[attribute].join(' or ')})`);
      }
      const week = await latestPublishedWeek(tx);
      const run = week ? await latestRunOfWeek(tx, week) : undefined;
      if (!week || !run) throw new NothingPublishedError();
      const [factRow] = await tx
        .select()
        .from(facts)
        .where(and(validAt(facts, week), eq(facts.factKey, conflict.factKey)));
      if (!factRow) {
        throw new ReviewInputError(
          `conflict ${conflict.id} (${conflict.factKey}) has no fact in the latest published week ${week}: no source states it any more, so there is nothing to decide`,
        );
      }
      await tx
        .update(conflicts)
        .set({
          state: 'resolved',
          reason: null,
          decisionValue: value,
          decisionNote: note,
          decidedBy: by,
          decidedAt: at,
          decisionCandidatesHash: factRow.candidatesHash,
        })
        .where(eq(conflicts.id, conflict.id));
      // the week's run time as "now", so staleness flags stay what the run saw
      const rec = await reconcileWeek(tx, SOURCES, week, run.id, isoTimestamp(run.startedAt));
      const fact = rec.facts.find((f) => factKey(f) === conflict.factKey);
      return {
        conflictId: conflict.id,
        factKey: conflict.factKey,
        modelId: conflict.modelId,
        attribute,
        qualifiers: factRow.qualifiers as Qualifiers,
        week,
        value,
        note,
        by,
        at,
        candidatesHash: factRow.candidatesHash,
        fact: fact ? { status: fact.status, chosen: fact.chosen ?? null, rule: fact.rule } : null,
      };
    });
  } finally {
    await release();
  }
}
