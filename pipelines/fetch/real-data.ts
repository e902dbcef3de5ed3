/**
 * Maps a folder of real catalog copies (`<real-data>/weeks/2026-W14`) to the
 * live URLs the files stand for, so they can be replayed through the same
 * extract path as a fetched page. IO at the edge: it only lists the folder.
 *
 * The folder is never copied into the repository; tests and benchmarks reach
 * it through MODELFACTS_REAL_DATA.
 */
import { Failure } from '../../schema/errors.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findSource } from '../../extractors/registry.js';

interface RealDataEntry {
  /** The live URL the file is a copy of. */
  url: string;
  /** Absolute path of the copy. */
  file: string;
  contentType: string;
}

/**
 * File name in a week folder → the source whose catalog it copies; the URL it
 * stands for is that source's declared page. The OpenRouter copy is the bare
 * `data` array of the live `{"data": [...]}` response; the extractor accepts
 * both shapes.
 */
const REAL_DATA_FILES: Readonly<Record<string, string>> = {
  'litellm.model_prices_and_context_window.json': 'litellm',
  'openrouter.api-v1-models.data.json': 'openrouter-api',
  'models-dev.api.json': 'models-dev',
};

/** The one catalog page a source declares. */
function catalogUrl(sourceId: string): string {
  const url = findSource(sourceId)?.pages?.[0];
  if (!url) throw new Error(`real-data: source ${sourceId} declares no catalog page`);
  return url;
}

export class RealDataError extends Failure {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RealDataError';
  }
}

/** The known catalog copies in one week folder, as (url, file, contentType), in a stable order. */
export function realDataWeekEntries(folder: string): RealDataEntry[] {
  const dir = resolve(folder);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new RealDataError(`real-data week folder ${dir} does not exist or is not a folder`);
  }
  const present = new Set(readdirSync(dir));
  const entries = Object.entries(REAL_DATA_FILES)
    .filter(([name]) => present.has(name))
    .map(([name, sourceId]) => ({ url: catalogUrl(sourceId), file: join(dir, name), contentType: 'application/json' }));
  if (entries.length === 0) {
    throw new RealDataError(
      `real-data week folder ${dir} holds none of the known catalog copies (${Object.keys(REAL_DATA_FILES).join(', ')})`,
    );
  }
  return entries;
}

/** Week folders (`2026-W14` ...) under `<real-data>/weeks`, sorted. */
export function realDataWeeks(root: string): string[] {
  const weeks = join(resolve(root), 'weeks');
  if (!existsSync(weeks)) throw new RealDataError(`${weeks} does not exist: is ${root} the real-data folder?`);
  return readdirSync(weeks)
    .filter((w) => /^\d{4}-W\d{2}$/.test(w))
    .sort()
    .map((w) => join(weeks, w));
}
