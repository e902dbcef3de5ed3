/**
 * Bad input everywhere: the CLI answers with one line naming what is wrong,
 * exit 2 for bad usage or input, 1 for a failure, and a stack trace only
 * with --verbose. Each case spawns the real binary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase } from '../pipelines/store/db.js';
import { createPgDatabase } from './helpers/db.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI against a migrated Postgres test database (opening it is much
 * cheaper than starting the embedded one, and it takes concurrent processes).
 */
function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise<Run>((ok, fail) => {
    const child = spawn(process.execPath, ['bin/modelfacts.js', ...args], {
      env: { ...process.env, DATABASE_URL: shared.url, MODELFACTS_DATA_DIR: join(dir, 'never-used'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

let shared: { url: string; drop: () => Promise<void> };
beforeAll(async () => {
  shared = await createPgDatabase();
  const database = await openDatabase({ url: shared.url });
  await migrateDatabase(database);
  await database.close();
});
afterAll(async () => {
  await shared?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const dir = mkdtempSync(join(tmpdir(), 'mf-cli-errors-'));

/** A replay folder with the given manifest text (and, when named, empty body files). */
function archive(name: string, manifest: string, bodies: string[] = []): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, 'pages'), { recursive: true });
  writeFileSync(join(folder, 'manifest.json'), manifest);
  for (const b of bodies) writeFileSync(join(folder, b), '<html></html>');
  return folder;
}

/** Exactly one line on stderr, starting with the tool's name, and no stack frames. */
function oneLine(r: Run): string {
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('bad input: one clear line and exit 2', () => {
  const cases: { name: string; args: () => string[]; env?: Record<string, string>; line: RegExp }[] = [
    {
      name: 'a replay folder that does not exist',
      args: () => ['refresh', '--replay', join(dir, 'nope')],
      line: /^modelfacts: replay folder .*nope does not exist$/,
    },
    {
      name: 'a replay path that is a file, not a folder',
      args: () => ['refresh', '--replay', archive('afile', '{}') + '/manifest.json'],
      line: /^modelfacts: replay folder .*afile\/manifest\.json is not a folder$/,
    },
    {
      name: 'a manifest that is not JSON',
      args: () => ['refresh', '--replay', archive('notjson', '{ "entries": [')],
      line: /^modelfacts: .*notjson\/manifest\.json is not valid JSON: /,
    },
    {
      name: 'a manifest entry with a bad URL',
      args: () => ['refresh', '--replay', archive('badurl', JSON.stringify({ entries: [{ url: 'nope', status: 200, body: 'x' }] }))],
      line: /^modelfacts: invalid replay manifest .*: entries\.0\.url: .*\(got "nope"\)$/,
    },
    {
      name: 'a manifest naming a body file that is missing',
      args: () => [
        'refresh',
        '--replay',
        archive('missing', JSON.stringify({ entries: [{ url: 'https://llm-stats.com/models', status: 200, body: 'pages/gone.html' }] })),
      ],
      line: /^modelfacts: .*manifest\.json: entry #1 \(https:\/\/llm-stats\.com\/models\): body file pages\/gone\.html is missing$/,
    },
    {
      name: 'a manifest body pointing outside its folder',
      args: () => [
        'refresh',
        '--replay',
        archive('escape', JSON.stringify({ entries: [{ url: 'https://llm-stats.com/models', status: 200, body: '../../../etc/passwd' }] })),
      ],
      line: /points outside the folder$/,
    },
    {
      name: 'an unknown source id (refresh)',
      args: () => ['refresh', '--source', 'nope', '--replay', 'fixtures/replay/2026-W17'],
      line: /^modelfacts: unknown source "nope" \(known: .*anttisahla.*\)$/,
    },
    {
      name: 'an unknown source id (record)',
      args: () => ['record', '--out', join(dir, 'rec-unknown'), '--source', 'llm-stat'],
      line: /^modelfacts: unknown source "llm-stat"/,
    },
    {
      name: 'a malformed week label',
      args: () => ['refresh', '--replay', 'fixtures/replay/2026-W17', '--week', '2026-17'],
      line: /^modelfacts: invalid week: .*must look like YYYY-Www .*\(got "2026-17"\)$/,
    },
    {
      name: 'a week the year does not have',
      args: () => ['facts', '--as-of', '2021-W53'],
      line: /^modelfacts: invalid week: 2021 has only 52 weeks \(got "2021-W53"\)$/,
    },
    {
      name: 'a week out of range',
      args: () => ['diff', '2026-W16', '2026-W60'],
      line: /^modelfacts: invalid week: .*\(got "2026-W60"\)$/,
    },
    {
      name: 'a DATABASE_URL that is not a Postgres URL',
      args: () => ['runs'],
      env: { DATABASE_URL: 'mysql://root@localhost/db' },
      line: /^modelfacts: DATABASE_URL must start with postgres:\/\/ \(got mysql:\/\/root@localhost\/db\)$/,
    },
    {
      name: 'a DATABASE_URL that is not a URL at all, its text kept out of the message',
      args: () => ['runs'],
      env: { DATABASE_URL: 'hunter2 is my password' },
      line: /^modelfacts: DATABASE_URL must start with postgres:\/\/ \(got \(unparseable DATABASE_URL\)\)$/,
    },
    {
      name: 'a recording into a folder that holds files',
      args: () => ['record', '--out', 'fixtures/replay/2026-W17', '--source', 'llm-stats'],
      line: /^modelfacts: --out fixtures\/replay\/2026-W17 is not empty: record into a new folder$/,
    },
  ];

  it.concurrent.each(cases)('$name', async (c) => {
    const r = await cli(c.args(), c.env);
    expect(oneLine(r)).toMatch(c.line);
    expect(r.code).toBe(2);
  });

  it.concurrent('an unknown command or a missing argument: commander says which, exit 2', async () => {
    const r = await cli(['refrsh']);
    expect(r.stderr).toMatch(/unknown command 'refrsh'/);
    expect(r.code).toBe(2);
    const m = await cli(['record']);
    expect(m.stderr).toMatch(/required option '--out <folder>' not specified/);
    expect(m.code).toBe(2);
  });
});

describe('failures: one clear line and exit 1', () => {
  let old: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    // a database one migration behind this program
    old = await createPgDatabase();
    const database = await openDatabase({ url: old.url });
    await migrateDatabase(database);
    await database.close();
    const client = new pg.Client({ connectionString: old.url });
    await client.connect();
    await client.query('delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)');
    await client.end();
  });
  afterAll(async () => {
    await old?.drop();
  });

  it.concurrent('an unreachable DATABASE_URL names the server, not the password', async () => {
    const r = await cli(['runs'], { DATABASE_URL: 'postgres://app:s3cret@127.0.0.1:1/modelfacts' });
    expect(oneLine(r)).toMatch(/^modelfacts: cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/modelfacts: .*ECONNREFUSED/);
    expect(r.stderr).not.toContain('s3cret');
    expect(r.code).toBe(1);
  });

  it.concurrent('a database at an older schema version says to migrate', async () => {
    const r = await cli(['facts'], { DATABASE_URL: old.url });
    expect(oneLine(r)).toMatch(/is at an older schema version \(\d+ of \d+ migrations applied\): run `modelfacts migrate`$/);
    expect(r.code).toBe(1);
  });

  it.concurrent('--verbose adds the stack trace and the cause', async () => {
    const r = await cli(['runs', '--verbose'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.stderr.split('\n')[0]).toMatch(/^modelfacts: cannot connect to/);
    expect(r.stderr).toMatch(/^\s+at /m);
    expect(r.stderr).toMatch(/caused by: .*ECONNREFUSED/);
    expect(r.code).toBe(1);
  });
});
