/**
 * The source contract, shared by every source: each registry entry has a
 * fixture at fixtures/sources/<id>/contract.json naming a saved page, its
 * URL, and the key part to remove; the contract test loops over the registry.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as cheerio from 'cheerio';
import type { Page, SourceModule } from '../../extractors/contract.js';

export const SOURCE_FIXTURES = 'fixtures/sources';

export interface ContractFixture {
  url: string;
  /** The saved page, relative to the fixture's folder. */
  page: string;
  contentType: string;
  /** The key part: elements matching a CSS selector, or a JSON path whose `*` stands for every key. */
  remove: { selector: string } | { json: string[] };
  /** The part the LayoutError must name. */
  part: string;
}

export function contractFixturePath(sourceId: string, root = SOURCE_FIXTURES): string {
  return join(root, sourceId, 'contract.json');
}

/** The fixture of a source; a source without one fails with a message saying where it belongs. */
export function contractFixture(source: SourceModule, root = SOURCE_FIXTURES): ContractFixture & { body: string } {
  const path = contractFixturePath(source.id, root);
  if (!existsSync(path)) throw new Error(`source ${source.id} has no fixture: add ${path} (see ARCHITECTURE.md)`);
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as ContractFixture;
  return { ...fixture, body: readFileSync(join(dirname(path), fixture.page), 'utf8') };
}

export function fixturePage(f: ContractFixture & { body: string }, body = f.body): Page {
  return { url: f.url, body, contentType: f.contentType, fetchedAt: '2026-04-20T06:00:00.000Z' };
}

function dropJson(node: unknown, path: readonly string[]): void {
  if (node === null || typeof node !== 'object' || path.length === 0) return;
  const [key, ...rest] = path as [string, ...string[]];
  const obj = node as Record<string, unknown>;
  for (const k of key === '*' ? Object.keys(obj) : [key]) {
    if (rest.length === 0) delete obj[k];
    else dropJson(obj[k], rest);
  }
}

/** A copy of the fixture's page with its key part removed. */
export function withoutKeyPart(f: ContractFixture & { body: string }): string {
  if ('selector' in f.remove) {
    const $ = cheerio.load(f.body);
    const found = $(f.remove.selector);
    if (found.length === 0) throw new Error(`${f.url}: the fixture has nothing matching ${f.remove.selector}`);
    found.remove();
    return $.html();
  }
  const doc = JSON.parse(f.body) as unknown;
  dropJson(doc, f.remove.json);
  return JSON.stringify(doc);
}
