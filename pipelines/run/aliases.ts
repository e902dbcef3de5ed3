/** The alias table a run normalizes with: the built-in seed aliases overlaid with those stored in the database. */
import { createHash } from 'node:crypto';
import { withStoredAliases } from '../normalize/identity.js';
import type { Db } from '../store/db.js';
import { storedAliases } from '../store/queries.js';

export async function loadAliases(db: Db): Promise<Map<string, string>> {
  return withStoredAliases(await storedAliases(db));
}

/**
 * The alias table and its fingerprint: a reviewer's decision changes the
 * fingerprint, so the next refresh re-extracts sources whose pages did not change.
 */
export async function loadAliasTable(db: Db): Promise<{ map: Map<string, string>; fingerprint: string }> {
  const map = await loadAliases(db);
  const hash = createHash('sha256');
  for (const [k, v] of [...map].sort(([a], [b]) => a.localeCompare(b))) hash.update(`${k}\u0000${v}\u0001`);
  return { map, fingerprint: hash.digest('hex').slice(0, 16) };
}
