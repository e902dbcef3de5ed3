/**
 * The real catalog weeks as claims, in memory (no database): each week's three
 * catalog copies extracted and normalized exactly as a refresh would, with the
 * fetch time set to the week's recorded-at (Monday 06:00 UTC). Used by the
 * reconciliation eval; IO only here (reading the folder).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findSource } from '../extractors/registry.js';
import type { Claim } from '../schema/observation.js';
import { DEFAULT_ALIAS_MAP } from '../pipelines/normalize/identity.js';
import { normalize } from '../pipelines/normalize/normalize.js';
import { realDataWeekEntries, realDataWeeks } from '../pipelines/fetch/real-data.js';
import { weekStart } from '../schema/week.js';

export interface RealWeek {
  week: string;
  recordedAt: string;
  claims: Claim[];
}

const SOURCE_OF_URL: Record<string, string> = {
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json': 'litellm',
  'https://openrouter.ai/api/v1/models': 'openrouter-api',
  'https://models.dev/api.json': 'models-dev',
};

export function loadRealWeeks(root: string): RealWeek[] {
  return realDataWeeks(root).map((folder) => {
    const week = basename(folder);
    const recordedAt = new Date(weekStart(week).getTime() + 6 * 3_600_000).toISOString();
    const claims: Claim[] = [];
    for (const e of realDataWeekEntries(folder)) {
      const sourceId = SOURCE_OF_URL[e.url];
      const source = sourceId ? findSource(sourceId) : undefined;
      if (!source) throw new Error(`eval: no source for ${e.url}`);
      const body = readFileSync(e.file, 'utf8');
      const pageHash = createHash('sha256').update(body).digest('hex');
      const extraction = source.extract({ url: e.url, body, contentType: e.contentType, fetchedAt: recordedAt });
      const n = normalize(extraction, { sourceId: source.id, url: e.url, fetchedAt: recordedAt, extractorVersion: source.version, pageHash }, DEFAULT_ALIAS_MAP);
      claims.push(...n.claims);
    }
    return { week, recordedAt, claims };
  });
}
