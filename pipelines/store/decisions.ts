/**
 * The reviewer decision log (database only): append-only rows, the latest
 * per conflict in force. Reading what is in force turns the rows into what
 * the pure reconcile engine takes: value decisions and rejected claims.
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Decision, Rejection } from '../reconcile/index.js';
import { decisions, type RejectedClaim, type SeenCandidate } from '../../schema/tables.js';
import type { Value } from '../../schema/values.js';
import type { Db, Tx } from './db.js';
import { isoTimestamp } from './rows.js';

type Reader = Db | Tx;

export const DECISION_ACTIONS = ['accept', 'override', 'reject', 'equivalent', 'defer'] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];
/** Actions that set the fact's value. */
export const VALUE_ACTIONS: readonly DecisionAction[] = ['accept', 'override', 'equivalent'];

export interface LoggedDecision {
  id: number;
  conflictId: number;
  factKey: string;
  action: DecisionAction;
  value: Value | null;
  sourceId: string | null;
  via: string | null;
  note: string;
  by: string;
  at: string;
  week: string;
  candidatesHash: string;
  candidates: SeenCandidate[];
  rejected: RejectedClaim[];
  /** The id of the decision this one superseded on the same conflict, if any. */
  supersedes: number | null;
}

export type NewDecision = Omit<LoggedDecision, 'id' | 'supersedes'>;

function toLogged(r: typeof decisions.$inferSelect, supersedes: number | null): LoggedDecision {
  return {
    id: r.id,
    conflictId: r.conflictId,
    factKey: r.factKey,
    action: r.action as DecisionAction,
    value: (r.value as Value | null) ?? null,
    sourceId: r.sourceId,
    via: r.via,
    note: r.note,
    by: r.decidedBy,
    at: isoTimestamp(r.decidedAt),
    week: r.week,
    candidatesHash: r.candidatesHash,
    candidates: r.candidates,
    rejected: r.rejected,
    supersedes,
  };
}

export async function appendDecision(tx: Tx, d: NewDecision): Promise<LoggedDecision> {
  const [row] = await tx
    .insert(decisions)
    .values({
      conflictId: d.conflictId,
      factKey: d.factKey,
      action: d.action,
      value: d.value,
      sourceId: d.sourceId,
      via: d.via,
      note: d.note,
      decidedBy: d.by,
      decidedAt: d.at,
      week: d.week,
      candidatesHash: d.candidatesHash,
      candidates: d.candidates,
      rejected: d.rejected,
    })
    .returning();
  const previous = await tx
    .select({ id: decisions.id })
    .from(decisions)
    .where(sql`${decisions.conflictId} = ${d.conflictId} and ${decisions.id} < ${row!.id}`)
    .orderBy(desc(decisions.id))
    .limit(1);
  return toLogged(row!, previous[0]?.id ?? null);
}

/** The latest decision on a conflict, if any. */
export async function latestDecision(db: Reader, conflictId: number): Promise<LoggedDecision | undefined> {
  const [row] = await db.select().from(decisions).where(eq(decisions.conflictId, conflictId)).orderBy(desc(decisions.id)).limit(1);
  return row ? toLogged(row, null) : undefined;
}

/** Every decision in the order taken (optionally of one conflict), each naming the one it superseded. */
export async function decisionLog(db: Reader, filter: { conflictId?: number } = {}): Promise<LoggedDecision[]> {
  const rows = await db
    .select()
    .from(decisions)
    .where(filter.conflictId === undefined ? undefined : eq(decisions.conflictId, filter.conflictId))
    .orderBy(asc(decisions.id));
  const last = new Map<number, number>();
  return rows.map((r) => {
    const logged = toLogged(r, last.get(r.conflictId) ?? null);
    last.set(r.conflictId, r.id);
    return logged;
  });
}

/** What the reconcile engine takes from the log: the latest decision per conflict, as a value decision and/or rejected claims. */
export async function decisionsInForce(db: Reader): Promise<{ decisions: Decision[]; rejections: Rejection[] }> {
  const rows = await db
    .selectDistinctOn([decisions.conflictId])
    .from(decisions)
    .orderBy(decisions.conflictId, desc(decisions.id));
  const out: { decisions: Decision[]; rejections: Rejection[] } = { decisions: [], rejections: [] };
  for (const r of rows) {
    const d = toLogged(r, null);
    if (VALUE_ACTIONS.includes(d.action) && d.value) {
      out.decisions.push({ factKey: d.factKey, value: d.value, note: d.note, by: d.by, at: d.at, candidatesHash: d.candidatesHash });
    }
    for (const x of d.rejected) out.rejections.push({ factKey: d.factKey, ...x, value: x.value as Value });
  }
  return out;
}
