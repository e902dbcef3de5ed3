/**
 * A real week made k times larger: every model of the three catalog copies
 * appears k times (copies renamed `<name>-x2`, `-x3` ...), with the same
 * prices and limits, so the pipeline meets k× the claims and facts it meets
 * in the real week. For the scaling curve of `npm run bench`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { realDataWeekEntries } from '../pipelines/fetch/real-data.js';

type Json = Record<string, unknown>;

const copies = <T>(k: number, f: (i: number) => T): T[] => Array.from({ length: k - 1 }, (_, i) => f(i + 2));

/** Model maps keyed by id, copied under suffixed keys; object values keep an id/name field in step. */
function multiplyMap(models: Json, k: number): Json {
  const out: Json = { ...models };
  for (const [id, m] of Object.entries(models)) {
    for (const [suffix, copy] of copies(k, (i) => [`-x${i}`, m] as const)) {
      const renamed = copy && typeof copy === 'object' ? { ...(copy as Json) } : copy;
      if (renamed && typeof renamed === 'object') {
        for (const f of ['id', 'name']) if (typeof (renamed as Json)[f] === 'string') (renamed as Json)[f] = `${(renamed as Json)[f]}${suffix}`;
      }
      out[`${id}${suffix}`] = renamed;
    }
  }
  return out;
}

export function writeSyntheticWeek(realWeek: string, k: number, dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const entry of realDataWeekEntries(realWeek)) {
    const name = entry.file.split('/').pop()!;
    const json = JSON.parse(readFileSync(entry.file, 'utf8')) as unknown;
    let out: unknown;
    if (name.startsWith('litellm')) {
      const { sample_spec, ...models } = json as Json;
      out = { sample_spec, ...multiplyMap(models, k) };
    } else if (name.startsWith('openrouter')) {
      const list = (Array.isArray(json) ? json : (json as { data: Json[] }).data) as Json[];
      out = list.flatMap((m) => [
        m,
        ...copies(k, (i) => ({ ...m, id: `${m.id}-x${i}`, canonical_slug: `${m.canonical_slug}-x${i}`, name: `${m.name} x${i}` })),
      ]);
    } else {
      const providers = json as Record<string, Json>;
      out = Object.fromEntries(
        Object.entries(providers).map(([p, prov]) => [p, { ...prov, models: multiplyMap((prov.models ?? {}) as Json, k) }]),
      );
    }
    writeFileSync(join(dir, name), JSON.stringify(out));
  }
  return dir;
}
