/**
 * End to end through the real CLI: replay the bundled weeks into PGlite (what
 * `npm start` does) and into a fresh Postgres database, then query.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, freshPgliteDir } from './helpers/db.js';
import { runCli } from './helpers/cli.js';

const MINI = 'openai/gpt-image-1-mini';
const HTML_SOURCES = ['anttisahla', 'llm-stats', 'llmreference-model', 'llmreference-route', 'openai-docs', 'vercel-gateway-page'];

interface JsonFact {
  modelId: string;
  attribute: string;
  qualifiers: Record<string, string>;
  value: { kind: string; usd?: string } | null;
  status: string;
  candidates: { value: { kind: string; usd?: string }; provenance: { sourceId: string; url: string; fetchedAt: string; excerpt: string } }[];
}

function price(facts: JsonFact[], q: Record<string, string>): JsonFact | undefined {
  return facts.find(
    (f) =>
      f.attribute === 'price' &&
      Object.keys(q).length === Object.keys(f.qualifiers).length &&
      Object.entries(q).every(([k, v]) => f.qualifiers[k] === v),
  );
}

describe('npm start on the embedded database', () => {
  const env = { MODELFACTS_DATA_DIR: freshPgliteDir(), DATABASE_URL: '' };
  let demo: Awaited<ReturnType<typeof runCli>>;
  let facts: JsonFact[];
  beforeAll(async () => {
    demo = await runCli(['demo'], env, 300_000);
    const out = await runCli(['facts', '--model', MINI, '--json'], env);
    expect(out.code, out.stderr).toBe(0);
    facts = JSON.parse(out.stdout);
  }, 400_000);

  it('replays both bundled weeks and prints a summary with the model facts', () => {
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/run \d+ \(2026-W16\): ok/);
    expect(demo.stdout).toMatch(/run \d+ \(2026-W17\): ok/);
    expect(demo.stdout).toContain('Facts per model');
    expect(demo.stdout).toContain(`Facts for ${MINI}`);
    expect(demo.stdout).toContain('Open conflicts');
  });

  it('has the nine per-image prices from openai-docs', () => {
    const expected: Record<string, Record<string, string>> = {
      low: { '1024x1024': '0.005', '1024x1536': '0.006', '1536x1024': '0.006' },
      medium: { '1024x1024': '0.011', '1024x1536': '0.015', '1536x1024': '0.015' },
      high: { '1024x1024': '0.036', '1024x1536': '0.052', '1536x1024': '0.052' },
    };
    for (const [quality, sizes] of Object.entries(expected)) {
      for (const [size, usd] of Object.entries(sizes)) {
        const f = price(facts, { route: 'openai', unit: 'per_image', direction: 'output', modality: 'image', quality, size });
        expect(f, `${quality} ${size}`).toBeDefined();
        const docs = f!.candidates.find((c) => c.provenance.sourceId === 'openai-docs');
        expect(docs?.value.usd, `${quality} ${size}`).toBe(usd);
        expect(f!.value?.usd).toBe(usd);
      }
    }
  });

  it("has the Vercel route's $2 / $8 / $0.20 that only the browser saw, with provenance", () => {
    for (const [direction, usd] of [['input', '2'], ['output', '8'], ['cache_read', '0.2']]) {
      const f = price(facts, { route: 'vercel', unit: 'per_1m_tokens', direction: direction! });
      expect(f, direction).toBeDefined();
      expect(f!.value?.usd).toBe(usd);
      const page = f!.candidates.find((c) => c.provenance.sourceId === 'vercel-gateway-page');
      expect(page?.value.usd).toBe(usd);
      expect(page?.provenance.url).toBe('https://vercel.com/ai-gateway/models/gpt-image-1-mini');
      expect(page?.provenance.excerpt.length).toBeGreaterThan(0);
      expect(Date.parse(page!.provenance.fetchedAt)).not.toBeNaN();
    }
  });

  it('shows claims from all six HTML sources for gpt-image-1-mini', () => {
    const seen = new Set(facts.flatMap((f) => f.candidates.map((c) => c.provenance.sourceId)));
    for (const s of HTML_SOURCES) expect(seen, s).toContain(s);
  });

  it('has the model that only the W17 anttisahla index lists', async () => {
    const out = await runCli(['facts', '--model', 'google/imagen-4-fast', '--json'], env);
    const imagen: JsonFact[] = JSON.parse(out.stdout);
    expect(imagen.some((f) => f.candidates.some((c) => c.provenance.sourceId === 'anttisahla'))).toBe(true);
    const w16 = await runCli(['facts', '--model', 'google/imagen-4-fast', '--as-of', '2026-W16', '--json'], env);
    const before: JsonFact[] = JSON.parse(w16.stdout);
    expect(before.some((f) => f.candidates.some((c) => c.provenance.sourceId === 'anttisahla'))).toBe(false);
  });

  it('lists runs and sources, as table and JSON', async () => {
    const runs = await runCli(['runs', '--json'], env);
    expect(JSON.parse(runs.stdout).map((r: { week: string }) => r.week)).toEqual(['2026-W17', '2026-W16']);
    const sources = await runCli(['sources'], env);
    expect(sources.stdout).toContain('vercel-gateway-page');
    expect(sources.stdout).toContain('browser');
  });
});

describe('refresh into a fresh Postgres database', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  beforeAll(async () => {
    db = await createPgDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('lists the same facts, each with provenance', async () => {
    const env = { DATABASE_URL: db.url };
    const notMigrated = await runCli(['facts', '--model', MINI], env);
    expect(notMigrated.code).toBe(1);
    expect(notMigrated.stderr).toMatch(/modelfacts migrate/);
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const run = await runCli(['refresh', '--replay', 'fixtures/replay/2026-W17'], env, 300_000);
    expect(run.code, run.stderr).toBe(0);
    const out = await runCli(['facts', '--model', MINI, '--json'], env);
    const facts: JsonFact[] = JSON.parse(out.stdout);
    expect(price(facts, { route: 'openai', unit: 'per_image', direction: 'output', modality: 'image', quality: 'high', size: '1024x1024' })?.value?.usd).toBe('0.036');
    expect(price(facts, { route: 'vercel', unit: 'per_1m_tokens', direction: 'output' })?.value?.usd).toBe('8');
    for (const f of facts) {
      for (const c of f.candidates) {
        expect(c.provenance.sourceId).toBeTruthy();
        expect(c.provenance.url).toMatch(/^https:\/\//);
        expect(c.provenance.excerpt).toBeTruthy();
        expect(Date.parse(c.provenance.fetchedAt)).not.toBeNaN();
      }
    }
    const csv = await runCli(['facts', '--model', MINI, '--attribute', 'price', '--csv'], env);
    // one column per qualifier, amounts as plain decimals
    const [header, ...rows] = csv.stdout.trim().split('\n');
    expect(header).toBe('model,attribute,route,unit,direction,modality,quality,size,tier,value,status,sources');
    expect(rows).toContainEqual(expect.stringMatching(/^openai\/gpt-image-1-mini,price,vercel,per_1m_tokens,output,,,,,8,/));
  }, 400_000);
});

describe('extract and usage errors', () => {
  const page = 'fixtures/replay/2026-W17/pages/platform.openai.com/docs/models/gpt-image-1-mini.html';
  const url = 'https://platform.openai.com/docs/models/gpt-image-1-mini';

  it("prints a saved page's observations", async () => {
    const out = await runCli(['extract', 'openai-docs', page, '--url', url, '--json']);
    expect(out.code, out.stderr).toBe(0);
    const parsed = JSON.parse(out.stdout);
    expect(parsed.observations.filter((o: { attribute: string }) => o.attribute === 'price')).toHaveLength(14);
    for (const o of parsed.observations) expect(o.excerpt.length).toBeGreaterThan(0);
  });

  it('exits non-zero naming source, URL and part when the price table is gone', async () => {
    const html = readFileSync(page, 'utf8').replace(/<section class="model-section" id="pricing"[\s\S]*?<\/section>/, '');
    const file = join(mkdtempSync(join(tmpdir(), 'mf-extract-')), 'no-pricing.html');
    writeFileSync(file, html);
    const out = await runCli(['extract', 'openai-docs', file, '--url', url, '--json']);
    expect(out.code).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain('openai-docs');
    expect(out.stderr).toContain(url);
    expect(out.stderr).toMatch(/pricing section/);
  });

  it('exits 2 on bad usage, naming the bad value', async () => {
    const unknown = await runCli(['extract', 'no-such-source', page]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown source "no-such-source"/);
    const week = await runCli(['facts', '--as-of', '2026-W99']);
    expect(week.code).toBe(2);
    expect(week.stderr).toMatch(/2026-W99/);
    const cmd = await runCli(['frobnicate']);
    expect(cmd.code).toBe(2);
  });
});
