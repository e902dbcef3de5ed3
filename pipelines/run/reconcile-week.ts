/**
 * Reconciling a week, as run/ strings it together inside the caller's
 * transaction: the store reads every claim valid that week and the reviewer
 * decisions, reconcile (pure) decides, publish writes the facts and conflicts.
 * Used by the refresh (through publish) and after a reviewer decision.
 */
import type { SourceModule } from '../../extractors/contract.js';
import type { Claim } from '../../schema/observation.js';
import { referenceTime } from '../../schema/week.js';
import { writeWeekFacts } from '../publish/facts.js';
import type { WeekReconciler } from '../publish/publish.js';
import { appliedWeight, ballotsFromFacts, factKey, reconcile, recordedWeight, type ReconcileResult, type SourceInfo } from '../reconcile/index.js';
import { reliabilityEvidence } from '../store/reliability-evidence.js';
import type { Tx } from '../store/db.js';
import { publishedAfter } from '../store/published.js';
import { tracer } from '../store/trace.js';
import { loadDecisions, loadWeekClaims } from '../store/week-claims.js';
import { loadWeekReliability, writeWeekReliability, type LearnedWeight } from '../store/week-reliability.js';

/** Each source's authority, from the run's sources (not a global registry). */
export function sourceInfo(sources: readonly SourceModule[]): Record<string, SourceInfo> {
  return Object.fromEntries(sources.map((s) => [s.id, { authority: s.authority, ...(s.ownRoute ? { ownRoute: s.ownRoute } : {}) }]));
}

export async function reconcileWeek(
  tx: Tx,
  sources: readonly SourceModule[],
  week: string,
  runId: number,
  now: string,
  /** Claims already in memory for some sources (just written): only the others are read back. */
  fresh: ReadonlyMap<string, readonly Claim[]> = new Map(),
  /** The first later week whose facts are already published, if the caller knows it; else read here. */
  nextFactsWeek?: string | null,
  /** Only this model's facts of one attribute (after a reviewer decision); they depend on its claims alone. */
  scope?: { modelId: string; attribute: string },
) {
  const trace = tracer('reconcileWeek');
  const weekClaims = await loadWeekClaims(tx, week, fresh, scope);
  const { decisions, rejections } = await loadDecisions(tx);
  trace('load claims');
  // one model's slice is decided with the weights the week's full reconcile learned (stored), not re-learned from the slice
  const stored = scope ? await loadWeekReliability(tx, week) : undefined;
  // else source reliability is learned from every multi-source fact of the earlier stored weeks as well as this one
  const history = stored ? [] : ballotsFromFacts(await reliabilityEvidence(tx, { before: week }));
  trace(stored ? 'load stored weights' : 'load reliability evidence');
  const result = reconcile(weekClaims, {
    sources: sourceInfo(sources),
    decisions,
    rejections,
    now: referenceTime(week, now),
    history,
    ...(stored ? { weights: stored } : {}),
  });
  trace('reconcile');
  if (!scope) await writeWeekReliability(tx, week, runId, learnedWeights(result.reliability));
  const keys = result.facts.map(factKey);
  const next = nextFactsWeek !== undefined ? nextFactsWeek : (await publishedAfter(tx, week)).facts;
  // a slice learned on its own (no stored weights: a week reconciled before they were stored) records no weights
  const written = await writeWeekFacts(tx, week, runId, { facts: result.facts, keys, reopened: result.reopened }, next, scope, !scope || stored !== undefined);
  trace('write');
  return { counts: { claims: weekClaims.length, ...written }, reopened: result.reopened, facts: result.facts, weightsStored: !scope || stored !== undefined };
}

/** What a full reconcile learned, as week_reliability stores it: `applied` rounded as fact.weights records it, so the facts view reads back the fact's own figures. */
export function learnedWeights(learned: ReconcileResult['reliability']): LearnedWeight[] {
  return [
    ...learned.rows.map((r) => ({ ...r, kind: 'voter' as const, applied: recordedWeight(appliedWeight(r)) })),
    ...learned.listings.map((r) => ({ ...r, kind: 'listing' as const, applied: recordedWeight(appliedWeight(r)) })),
  ];
}

/** The reconciler a refresh hands publish: this run's sources, the run's start as "now". */
export function weekReconciler(sources: readonly SourceModule[], startedAt: string): WeekReconciler {
  return async (tx, week, runId, fresh, nextFactsWeek) => {
    const r = await reconcileWeek(tx, sources, week, runId, startedAt, fresh, nextFactsWeek);
    return { counts: r.counts, reopened: r.reopened };
  };
}
