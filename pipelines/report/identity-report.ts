/**
 * Identity report (pure): given the raw model names a week's sources used and
 * a resolver, measures what issue 12 targets — canonical ids that differ only
 * in punctuation, case or token order ("twins"), the unmatched share per
 * source, and the multi-source merges (to sample and check by hand).
 */

export interface RawName {
  sourceId: string;
  name: string;
  creator?: string;
  host?: string;
}

export type Resolution = { modelId: string } | { unmatched: string; reason?: string };

export interface IdentityReport {
  perSource: { sourceId: string; names: number; unmatched: number; share: number }[];
  /** Groups of distinct canonical ids whose spellings differ only in punctuation, case or token order. */
  twins: string[][];
  /** Canonical ids named by at least two sources, with the raw names behind them per source. */
  merges: { modelId: string; names: Record<string, string[]> }[];
  unmatchedByReason: Record<string, number>;
}

/** Two keys that ignore punctuation and case: the letters and digits alone, and the tokens in any order. */
function twinKeys(modelId: string): [string, string] {
  const lower = modelId.toLowerCase();
  const bare = lower.replace(/[^a-z0-9/]/g, '');
  const slash = lower.indexOf('/');
  // words may move, numbers keep their order: `4-5-sonnet` = `sonnet-4-5`, but `preview-05-06` ≠ `preview-06-05`
  const tokens = lower.slice(slash + 1).split(/[^a-z0-9]+/).filter(Boolean);
  const words = tokens.filter((t) => !/^\d+$/.test(t)).sort();
  const numbers = tokens.filter((t) => /^\d+$/.test(t));
  return [bare, `${lower.slice(0, slash)}/${words.join(' ')}|${numbers.join(' ')}`];
}

/** Groups ids that share either twin key (union-find over the two keys). */
export function twinGroups(ids: Iterable<string>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p;
    parent.set(x, p);
    return p;
  };
  const byKey = new Map<string, string>();
  const all = [...new Set(ids)];
  for (const id of all) {
    for (const k of twinKeys(id)) {
      const other = byKey.get(k);
      if (other === undefined) byKey.set(k, id);
      else parent.set(find(id), find(other));
    }
  }
  const groups = new Map<string, string[]>();
  for (const id of all) {
    const root = find(id);
    groups.set(root, [...(groups.get(root) ?? []), id]);
  }
  return [...groups.values()].filter((g) => g.length > 1).map((g) => g.sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

export function identityReport(names: readonly RawName[], resolve: (n: RawName) => Resolution): IdentityReport {
  const perSource = new Map<string, { names: Set<string>; unmatched: Set<string> }>();
  const bySourceModel = new Map<string, Map<string, Set<string>>>();
  const unmatchedByReason: Record<string, number> = {};
  const cache = new Map<string, Resolution>();
  for (const n of names) {
    const key = `${n.creator ?? ''}\u0000${n.host ?? ''}\u0000${n.name}`;
    let r = cache.get(key);
    if (!r) cache.set(key, (r = resolve(n)));
    const s = perSource.get(n.sourceId) ?? { names: new Set(), unmatched: new Set() };
    perSource.set(n.sourceId, s);
    s.names.add(n.name);
    if ('unmatched' in r) {
      if (!s.unmatched.has(n.name)) unmatchedByReason[r.reason ?? 'unknown'] = (unmatchedByReason[r.reason ?? 'unknown'] ?? 0) + 1;
      s.unmatched.add(n.name);
      continue;
    }
    const m = bySourceModel.get(r.modelId) ?? new Map<string, Set<string>>();
    bySourceModel.set(r.modelId, m);
    m.set(n.sourceId, (m.get(n.sourceId) ?? new Set()).add(n.name));
  }
  const merges = [...bySourceModel]
    .filter(([, m]) => m.size > 1)
    .map(([modelId, m]) => ({ modelId, names: Object.fromEntries([...m].sort().map(([s, v]) => [s, [...v].sort()])) }))
    .sort((a, b) => a.modelId.localeCompare(b.modelId));
  return {
    perSource: [...perSource]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sourceId, s]) => ({ sourceId, names: s.names.size, unmatched: s.unmatched.size, share: s.unmatched.size / s.names.size })),
    twins: twinGroups(bySourceModel.keys()),
    merges,
    unmatchedByReason,
  };
}

/** A deterministic sample (seeded shuffle, mulberry32) so the listing in a review note can be re-printed. */
export function sample<T>(items: readonly T[], n: number, seed = 17): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
