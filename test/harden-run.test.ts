/**
 * Runs that must not break on what is not the source's fault, on both
 * backends through the real CLI: a dead link in an index makes the source
 * `partial` (it publishes what it got); `reextract` re-extracts only the
 * sources the week archived; `demo` does not write into a database holding
 * other data.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCliInProcess as cli } from './helpers/in-process-cli.js';

const DEAD = 'https://anttisahla.com/ai/models/gpt-image-1';
const root = mkdtempSync(join(tmpdir(), 'mf-harden-run-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The W17 archive without one page its index links to. */
function archiveWithDeadLink(): string {
  const dir = join(root, 'dead-link');
  cpSync('fixtures/replay/2026-W17', dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.entries = manifest.entries.filter((e: { url: string }) => e.url !== DEAD);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe.each(['pglite', 'postgres'] as const)('runs on %s', (kind) => {
  let env: Record<string, string>;
  let drop = async () => {};
  beforeAll(async () => {
    if (kind === 'pglite') env = { DATABASE_URL: '', MODELFACTS_DATA_DIR: freshPgliteDir() };
    else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      env = { DATABASE_URL: pg.url };
      expect((await cli(['migrate'], env)).code).toBe(0);
    }
  });
  afterAll(() => drop());

  it('a dead link in an index is a page-level problem: the source publishes the rest as partial, with the reason', async () => {
    const r = await cli(['refresh', '--replay', archiveWithDeadLink(), '--week', '2026-W10', '--source', 'anttisahla', '--json'], env);
    const run = JSON.parse(r.stdout);
    expect(run.sourceStatus.anttisahla.status).toBe('partial');
    expect(run.sourceStatus.anttisahla.reason).toBe(
      `1 page(s) linked from the index missing, published without them, e.g. ${DEAD}: HTTP 404`,
    );
    expect(run.sourceStatus.anttisahla.claims).toBeGreaterThan(0);
    const facts = JSON.parse((await cli(['facts', '--model', 'openai/gpt-image-1-mini', '--json'], env)).stdout);
    expect(facts.length).toBeGreaterThan(0);
  });

  it('reextract re-extracts only the sources that week archived', async () => {
    const r = await cli(['reextract', '--week', '2026-W10', '--json'], env);
    const run = JSON.parse(r.stdout);
    expect(Object.keys(run.sourceStatus)).toEqual(['anttisahla']);
    expect(run.sourceStatus.anttisahla.status).toBe('partial');
    const none = await cli(['reextract', '--week', '2026-W10', '--source', 'litellm'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no archived pages for 2026-W10 of litellm: refresh that week first/);
  });

  it('demo refuses a database that holds other weeks, or the one DATABASE_URL names, unless --yes', async () => {
    const r = await cli(['demo'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(kind === 'postgres' ? /DATABASE_URL is set: the demo would write its fixture weeks/ : /already holds other weeks \(2026-W10\)/);
    expect(r.stderr).toMatch(/modelfacts demo --yes/);
    const weeks = JSON.parse((await cli(['weeks', '--json'], env)).stdout) as { week: string }[];
    expect(weeks.map((w) => w.week)).toEqual(['2026-W10']);
  });
});
