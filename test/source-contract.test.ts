/**
 * The contract every source satisfies, checked for each registry entry from
 * its fixture (fixtures/sources/<id>/contract.json): extraction validates
 * against the schema and yields the source's required attributes, and a
 * copy with the key part removed raises a LayoutError naming source, URL and part.
 * A registry entry without a fixture fails here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LayoutError, type SourceModule } from '../extractors/contract.js';
import { SOURCES } from '../extractors/registry.js';
import { Observation } from '../schema/observation.js';
import { contractFixture, fixturePage, withoutKeyPart } from './helpers/source-contract.js';

/** The contract checks of one source; throws (fails) on the first broken clause. */
function checkContract(source: SourceModule, root?: string): void {
  const fixture = contractFixture(source, root);
  const extraction = source.extract(fixturePage(fixture));
  expect(extraction.observations.length, `${source.id} extracts observations`).toBeGreaterThan(0);
  for (const o of extraction.observations) expect(Observation.safeParse(o).success, `${source.id}: ${JSON.stringify(o)}`).toBe(true);
  const attributes = new Set(extraction.observations.map((o) => o.attribute));
  for (const a of source.requiredAttributes) expect(attributes.has(a), `${source.id} yields required ${a}`).toBe(true);
  let error: unknown;
  try {
    source.extract(fixturePage(fixture, withoutKeyPart(fixture)));
  } catch (err) {
    error = err;
  }
  expect(error, `${source.id} without ${fixture.part}`).toBeInstanceOf(LayoutError);
  expect(error).toMatchObject({ sourceId: source.id, url: fixture.url, part: fixture.part });
  expect((error as LayoutError).message).toContain(`${source.id}: layout changed at ${fixture.url}: missing ${fixture.part}`);
}

describe('source contract', () => {
  it('covers every registry entry', () => {
    expect(SOURCES.length).toBeGreaterThanOrEqual(10);
    expect(new Set(SOURCES.map((s) => s.id)).size).toBe(SOURCES.length);
  });

  for (const source of SOURCES) {
    it(`${source.id}: schema-valid extraction with its required attributes; without its key part, a LayoutError naming source, URL and part`, () => {
      checkContract(source);
    });
  }

  it('fails for a registry entry that has no fixture (a temporary registry with one new source)', () => {
    const newcomer: SourceModule = { ...SOURCES[0]!, id: 'newcomer-without-fixture' };
    const registry = [...SOURCES, newcomer];
    const empty = mkdtempSync(join(tmpdir(), 'modelfacts-fixtures-'));
    // the real fixtures pass; the newcomer has none, in the real layout or an empty one
    for (const s of registry.slice(0, -1)) checkContract(s);
    expect(() => checkContract(newcomer)).toThrow(/source newcomer-without-fixture has no fixture: add fixtures\/sources\/newcomer-without-fixture\/contract\.json/);
    expect(() => checkContract(SOURCES[0]!, empty)).toThrow(/has no fixture/);
  });
});
