/**
 * One contract for every creator price page in the registry (sources whose
 * authority is `creator` and whose pages are fixed URLs): declared hosts and
 * route, a fixture under fixtures/sources/<id>/, an extraction whose every
 * price is on the creator's own route and whose every name resolves, derived
 * prices marked, and a LayoutError naming source, URL and part when the price
 * tables are gone. The fixture is the W17 replay page its contract.json names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { Page } from '../extractors/contract.js';
import { SOURCES } from '../extractors/registry.js';
import { DEFAULT_ALIAS_MAP } from '../pipelines/normalize/identity.js';
import { normalize } from '../pipelines/normalize/normalize.js';
import { Observation } from '../schema/observation.js';
import { layoutError, replayBody } from './helpers/extraction.js';

const CREATOR_PAGES = SOURCES.filter((s) => s.authority === 'creator' && s.kind === 'html' && s.pages !== undefined);
const FETCHED_AT = '2026-04-20T06:00:00.000Z';

function fixtureOf(id: string): { file: string; body: string } {
  const dir = join('fixtures', 'sources', id);
  const contract = join(dir, 'contract.json');
  expect(existsSync(contract), `a contract in ${dir}`).toBe(true);
  const file = join(dir, (JSON.parse(readFileSync(contract, 'utf8')) as { page: string }).page);
  return { file, body: readFileSync(file, 'utf8') };
}

describe('creator price pages: shared contract', () => {
  it('are registered: the six creators with a price page', () => {
    expect(CREATOR_PAGES.map((s) => s.id).sort()).toEqual(
      ['anthropic-pricing', 'deepseek-pricing', 'google-gemini-pricing', 'mistral-pricing', 'openai-pricing', 'xai-pricing'].sort(),
    );
  });

  for (const source of CREATOR_PAGES) {
    describe(source.id, () => {
      const url = source.pages![0]!;
      const page = (body: string): Page => ({ url, body, contentType: 'text/html; charset=utf-8', fetchedAt: FETCHED_AT });

      it('declares its hosts, its own route and fetches only from them', () => {
        expect(source.ownRoute).toMatch(/^[a-z]+$/);
        expect(source.requiredAttributes).toContain('price');
        for (const u of source.pages!) expect(source.hosts).toContain(new URL(u).hostname);
      });

      it('extracts valid prices, all on its own route, every model name resolved', () => {
        const x = source.extract(page(fixtureOf(source.id).body));
        expect(x.problems ?? []).toEqual([]);
        const prices = x.observations.filter((o) => o.attribute === 'price');
        expect(prices.length).toBeGreaterThan(5);
        for (const o of x.observations) expect(Observation.safeParse(o).success, JSON.stringify(o)).toBe(true);
        expect(new Set(prices.map((o) => o.qualifiers.route))).toEqual(new Set([source.ownRoute]));
        const n = normalize(x, { sourceId: source.id, url, fetchedAt: FETCHED_AT, extractorVersion: source.version, pageHash: '0'.repeat(64) }, DEFAULT_ALIAS_MAP);
        expect(n.issues).toEqual([]);
        expect([...n.unmatched.keys()]).toEqual([]);
        // the creator's own models: every id starts with the creator (the route id is the creator id)
        for (const c of n.claims) expect(c.modelId.split('/')[0]).toBe(source.ownRoute);
        // a derived price says which rule and which stated price it comes from
        for (const c of n.claims.filter((c) => c.provenance.derived)) {
          expect(c.provenance.derived!.rule.length).toBeGreaterThan(5);
          expect(c.provenance.derived!.from.length).toBeGreaterThan(5);
          expect(c.qualifiers.tier).toBeDefined();
        }
      });

      it('raises LayoutError naming source, URL and part when the price tables are removed', () => {
        const $ = cheerio.load(fixtureOf(source.id).body);
        $('table, dl').remove();
        const err = layoutError(() => source.extract(page($.html())));
        expect(err.sourceId).toBe(source.id);
        expect(err.url).toBe(url);
        expect(err.part.length).toBeGreaterThan(3);
        expect(err.message).toContain(source.id);
        expect(err.message).toContain(url);
      });

      it('is in both bundled replay weeks; W17 serves the fixture as is and W16 extracts too', () => {
        expect(replayBody('2026-W17', url)).toBe(fixtureOf(source.id).body);
        const w16 = source.extract(page(replayBody('2026-W16', url)));
        expect(w16.problems ?? []).toEqual([]);
        expect(w16.observations.filter((o) => o.attribute === 'price').length).toBeGreaterThan(5);
      });
    });
  }
});
