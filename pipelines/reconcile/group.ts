/**
 * Grouping claims into facts, and finding which facts a less-qualified price
 * could mean. Everything goes through Maps; the only pairwise scan is among
 * the facts of one model, attribute, unit and tier.
 */
import type { Claim } from '../../schema/observation.js';
import { factQualifiers, factQualifiersOf, qualifiersKey, type Qualifiers } from '../../schema/qualifiers.js';
import { canonicalValue } from './equivalence.js';
import type { FactId } from './types.js';

export function factKey(f: { modelId: string; attribute: string; qualifiers: Qualifiers }): string {
  return `${f.modelId}|${f.attribute}|${qualifiersKey(f.qualifiers)}`;
}

export interface Group {
  key: string;
  id: FactId;
  claims: Claim[];
}

export { factQualifiers };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A total order on claims that does not depend on input order (cheap fields first, full content last). */
export function compareClaims(x: Claim, y: Claim): number {
  const a = x.provenance;
  const b = y.provenance;
  return (
    cmp(a.sourceId, b.sourceId) ||
    cmp(a.via ?? '', b.via ?? '') ||
    cmp(a.url, b.url) ||
    cmp(a.locator, b.locator) ||
    cmp(a.fetchedAt, b.fetchedAt) ||
    cmp(canonicalValue(x.value), canonicalValue(y.value)) ||
    cmp(a.excerpt, b.excerpt) ||
    cmp(JSON.stringify(a.statedAsOf ?? null), JSON.stringify(b.statedAsOf ?? null)) ||
    cmp(a.extractorVersion, b.extractorVersion) ||
    cmp(a.pageHash, b.pageHash) ||
    cmp(JSON.stringify(x.value), JSON.stringify(y.value))
  );
}

export function sortClaims(claims: readonly Claim[]): Claim[] {
  return claims.length < 2 ? [...claims] : [...claims].sort(compareClaims);
}

export function groupClaims(claims: readonly Claim[]): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const claim of claims) {
    // as factKey, with the fact's qualifiers and their key worked out once per distinct set (shared by its groups)
    const fq = factQualifiersOf(claim.qualifiers);
    const qualifiers = fq.qualifiers;
    const key = `${claim.modelId}|${claim.attribute}|${fq.key}`;
    const g = groups.get(key);
    if (g) g.claims.push(claim);
    else {
      groups.set(key, {
        key,
        id: { modelId: claim.modelId, attribute: claim.attribute, qualifiers },
        claims: [claim],
      });
    }
  }
  return groups;
}

/**
 * Qualifiers a claim may leave out and still mean a qualified fact: a
 * per-image price with no size may be any size's price. Unit and tier never
 * refine (no tier means the standard tier, not "any tier").
 */
const REFINING = ['route', 'direction', 'modality', 'quality', 'size'] as const;

/** Whether `b` states everything `a` states, and more. */
function refines(b: Qualifiers, a: Qualifiers): boolean {
  let more = false;
  for (const d of REFINING) {
    if (a[d] === undefined) {
      if (b[d] !== undefined) more = true;
    } else if (a[d] !== b[d]) return false;
  }
  return more;
}

/**
 * For each fact key whose qualifiers are a strict subset of other facts'
 * (same model, attribute, unit and tier), the most qualified of those facts:
 * the keys it could mean. Facts without a unit are never matched.
 */
export function lessQualifiedTargets(groups: Map<string, Group>): Map<string, string[]> {
  const siblings = new Map<string, Group[]>();
  for (const g of groups.values()) {
    const q = g.id.qualifiers;
    if (q.unit === undefined) continue;
    const k = `${g.id.modelId}|${g.id.attribute}|${q.unit}|${q.tier ?? ''}`;
    const list = siblings.get(k);
    if (list) list.push(g);
    else siblings.set(k, [g]);
  }
  const out = new Map<string, string[]>();
  for (const list of siblings.values()) {
    if (list.length < 2) continue;
    const refinedBy = list.map((a) => list.filter((b) => b !== a && refines(b.id.qualifiers, a.id.qualifiers)));
    const maximal = new Set(list.filter((_, i) => refinedBy[i]?.length === 0));
    list.forEach((a, i) => {
      const targets = (refinedBy[i] ?? []).filter((b) => maximal.has(b)).map((b) => b.key);
      if (targets.length > 0) out.set(a.key, targets.sort());
    });
  }
  return out;
}
