/**
 * The `models` listing (pure): each known model with the raw names sources
 * use for it, its snapshots and variants, the routes it has facts on and the
 * sources that name it; filtered by a search text and a creator.
 */
import { creatorOf, snapshotOf, variantOf } from '../normalize/identity.js';

export interface ModelEntry {
  modelId: string;
  creator: string;
  aliases: string[];
  snapshotOf?: string;
  variantOf?: string;
  snapshots: string[];
  variants: string[];
  routes: string[];
  sources: string[];
}

export function modelListing(
  ids: Iterable<string>,
  names: readonly { sourceId: string; name: string; modelId: string | null }[],
  routes: ReadonlyMap<string, readonly string[]>,
  filter: { search?: string; creator?: string } = {},
): ModelEntry[] {
  const all = [...new Set(ids)].sort();
  const byModel = new Map<string, { aliases: Set<string>; sources: Set<string> }>();
  for (const n of names) {
    if (!n.modelId) continue;
    const e = byModel.get(n.modelId) ?? { aliases: new Set(), sources: new Set() };
    byModel.set(n.modelId, e);
    e.aliases.add(n.name);
    e.sources.add(n.sourceId);
  }
  const snapshots = new Map<string, string[]>();
  const variants = new Map<string, string[]>();
  for (const id of all) {
    const s = snapshotOf(id);
    if (s) snapshots.set(s, [...(snapshots.get(s) ?? []), id]);
    const v = variantOf(id);
    if (v) variants.set(v, [...(variants.get(v) ?? []), id]);
  }
  const creator = filter.creator ? (creatorOf(filter.creator) ?? filter.creator.trim().toLowerCase()) : undefined;
  const search = filter.search?.trim().toLowerCase();
  const out: ModelEntry[] = [];
  for (const id of all) {
    const own = id.slice(0, id.indexOf('/'));
    if (creator && own !== creator) continue;
    const e = byModel.get(id);
    const aliases = [...(e?.aliases ?? [])].sort();
    if (search && !id.includes(search) && !aliases.some((a) => a.toLowerCase().includes(search))) continue;
    const snap = snapshotOf(id);
    const variant = variantOf(id);
    out.push({
      modelId: id,
      creator: own,
      aliases,
      ...(snap ? { snapshotOf: snap } : {}),
      ...(variant ? { variantOf: variant } : {}),
      snapshots: snapshots.get(id) ?? [],
      variants: variants.get(id) ?? [],
      routes: [...(routes.get(id) ?? [])],
      sources: [...(e?.sources ?? [])].sort(),
    });
  }
  return out;
}
