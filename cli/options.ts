/** Option checks shared by the commands: source ids and canonical model ids. */
import type { SourceModule } from '../extractors/contract.js';
import { findSource, SOURCES } from '../extractors/registry.js';
import { ModelId } from '../schema/ids.js';
import { UsageError } from './errors.js';

/** The sources named by id (all of them when none are named); an unknown id is a usage error. */
export function selectSources(ids: string[] | undefined): SourceModule[] {
  if (!ids || ids.length === 0) return [...SOURCES];
  return ids.map((id) => {
    const s = findSource(id);
    if (!s) throw new UsageError(`unknown source ${JSON.stringify(id)} (known: ${SOURCES.map((x) => x.id).join(', ')})`);
    return s;
  });
}

/** A single --source <id>, checked against the known sources. */
export function sourceOption(id: string | undefined): string | undefined {
  if (id) selectSources([id]);
  return id;
}

/** A --model <id>, which must be a canonical model id; `problem` words the usage error. */
export function modelOption(
  id: string | undefined,
  problem: (id: string) => string = (x) => `--model must be a canonical id like openai/gpt-image-1-mini (got ${JSON.stringify(x)})`,
): string | undefined {
  if (id && !ModelId.safeParse(id).success) throw new UsageError(problem(id));
  return id;
}
