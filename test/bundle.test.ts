/**
 * The bundle `npm install` builds (scripts/build.mjs) and `modelfacts` runs:
 * built into a folder of its own here, then run as bin/modelfacts.js runs it.
 * A query command (`facts`) against Postgres starts without loading Node's fetch
 * implementation (pg's runtime test would load it), and works.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase } from './helpers/db.js';

/** Runs `modelfacts <args>` from a bundle (or a module to import first) and reports whether Node's fetch got loaded. */
const PROBE = `
const { main } = await import(process.env.PROBE_MODULE);
const code = main ? await main(['node', 'modelfacts', ...JSON.parse(process.env.PROBE_ARGS)]) : 0;
process.stderr.write('\\nfetch loaded: ' + process.moduleLoadList.some((m) => m.includes('undici')) + '\\n');
process.exitCode = code;
`;

function probe(module: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE],
      { env: { ...process.env, CI: 'true', ...env, PROBE_MODULE: module, PROBE_ARGS: JSON.stringify(args) }, timeout: 60_000 },
      (error, stdout, stderr) => ok({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('the bundle', () => {
  let out: string;
  let pg: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    // inside node_modules, so that the packages the bundle leaves out (PGlite, Playwright) resolve as from dist/
    mkdirSync(resolve('node_modules/.cache'), { recursive: true });
    out = mkdtempSync(join(resolve('node_modules/.cache'), 'modelfacts-bundle-'));
    execFileSync(process.execPath, ['scripts/build.mjs'], { env: { ...process.env, MODELFACTS_BUILD_OUT: out } });
    pg = await createPgDatabase();
  }, 120_000);
  afterAll(async () => {
    await pg?.drop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('lists in its manifest only files of the checkout, each of which bin/modelfacts.js checks to run the bundle', () => {
    const { inputs } = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8')) as { inputs: string[] };
    expect(inputs).toContain('cli/main.ts');
    expect(inputs.filter((f) => !existsSync(resolve(f)))).toEqual([]);
  });

  it("runs a query command on Postgres without loading Node's fetch, which pg itself would load", async () => {
    const bundle = pathToFileURL(join(out, 'modelfacts.mjs')).href;
    const env = { DATABASE_URL: pg.url };
    expect((await probe(bundle, ['migrate'], env)).code).toBe(0);
    const demo = await probe(bundle, ['demo', '--yes'], env);
    expect(demo.code, demo.stderr).toBe(0);
    const facts = await probe(bundle, ['facts', '--model', 'openai/gpt-image-1-mini', '--json'], env);
    expect(facts.code, facts.stderr).toBe(0);
    expect((JSON.parse(facts.stdout) as { modelId: string }[]).map((f) => f.modelId)).toContain('openai/gpt-image-1-mini');
    expect(facts.stderr).toContain('fetch loaded: false');
    // the probe sees it when it happens: pg as published asks whether it runs on Cloudflare by making a Response
    const plain = await probe(pathToFileURL(resolve('node_modules/pg/lib/index.js')).href, [], {});
    expect(plain.stderr).toContain('fetch loaded: true');
  });
});
