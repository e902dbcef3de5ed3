/** `--model` takes any name a user knows; an unknown one is a usage error with the nearest known ids. */
import type { Db } from '../pipelines/store/db.js';
import { resolveModelName } from '../pipelines/report/model-lookup.js';
import { UsageError } from './errors.js';

export async function modelFromOption(db: Db, name: string | undefined, option = '--model'): Promise<string | undefined> {
  if (name === undefined) return undefined;
  const m = await resolveModelName(db, name);
  if ('modelId' in m) return m.modelId;
  if ('ambiguous' in m) {
    throw new UsageError(`${option} ${JSON.stringify(name)} names more than one model: ${m.ambiguous.join(', ')} (give one of these ids)`);
  }
  const hint = m.suggestions.length > 0 ? `; did you mean ${m.suggestions.join(', ')}?` : ' (see `modelfacts models --search`)';
  throw new UsageError(`unknown model ${JSON.stringify(name)} for ${option}${hint}`);
}
