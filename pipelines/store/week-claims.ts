/** What reconciling a week reads: every claim valid that week (with each page's newest stated freshness) and the reviewer decisions. */
import { and, desc, isNotNull, lte, notInArray, eq } from 'drizzle-orm';
import { attributeBehaviour } from '../../schema/attribute-behaviour.js';
import { canonicalValue } from '../../schema/keys.js';
import type { Claim } from '../../schema/observation.js';
import { claims, conflicts, fetches, runs } from '../../schema/tables.js';
import type { DateValue } from '../../schema/values.js';
import type { Tx } from './db.js';
import { rowToClaim, rowToDecision } from './rows.js';
import { validAt } from './versions.js';

/**
 * Every claim valid in `week` that reconcile weighs. `fresh` holds claims
 * already in memory for some sources (just written): only the others are read back.
 */
export async function loadWeekClaims(tx: Tx, week: string, fresh: ReadonlyMap<string, readonly Claim[]> = new Map()): Promise<Claim[]> {
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
    .select()
    .from(claims)
    .where(and(validAt(claims, week), freshIds.length ? notInArray(claims.sourceId, freshIds) : undefined));
  return (
    [...stored.map(rowToClaim), ...[...fresh.values()].flat()]
      // a page's own freshness date is provenance (it feeds statedAsOf), not a fact about the model
      .filter((c) => !attributeBehaviour(c.attribute).provenanceOnly)
      .map((c) => {
        const s = stated.get(c.provenance.url);
        const own = c.provenance.statedAsOf;
        // copied only where the date differs: a week's claims are not all held twice
        if (!s || (own && canonicalValue(own) === canonicalValue(s))) return c;
        return { ...c, provenance: { ...c.provenance, statedAsOf: s } };
      })
  );
}

/** The reviewer decisions on record. */
export async function loadDecisions(tx: Tx) {
  const rows = await tx.select().from(conflicts).where(isNotNull(conflicts.decisionValue));
  return rows.map(rowToDecision);
}
