/** What reconciling a week reads: every claim valid that week (with each page's newest stated freshness) and the reviewer decisions. */
import { and, desc, isNotNull, lte, notInArray, eq } from 'drizzle-orm';
import { attributeBehaviour } from '../../schema/attribute-behaviour.js';
import { canonicalValue } from '../../schema/keys.js';
import type { Claim } from '../../schema/observation.js';
import { claims, fetches, runs } from '../../schema/tables.js';
import { decisionsInForce } from './decisions.js';
import type { DateValue } from '../../schema/values.js';
import type { Tx } from './db.js';
import { claimReadColumns, rowToClaim } from './rows.js';
import { claimVersionOf, provenanceKey, rememberClaimVersion } from './claim-refs.js';
import { validAt } from './versions.js';

/**
 * Every claim valid in `week` that reconcile weighs. `fresh` holds claims
 * already in memory for some sources (just written): only the others are read back.
 */
export async function loadWeekClaims(
  tx: Tx,
  week: string,
  fresh: ReadonlyMap<string, readonly Claim[]> = new Map(),
  /** Only one model's claims of one attribute: facts of a model and attribute are reconciled from those alone. */
  scope?: { modelId: string; attribute: string },
): Promise<Claim[]> {
  // the newest freshness date each page stated up to this week overrides the one stored with the claim
  const fetched = await tx
    .selectDistinctOn([fetches.url], { url: fetches.url, statedAsOf: fetches.statedAsOf })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(and(lte(runs.week, week), isNotNull(fetches.statedAsOf)))
    .orderBy(fetches.url, desc(fetches.id));
  const stated = new Map(fetched.map((f) => [f.url, f.statedAsOf as DateValue]));
  const freshIds = [...fresh.keys()];
  const stored = await tx
    .select({ id: claims.id, ...claimReadColumns(claims) })
    .from(claims)
    .where(
      and(
        validAt(claims, week),
        freshIds.length ? notInArray(claims.sourceId, freshIds) : undefined,
        scope ? and(eq(claims.modelId, scope.modelId), eq(claims.attribute, scope.attribute)) : undefined,
      ),
    );
  return (
    [
      ...stored.map((r) => {
        const c = rowToClaim(r);
        rememberClaimVersion(c, { id: r.id, ownPage: provenanceKey(c.provenance) });
        return c;
      }),
      ...[...fresh.values()].flat(),
    ]
      // a page's own freshness date is provenance (it feeds statedAsOf), not a fact about the model
      .filter((c) => !attributeBehaviour(c.attribute).provenanceOnly)
      .map((c) => {
        const s = stated.get(c.provenance.url);
        const own = c.provenance.statedAsOf;
        // copied only where the date differs: a week's claims are not all held twice
        if (!s || (own && canonicalValue(own) === canonicalValue(s))) return c;
        const copy = { ...c, provenance: { ...c.provenance, statedAsOf: s } };
        const ref = claimVersionOf(c);
        if (ref !== undefined) rememberClaimVersion(copy, ref);
        return copy;
      })
  );
}

/** The reviewer decisions in force (the latest per conflict in the log): value decisions and rejected claims. */
export const loadDecisions = (tx: Tx) => decisionsInForce(tx);
