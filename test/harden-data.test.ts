/**
 * Hostile values in a catalog, end to end through the real CLI on both
 * backends: a NUL or a lone surrogate refuses that one value (an extraction
 * issue naming source, URL and field) and never the run; terminal escape
 * sequences are shown escaped in tables and text, and CSV cells that a
 * spreadsheet would run as formulas are neutralised.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCliInProcess } from './helpers/in-process-cli.js';

const ESC = '\u001b';
const root = mkdtempSync(join(tmpdir(), 'mf-harden-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function model(id: string, family: string) {
  return {
    id,
    name: id,
    family,
    release_date: '2025-09-26',
    open_weights: false,
    limit: { context: 0, output: 0 },
    modalities: { input: ['text'], output: ['image'] },
  };
}

/** A models.dev catalog whose JSON text holds a NUL, a lone surrogate, escape sequences and a formula. */
function hostileArchive(): string {
  const dir = join(root, 'hostile');
  mkdirSync(join(dir, 'pages'), { recursive: true });
  const catalog = {
    openai: {
      id: 'openai',
      name: 'OpenAI',
      models: {
        'gpt-image-1-mini': model('gpt-image-1-mini', 'gpt\u0000image'),
        'gpt-image-1': model('gpt-image-1', 'image\ud800'),
        'gpt-4o': model('gpt-4o', `=HYPERLINK("http://evil.example","x")${ESC}]0;pwned\u0007${ESC}[2J`),
        'dall-e-3': model('dall-e-3', 'dall-e'),
      },
    },
  };
  // JSON.stringify writes the NUL and the lone surrogate as \u escapes, as a real catalog would
  writeFileSync(join(dir, 'pages/api.json'), JSON.stringify(catalog));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      week: '2026-W17',
      entries: [{ url: 'https://models.dev/api.json', status: 200, headers: { 'content-type': 'application/json' }, body: 'pages/api.json' }],
    }),
  );
  return dir;
}

describe.each(['pglite', 'postgres'] as const)('hostile catalog values on %s', (kind) => {
  let env: Record<string, string>;
  let drop = async () => {};
  beforeAll(async () => {
    if (kind === 'pglite') env = { DATABASE_URL: '', MODELFACTS_DATA_DIR: freshPgliteDir() };
    else {
      const pg = await createPgDatabase();
      drop = pg.drop;
      env = { DATABASE_URL: pg.url };
      expect((await runCliInProcess(['migrate'], env)).code).toBe(0);
    }
  });
  afterAll(() => drop());

  it('a NUL or a lone surrogate refuses that value only: the run publishes, the issue names source, URL and field', async () => {
    const run = await runCliInProcess(['refresh', '--replay', hostileArchive(), '--json'], env);
    expect(run.stderr).not.toMatch(/unsupported Unicode/);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('ok');
    expect(result.counts.issues).toBeGreaterThanOrEqual(2);
    const facts = JSON.parse((await runCliInProcess(['facts', '--model', 'openai/gpt-image-1-mini', '--json'], env)).stdout);
    // the family was refused, the other values of the model were published
    expect(facts.map((f: { attribute: string }) => f.attribute)).toContain('release_date');
    expect(facts.map((f: { attribute: string }) => f.attribute)).not.toContain('family');
    const runs = JSON.parse((await runCliInProcess(['runs', '--json'], env)).stdout);
    expect(runs[0].status).toBe('ok');
  });

  it('the issues are stored with their reason (source, URL, field) and a storable copy of the value', async () => {
    const { openDatabase } = await import('../pipelines/store/db.js');
    const { sql } = await import('drizzle-orm');
    const database = await openDatabase(kind === 'pglite' ? { url: '', dataDir: env.MODELFACTS_DATA_DIR } : { url: env.DATABASE_URL });
    try {
      const rows = await database.db.execute(sql`select t.message from extraction_issues i join extraction_issue_texts t on t.id = i.issue_id order by t.message`);
      const messages = (rows as unknown as { rows: { message: string }[] }).rows.map((r) => r.message);
      expect(messages).toContain('models-dev: https://models.dev/api.json: field value.text holds a NUL character (U+0000); the value is refused');
      expect(messages).toContain('models-dev: https://models.dev/api.json: field value.text holds a lone surrogate (U+D800); the value is refused');
    } finally {
      await database.close();
    }
  });

  it('escape sequences in values are shown escaped in tables and text; CSV formulas are neutralised', async () => {
    const table = await runCliInProcess(['facts', '--model', 'openai/gpt-4o', '--attribute', 'family'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toContain(ESC);
    expect(table.stdout).not.toContain('\u0007');
    expect(table.stdout).toContain('\\u001b]0;pwned\\u0007\\u001b[2J');
    const csv = await runCliInProcess(['facts', '--model', 'openai/gpt-4o', '--attribute', 'family', '--csv'], env);
    expect(csv.stdout).not.toContain(ESC);
    expect(csv.stdout).toMatch(/,"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)\\u001b\]0;pwned/);
    const conflicts = await runCliInProcess(['conflicts', '--status', 'single-source', '--model', 'openai/gpt-4o'], env);
    expect(conflicts.code).toBe(0);
    expect(conflicts.stdout).toContain('pwned');
    expect(conflicts.stdout).not.toContain(ESC);
    // JSON stays JSON: the escape is a JSON string escape
    const json = await runCliInProcess(['facts', '--model', 'openai/gpt-4o', '--attribute', 'family', '--json'], env);
    expect(JSON.parse(json.stdout)[0].value.text).toContain(`${ESC}]0;pwned`);
  });
});
