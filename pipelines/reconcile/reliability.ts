/** How often each source agrees with what reconciliation chose, per attribute. */
import type { Fact } from '../../schema/fact.js';
import { sameMeaning } from './equivalence.js';

export interface SourceReliability {
  sourceId: string;
  attribute: Fact['attribute'];
  /** Candidates from this source in facts that have a chosen value. */
  claims: number;
  /** Of those, how many mean the chosen value (or a less precise form of it). */
  agreed: number;
  /** agreed / claims. */
  share: number;
}

export function sourceReliability(facts: readonly Fact[]): SourceReliability[] {
  const rows = new Map<string, SourceReliability>();
  for (const f of facts) {
    if (!f.chosen) continue;
    for (const c of f.candidates) {
      const key = `${c.provenance.sourceId}\u0000${f.attribute}`;
      const row = rows.get(key) ?? { sourceId: c.provenance.sourceId, attribute: f.attribute, claims: 0, agreed: 0, share: 0 };
      row.claims += 1;
      if (sameMeaning(c.value, f.chosen, f.attribute)) row.agreed += 1;
      rows.set(key, row);
    }
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, r]) => ({ ...r, share: r.agreed / r.claims }));
}
