/**
 * The facts learned reliability is estimated from (database reads only): every
 * stored version of a fact several sources spoke to (status other than
 * single-source), valid from a week before `before` (or up to `upTo`
 * included). The estimation itself is pure (reconcile/history.ts, truth.ts).
 */
import { and, lt, lte, ne } from 'drizzle-orm';
import type { StoredFact } from '../reconcile/index.js';
import type { Attribute } from '../../schema/attributes.js';
import type { Fact } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { facts } from '../../schema/tables.js';
import type { Db, Tx } from './db.js';

export async function reliabilityEvidence(db: Db | Tx, weeks: { before: string } | { upTo: string }): Promise<StoredFact[]> {
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
