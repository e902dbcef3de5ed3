/**
 * Week labels cannot freeze history: a week later than the current one is
 * refused unless --allow-future; `weeks` lists what is stored, and
 * `weeks drop` removes one week in one transaction so that the weeks around it
 * read exactly as they did. On both backends, through the real CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCliInProcess as cli } from './helpers/in-process-cli.js';

const SOURCES = ['--source', 'openai-docs', '--source', 'anttisahla', '--source', 'llmreference-model'];
const W16 = 'fixtures/replay/2026-W16';
const W17 = 'fixtures/replay/2026-W17';

/** Facts as of a week, without the week a version started (a dropped week moves that). */
async function factsAsOf(env: Record<string, string>, week: string) {
  const r = await cli(['facts', '--as-of', week, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { validFrom?: string }[]).map(({ validFrom: _drop, ...f }) => f);
}

describe.each(['pglite', 'postgres'] as const)('weeks on %s', (kind) => {
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

  it('refuses a week later than the current one unless --allow-future; names the year of a bad week', async () => {
    const future = await cli(['refresh', '--replay', W17, '--week', '9999-W52', ...SOURCES], env);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/9999-W52 is later than the current week \d{4}-W\d{2} \(pass --allow-future if you mean it\)/);
    expect(future.stderr.trim().split('\n')).toHaveLength(1);
    const bad = await cli(['refresh', '--week', '2025-W53'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/2025 has only 52 weeks/);
  });

  it('drops a week in one transaction: the weeks before and after read as they did; a future week can be removed', async () => {
    for (const [archive, week] of [[W16, '2026-W16'], [W17, '2026-W17'], [W16, '2026-W18'], [W17, '2026-W19']] as const) {
      const r = await cli(['refresh', '--replay', archive, '--week', week, ...SOURCES], env);
      expect(r.code, r.stderr + r.stdout).toBe(0);
    }
    const bogus = await cli(['refresh', '--replay', W17, '--week', '9999-W52', '--allow-future', ...SOURCES], env);
    expect(bogus.code, bogus.stderr).toBe(0);
    const before: Record<string, unknown> = {};
    for (const w of ['2026-W17', '2026-W19']) before[w] = await factsAsOf(env, w); // one in-process CLI call at a time
    const w17 = before['2026-W17'];

    const listed = JSON.parse((await cli(['weeks', '--json'], env)).stdout) as { week: string; runs: number }[];
    expect(listed.map((w) => w.week)).toEqual(['2026-W16', '2026-W17', '2026-W18', '2026-W19', '9999-W52']);
    const table = await cli(['weeks'], env);
    expect(table.stdout).toMatch(/^week\s+runs\s+lastRunId/);

    const unconfirmed = await cli(['weeks', 'drop', '2026-W18'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/add --yes/);

    const dropped = await cli(['weeks', 'drop', '2026-W18', '--yes', '--json'], env);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(JSON.parse(dropped.stdout)).toMatchObject({ week: '2026-W18', runs: 1 });
    expect(await factsAsOf(env, '2026-W17')).toEqual(w17);
    expect(await factsAsOf(env, '2026-W19')).toEqual(before['2026-W19']);
    // the dropped week now reads as the week before it
    expect(await factsAsOf(env, '2026-W18')).toEqual(w17);

    expect((await cli(['weeks', 'drop', '9999-W52', '--yes'], env)).code).toBe(0);
    const after = JSON.parse((await cli(['weeks', '--json'], env)).stdout) as { week: string }[];
    expect(after.map((w) => w.week)).toEqual(['2026-W16', '2026-W17', '2026-W19']);
    // nothing later than W19 is stored, so W19 is current again and stays open
    expect(await factsAsOf(env, '2030-W01')).toEqual(before['2026-W19']);
    const gone = await cli(['weeks', 'drop', '2026-W18', '--yes'], env);
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no run is stored for 2026-W18/);
  }, 180_000); // five replays and a dozen CLI calls: ≈36 s alone on PGlite, more beside another test file
});
