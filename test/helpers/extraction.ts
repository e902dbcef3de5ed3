/** Shared helpers for extractor tests: a page from a bundled replay week, and views of an extraction. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Extraction, Page } from '../../extractors/contract.js';
import type { Observation } from '../../schema/observation.js';
import { qualifiersKey } from '../../schema/qualifiers.js';

/** The page a bundled replay week holds for a URL, as an extractor receives it. */
export function replayPage(week: string, url: string, fetchedAt = '2026-04-20T06:00:00.000Z'): Page {
  const dir = join('fixtures/replay', week);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    entries: { url: string; body: string; headers: Record<string, string> }[];
  };
  const entry = manifest.entries.find((e) => e.url === url);
  if (!entry) throw new Error(`${url} is not in ${week}'s manifest`);
  return { url, body: readFileSync(join(dir, entry.body), 'utf8'), contentType: entry.headers['content-type']!, fetchedAt };
}

/** Every price observation by its qualifiers key; a key stated twice fails the test. */
export function prices(x: Extraction): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of x.observations.filter((o) => o.attribute === 'price')) {
    const key = qualifiersKey(o.qualifiers);
    expect(out[key], `duplicate price for ${key}`).toBeUndefined();
    if (o.value.kind !== 'money') throw new Error(`price ${key} is not money`);
    out[key] = o.value.usd;
  }
  return out;
}

/** The one observation of an attribute; none or several fails the test. */
export function only(x: Extraction, attribute: Observation['attribute'] | string): Observation {
  const found = x.observations.filter((o) => o.attribute === attribute);
  expect(found, `exactly one ${attribute}`).toHaveLength(1);
  return found[0]!;
}
