/**
 * Lookup by any name, against what the database knows: the ids with facts or
 * resolved raw names, the raw names the sources used, the alias table. The
 * matching itself is pure (normalize/name-match.ts); this module only reads.
 */
import { and, isNotNull, isNull } from 'drizzle-orm';
import { facts, modelNames } from '../../schema/tables.js';
import { withStoredAliases } from '../normalize/identity.js';
import { matchModelName, type NameMatch } from '../normalize/name-match.js';
import type { Db } from '../store/db.js';
import { idsByRawName } from '../store/model-names.js';
import { storedAliases } from '../store/queries.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Every model id the database knows: any fact version, or a raw name resolved in the latest run of a source. */
export async function knownModelIds(db: Db | Tx): Promise<Set<string>> {
  const fromFacts = await db.selectDistinct({ modelId: facts.modelId }).from(facts);
  const fromNames = await db
    .selectDistinct({ modelId: modelNames.modelId })
    .from(modelNames)
    .where(and(isNotNull(modelNames.modelId), isNull(modelNames.untilRunId)));
  return new Set([...fromFacts, ...fromNames].map((r) => r.modelId!));
}

/** Resolves a name a user typed to the known model id, or says which ids it could be / is near. */
export async function resolveModelName(db: Db | Tx, name: string): Promise<NameMatch> {
  const [ids, raw, stored] = await Promise.all([knownModelIds(db), idsByRawName(db, name), storedAliases(db)]);
  const lower = name.trim().toLowerCase();
  return matchModelName(name, { ids, byRawName: (l) => (l === lower ? raw : []) }, withStoredAliases(stored));
}
