/** The alias table a run normalizes with: the built-in seed aliases overlaid with those stored in the database. */
import { DEFAULT_ALIAS_MAP } from '../normalize/identity.js';
import type { Db } from '../store/db.js';
import { storedAliases } from '../store/queries.js';

export async function loadAliases(db: Db): Promise<Map<string, string>> {
  const map = new Map<string, string>(DEFAULT_ALIAS_MAP);
  for (const [alias, modelId] of await storedAliases(db)) map.set(alias, modelId);
  return map;
}
