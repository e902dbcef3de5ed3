/**
 * The creators' own price pages as the authority for their own route, end to
 * end (replay → extract → normalize → reconcile → publish → conflict report):
 * - fixture-only (always runs): Anthropic's page beside a hand-written
 *   LiteLLM entry with a planted failure (the 5-minute cache write doubled);
 * - with MODELFACTS_REAL_DATA: the real catalog weeks plus the bundled fixture
 *   weeks' creator pages, for anthropic/claude-sonnet-4-5 and the Mistral
 *   models where the real catalogs disagree with Mistral and with each other.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefresh } from '../cli/run-commands.js';
import { findSource, SOURCES } from '../extractors/registry.js';
import { buildConflictReport, type ReportFact } from '../pipelines/report/conflicts.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { realDataWeeks } from '../pipelines/fetch/real-data.js';
import type { Fact } from '../schema/fact.js';
import { canonicalValue } from '../schema/keys.js';
import { freshDb, type TestDb } from './helpers/db.js';

const SONNET = 'anthropic/claude-sonnet-4-5';
const CREATOR_SOURCES = SOURCES.filter((s) => s.authority === 'creator' && s.kind === 'html' && s.pages).map((s) => s.id);

/** The untiered text-token price fact (per 1M tokens) of a model on a route, for one direction: an unlabelled token price is the text one. */
function tokenFact(facts: Fact[], route: string, direction: string): Fact | undefined {
  return facts.find(
    (f) =>
      f.qualifiers.route === route &&
      f.qualifiers.unit === 'per_1m_tokens' &&
      f.qualifiers.direction === direction &&
      f.qualifiers.tier === undefined &&
      f.qualifiers.modality === 'text' &&
      f.qualifiers.window === undefined,
  );
}

const creatorCandidate = (f: Fact | undefined, sourceId: string) => f?.candidates.find((c) => c.provenance.sourceId === sourceId);

/** The sources of a reported fact whose value differs from the chosen one. */
function disagreeing(f: ReportFact): string[] {
  const chosen = f.chosen ? canonicalValue(f.chosen) : '';
  return [...new Set(f.candidates.filter((c) => canonicalValue(c.value) !== chosen).map((c) => c.sourceId))].sort();
}

async function reported(t: TestDb, model: string, direction: string, route: string): Promise<ReportFact | undefined> {
  const report = await buildConflictReport(t.database.db, { model });
  return report.models
    .flatMap((m) => m.attributes.flatMap((a) => a.facts))
    .find((f) => f.qualifiers.route === route && f.qualifiers.direction === direction && f.qualifiers.unit === 'per_1m_tokens' && !f.qualifiers.tier && f.qualifiers.modality === 'text');
}

describe('creator price pages decide their own route (fixture replay)', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    // a replay archive of two pages: Anthropic's pricing page and one catalog entry that disagrees with it
    dir = mkdtempSync(join(tmpdir(), 'modelfacts-creator-'));
    const anthropic = findSource('anthropic-pricing')!.pages![0]!;
    const litellm = findSource('litellm')!.pages![0]!;
    copyFileSync('fixtures/replay/2026-W17/pages/docs.anthropic.com/en/docs/about-claude/pricing.html', join(dir, 'pricing.html'));
    copyFileSync('fixtures/sources/anthropic-pricing/stale-catalog.litellm.json', join(dir, 'litellm.json'));
    const entry = (url: string, body: string, type: string) => ({ url, status: 200, headers: { 'content-type': type }, body });
    writeFileSync(
      join(dir, 'manifest.json'),
      JSON.stringify({ week: '2026-W17', entries: [entry(anthropic, 'pricing.html', 'text/html; charset=utf-8'), entry(litellm, 'litellm.json', 'application/json')] }),
    );
    t = await freshDb('pglite');
    const r = await runRefresh(t.database, { replay: dir, events: {} });
    expect(r.status).toBe('ok');
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every anthropic-route token price of Claude Sonnet 4.5 a creator candidate, and chooses it', async () => {
    const facts = await queryFacts(t.database.db, { model: SONNET, attribute: 'price' });
    const expected = { input: '3', output: '15', cache_read: '0.3', cache_write: '3.75' };
    for (const [direction, usd] of Object.entries(expected)) {
      const f = tokenFact(facts, 'anthropic', direction);
      expect(creatorCandidate(f, 'anthropic-pricing')?.value, direction).toEqual({ kind: 'money', usd });
      expect(f?.chosen, direction).toEqual({ kind: 'money', usd });
      expect(f?.status, direction).toBe(direction === 'cache_write' ? 'auto-resolved' : 'agreed');
    }
  });

  it('decides the disagreement by authority, and the conflict report lists the catalog that disagrees', async () => {
    const facts = await queryFacts(t.database.db, { model: SONNET, attribute: 'price' });
    const f = tokenFact(facts, 'anthropic', 'cache_write')!;
    expect(creatorCandidate(f, 'litellm')?.value).toEqual({ kind: 'money', usd: '7.5' });
    expect(f.rule).toMatch(/anthropic-pricing is the creator's own documentation of its own API \(anthropic\)/);
    const r = await reported(t, SONNET, 'cache_write', 'anthropic');
    expect(r?.ruleId).toBe('authority');
    expect(disagreeing(r!)).toEqual(['litellm']);
    expect(r?.candidates.find((c) => c.sourceId === 'anthropic-pricing')?.excerpt).toMatch(/Claude Sonnet 4\.5 · 5m Cache Writes \$3\.75 \/ MTok/);
  });

  it('reports a derived creator price as derived', async () => {
    const facts = await queryFacts(t.database.db, { model: SONNET, attribute: 'price' });
    const derived = facts.find((f) => f.qualifiers.tier === 'above_200k' && f.qualifiers.direction === 'cache_read');
    expect(derived?.candidates[0]?.provenance.derived?.rule).toMatch(/0\.1 times the base input tokens price/);
    expect(derived?.chosen).toEqual({ kind: 'money', usd: '0.6' });
  });
});

const ROOT = process.env.MODELFACTS_REAL_DATA ? resolve(process.env.MODELFACTS_REAL_DATA) : undefined;

describe('creator price pages beside the real catalog weeks', () => {
  it('reports whether it ran', () => {
    if (!ROOT) console.warn('MODELFACTS_REAL_DATA not set: the creator-vs-real-catalogs checks did not run');
    expect(ROOT === undefined || realDataWeeks(ROOT).length > 0).toBe(true);
  });

  describe.runIf(ROOT)('with MODELFACTS_REAL_DATA', () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await freshDb('postgres');
      for (const week of realDataWeeks(ROOT!)) {
        const r = await runRefresh(t.database, { replay: week, events: {} });
        expect(r.status, week).toBe('ok');
        // the bundled fixture week of the same name adds the creators' pages to that week
        const name = week.split('/').pop()!;
        if (['2026-W16', '2026-W17'].includes(name)) {
          const c = await runRefresh(t.database, { replay: join('fixtures', 'replay', name), source: CREATOR_SOURCES, events: {} });
          expect(c.status, `${name} creators`).toBe('ok');
        }
      }
    }, 900_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('Claude Sonnet 4.5: the anthropic-route input, output, cache read and cache write have a creator candidate, chosen', async () => {
      const facts = await queryFacts(t.database.db, { model: SONNET, attribute: 'price', asOf: '2026-W17' });
      const expected = { input: '3', output: '15', cache_read: '0.3', cache_write: '3.75' };
      for (const [direction, usd] of Object.entries(expected)) {
        const f = tokenFact(facts, 'anthropic', direction);
        expect(creatorCandidate(f, 'anthropic-pricing')?.value, direction).toEqual({ kind: 'money', usd });
        expect(f?.chosen, direction).toEqual({ kind: 'money', usd });
        // the real catalogs list the same model under the same id: they are candidates of the same facts
        expect(f?.candidates.map((c) => c.provenance.sourceId), direction).toEqual(expect.arrayContaining(['anthropic-pricing', 'litellm', 'models-dev']));
      }
    });

    it('where the real catalogs disagree with Mistral, its own page decides, and the report lists the catalogs that disagree', async () => {
      const small = await queryFacts(t.database.db, { model: 'mistral/mistral-small-latest', attribute: 'price', asOf: '2026-W17' });
      const input = tokenFact(small, 'mistral', 'input')!;
      expect(input.status).toBe('auto-resolved');
      expect(input.chosen).toEqual({ kind: 'money', usd: '0.1' });
      expect(input.rule).toMatch(/mistral-pricing is the creator's own documentation/);
      const r = await reported(t, 'mistral/mistral-small-latest', 'input', 'mistral');
      expect(r?.ruleId).toBe('authority');
      expect(disagreeing(r!)).toEqual(['litellm', 'models-dev']);

      const codestral = await reported(t, 'mistral/codestral-latest', 'output', 'mistral');
      expect(codestral?.chosen).toEqual({ kind: 'money', usd: '0.9' });
      expect(disagreeing(codestral!)).toEqual(['litellm']);
    });
  });
});
