/** Shared helpers for the llmreference.com extractor tests: fixture pages, page edits, and observation lookups. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { multiply } from '../../schema/decimal.js';
import type { Observation } from '../../schema/observation.js';
import { qualifiersKey } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';

export type Q = Observation['qualifiers'];

export const VERCEL = 'Vercel AI Gateway';

export const usd = (v: string) => ({ kind: 'money', usd: v });

/** A bundled replay week's llmreference.com page, by its path under the site. */
export function fixture(week: string, path: string): string {
  return readFileSync(new URL(`../../fixtures/replay/${week}/pages/llmreference.com/${path}`, import.meta.url), 'utf8');
}

/** Every dollar amount on the page times three. */
export function triplePrices(html: string): string {
  return html.replace(/\$(\d[\d,]*(?:\.\d+)?)/g, (_, n: string) => `$${multiply(n.replace(/,/g, ''), 3)}`);
}

/** Every YYYY-MM-DD date on the page moved by `days`. */
export function shiftDates(html: string, days: number): string {
  return html.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (_, y: string, m: string, d: string) =>
    new Date(Date.UTC(+y, +m - 1, +d + days)).toISOString().slice(0, 10),
  );
}

/** The value stated for an attribute and qualifier set; stating it twice fails the test. */
export function valueOf(observations: Observation[], attribute: string, qualifiers: Q = {}): Value | undefined {
  const key = qualifiersKey(qualifiers);
  const hits = observations.filter((o) => o.attribute === attribute && qualifiersKey(o.qualifiers) === key);
  expect(hits.length, `${attribute} ${key} stated once`).toBeLessThanOrEqual(1);
  return hits[0]?.value;
}
