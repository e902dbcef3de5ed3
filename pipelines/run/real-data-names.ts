/**
 * The raw model names a real-data week's catalogs use (IO at the edge: reads
 * the copies under MODELFACTS_REAL_DATA, runs the extractors), one entry per
 * distinct (source, name, creator, host) — the input of the identity report.
 */
import { readFileSync } from 'node:fs';
import { findSource } from '../../extractors/registry.js';
import { refOf } from '../normalize/normalize.js';
import { realDataWeekEntries } from '../fetch/real-data.js';
import type { RawName } from '../report/identity-report.js';

const CATALOGS = ['litellm', 'openrouter-api', 'models-dev'];

export function realDataNames(weekFolder: string): RawName[] {
  const out: RawName[] = [];
  for (const e of realDataWeekEntries(weekFolder)) {
    const source = CATALOGS.map((id) => findSource(id)).find((s) => s?.pages?.includes(e.url));
    if (!source) throw new Error(`real-data: no catalog source serves ${e.url}`);
    const extraction = source.extract({ url: e.url, body: readFileSync(e.file, 'utf8'), contentType: e.contentType, fetchedAt: '2026-01-01T00:00:00Z' });
    const seen = new Set<string>();
    for (const obs of extraction.observations) {
      const ref = refOf(obs);
      const key = `${ref.name}\u0000${ref.creator ?? ''}\u0000${ref.host ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ sourceId: source.id, ...ref });
    }
  }
  return out;
}
