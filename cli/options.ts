/** Option checks shared by the commands: source ids (model names: cli/model-lookup.ts). */
import type { SourceModule } from '../extractors/contract.js';
import { findSource, SOURCES } from '../extractors/registry.js';
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
