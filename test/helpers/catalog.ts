/** Shared helpers for the JSON catalog extractor tests (litellm, models.dev, OpenRouter). */
import { readFileSync } from 'node:fs';
import type { Page } from '../../extractors/contract.js';
import type { Observation } from '../../schema/observation.js';

/** A hand-written catalog sample under fixtures/catalogs/. */
export function catalogSample(file: string): string {
  return readFileSync(new URL(`../../fixtures/catalogs/${file}`, import.meta.url), 'utf8');
}

/** Pages of a JSON catalog at `url`, as the fetcher hands them to the extractor. */
export function catalogPage(url: string): (body: string) => Page {
  return (body) => ({ url, body, contentType: 'application/json', fetchedAt: '2026-04-20T06:00:00Z' });
}

/** One model's observations of an attribute; with `via`, only those stated for that route. */
export function observationsOf(obs: readonly Observation[], model: string, attribute: string, via?: string): Observation[] {
  return obs.filter((o) => (via === undefined || o.via === via) && o.model === model && o.attribute === attribute);
}
