/** Shared helpers for extractor tests: a page from a bundled replay week, page edits, and views of an extraction. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { LayoutError, type Extraction, type Page } from '../../extractors/contract.js';
import { multiply } from '../../schema/decimal.js';
import type { Observation } from '../../schema/observation.js';
import { qualifiersKey } from '../../schema/qualifiers.js';

export interface ReplayEntry {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** The entries of a bundled replay week's manifest. */
export function replayEntries(week: string): ReplayEntry[] {
  return (JSON.parse(readFileSync(join('fixtures/replay', week, 'manifest.json'), 'utf8')) as { entries: ReplayEntry[] }).entries;
}

function replayEntry(week: string, url: string): ReplayEntry {
  const entry = replayEntries(week).find((e) => e.url === url);
  if (!entry) throw new Error(`${url} is not in ${week}'s manifest`);
  return entry;
}

/** The body the replay archive serves for a URL, as plain HTTP would receive it. */
export function replayBody(week: string, url: string): string {
  return readFileSync(join('fixtures/replay', week, replayEntry(week, url).body), 'utf8');
}

/** The page a bundled replay week holds for a URL, as an extractor receives it. */
export function replayPage(week: string, url: string, fetchedAt = '2026-04-20T06:00:00.000Z'): Page {
  const entry = replayEntry(week, url);
  return { url, body: replayBody(week, url), contentType: entry.headers['content-type']!, fetchedAt };
}

/** The page with every "$<amount>" multiplied by `factor`, exactly. */
export function scalePrices(html: string, factor: string | number): string {
  return html.replace(/\$(\d+(?:\.\d+)?)/g, (_, amount: string) => `$${multiply(amount, factor)}`);
}

/** The LayoutError an extraction throws; succeeding, or throwing anything else, fails the test. */
export function layoutError(run: () => unknown): LayoutError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LayoutError);
    return err as LayoutError;
  }
  throw new Error('expected a LayoutError, extraction succeeded');
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
