/**
 * Exports over the bundled weeks, loaded by each consumer's own code from a
 * local server: tokenlens' models.dev loader, @pydantic/genai-prices,
 * OpenRouter's SDK schema; the LiteLLM map checked as a superset of the
 * stored one. Also the everyday listings (prices, history) on the same weeks.
 */
import { calcPrice, updatePrices, waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { modelFromJSON } from '@openrouter/sdk/models';
import { parse } from 'lossless-json';
import { fetchModels, getModelMeta } from '@tokenlens/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../cli/export-command.js';
import { runRefresh } from '../cli/run-commands.js';
import { findSource } from '../extractors/registry.js';
import { ModelDoc } from '../pipelines/report/export/model-doc.js';
import { latestStoredPage } from '../pipelines/store/raw-pages.js';
import { freshDb, type TestDb } from './helpers/db.js';
import { runCliInProcess } from './helpers/in-process-cli.js';
import { serveDocuments } from './helpers/serve-file.js';

describe('exports and listings over the bundled weeks', () => {
  let t: TestDb;
  const env = () => ({ DATABASE_URL: t.url });
  beforeAll(async () => {
    t = await freshDb('postgres');
    await runRefresh(t.database, { replay: 'fixtures/replay/2026-W16', events: {} });
    await runRefresh(t.database, { replay: 'fixtures/replay/2026-W17', events: {} });
  }, 300_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('models-dev: tokenlens loads the api.json from a local server and reads cost, limits and modalities', async () => {
    const { text } = await runExport(t.database.db, { format: 'models-dev' });
    const server = await serveDocuments({ '/api.json': text });
    try {
      const catalog = await fetchModels({ baseUrl: server.url('/api.json') });
      const mini = getModelMeta(catalog, 'openai', 'gpt-image-1-mini');
      expect(mini?.cost).toMatchObject({ input: 2, output: 8, cache_read: 0.2 });
      expect(mini?.modalities?.output).toContain('image');
      const viaVercel = getModelMeta(catalog, 'vercel', 'openai/gpt-image-1');
      expect(viaVercel?.cost?.output).toBe(32);
      // what the shape cannot hold rides along under the extra key
      const extra = (mini as unknown as { modelfacts: { prices: { key: string; usd?: string }[] } }).modelfacts;
      expect(extra.prices).toContainEqual(
        expect.objectContaining({ key: 'route=openai;unit=per_image;direction=output;modality=image;quality=high;size=1024x1024', usd: '0.036' }),
      );
    } finally {
      await server.close();
    }
  });

  it('genai-prices: the library loads data.json and prices each week from the dated history', async () => {
    const { text, summary } = await runExport(t.database.db, { format: 'genai-prices' });
    expect(summary.models).toBeGreaterThan(0);
    const server = await serveDocuments({ '/data.json': text });
    try {
      updatePrices(({ setProviderData }) => {
        setProviderData(fetch(server.url('/data.json')).then(async (r) => (await r.json()) as Provider[]));
      });
      await waitForUpdate();
      const mini = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, 'gpt-image-1-mini', { providerId: 'openai' });
      expect(mini?.input_price).toBe(2);
      expect(mini?.output_price).toBe(8);
      // the planted Vercel change: $40 in W16 (from Monday 2026-04-13), $32 from W17 (2026-04-20)
      const at = (day: string) =>
        calcPrice({ input_tokens: 0, output_tokens: 1_000_000 }, 'openai/gpt-image-1', { providerId: 'vercel', timestamp: new Date(day) })?.output_price;
      expect(at('2026-04-15T12:00:00Z')).toBe(40);
      expect(at('2026-04-21T12:00:00Z')).toBe(32);
    } finally {
      updatePrices(({ setProviderData }) => setProviderData(null));
      await server.close();
    }
  });

  it('openrouter: every entry parses with OpenRouter’s own SDK schema, prices per token as strings', async () => {
    const { text } = await runExport(t.database.db, { format: 'openrouter' });
    const doc = JSON.parse(text) as { data: { id: string; pricing: Record<string, string> }[] };
    for (const m of doc.data) {
      const r = modelFromJSON(JSON.stringify(m));
      expect(r.ok, `${m.id}: ${r.ok ? '' : String(r.error)}`).toBe(true);
      expect(typeof m.pricing.prompt).toBe('string');
    }
  });

  it('litellm: the stored map with reconciled values applied, never fewer entries, and says how many values changed', async () => {
    const { text, summary } = await runExport(t.database.db, { format: 'litellm' });
    const stored = await latestStoredPage(t.database.db, findSource('litellm')!.pages![0]!, '2026-W17');
    const base = JSON.parse(stored!.body) as Record<string, Record<string, unknown>>;
    const out = JSON.parse(text) as Record<string, Record<string, unknown>>;
    expect(Object.keys(out).length).toBeGreaterThanOrEqual(Object.keys(base).length);
    for (const key of Object.keys(base)) expect(Object.keys(out[key]!)).toEqual(Object.keys(base[key]!));
    let differing = 0;
    for (const key of Object.keys(base)) {
      for (const [field, v] of Object.entries(base[key]!)) {
        if (typeof v === 'number') expect(typeof out[key]![field], `${key}.${field}`).toBe('number');
        if (JSON.stringify(v) !== JSON.stringify(out[key]![field])) differing += 1;
      }
    }
    expect(summary.valuesChanged).toBe(differing);
    expect(summary.baseEntries).toBe(Object.keys(base).filter((k) => k !== 'sample_spec').length);
  });

  it('json: the model-keyed document parses with its zod schema; numbers in exports are written as their decimal text', async () => {
    const { text } = await runExport(t.database.db, { format: 'json', now: new Date('2026-04-22T10:00:00Z') });
    const doc = ModelDoc.parse(JSON.parse(text));
    expect(doc.generatedAt).toBe('2026-04-22T10:00:00.000Z');
    const openai = doc.models['openai/gpt-image-1-mini']!.routes.openai!.facts;
    expect(openai.find((f) => f.qualifiers.quality === 'high' && f.qualifiers.size === '1024x1024')?.value).toEqual({ kind: 'money', usd: '0.036' });
    const md = await runExport(t.database.db, { format: 'models-dev' });
    const lossless = parse(md.text) as Record<string, { models: Record<string, { cost?: Record<string, { value: string }> }> }>;
    expect(lossless.openai!.models['gpt-image-1-mini']!.cost!.cache_read!.value).toBe('0.2');
  });

  it('export command: writes the file, summary on stderr; a bad format exits 2', async () => {
    const bad = await runCliInProcess(['export', '--format', 'csv'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of/);
    const ok = await runCliInProcess(['export', '--format', 'litellm', '--as-of', '2026-W17'], env());
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/LiteLLM values replaced by reconciled ones/);
    expect(() => JSON.parse(ok.stdout)).not.toThrow();
  });

  it('prices: gpt-image-1-mini high 1024x1024 on the openai route is 0.036, with its sources', async () => {
    const r = await runCliInProcess(
      ['prices', '--model', 'openai/gpt-image-1-mini', '--unit', 'per_image', '--quality', 'high', '--size', '1024x1024', '--json'],
      env(),
    );
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { qualifiers: { route?: string }; usd?: string; sources: { sourceId: string; url: string }[] }[];
    const openai = rows.find((x) => x.qualifiers.route === 'openai');
    expect(openai?.usd).toBe('0.036');
    expect(openai?.sources.map((s) => s.sourceId)).toEqual(expect.arrayContaining(['openai-docs']));
    expect(openai?.sources.every((s) => s.url.startsWith('https://'))).toBe(true);
  });

  it('prices: CSV has one column per qualifier and plain decimals; a bad qualifier exits 2', async () => {
    const r = await runCliInProcess(['prices', '--model', 'openai/gpt-image-1-mini', '--unit', 'per_image', '--csv'], env());
    const [header, ...lines] = r.stdout.trim().split('\n');
    expect(header).toBe('route,unit,direction,modality,quality,size,tier,usd,listing,status,sources');
    expect(lines.some((l) => l.startsWith('openai,per_image,output,image,high,1024x1024,,0.036,paid,'))).toBe(true);
    expect(r.stdout).not.toContain('$');
    const bad = await runCliInProcess(['prices', '--model', 'openai/gpt-image-1-mini', '--quality', 'ultra'], env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quality "ultra"/);
  });

  it('history: the planted Vercel output price change $40 → $32 shows in the week it happened', async () => {
    const r = await runCliInProcess(['history', '--model', 'openai/gpt-image-1', '--attribute', 'price', '--route', 'vercel', '--json'], env());
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      weeks: string[];
      series: { qualifiers: Record<string, string>; points: { week: string; value?: { usd: string } }[]; changes: { week: string; from?: { usd: string }; to?: { usd: string }; sources: string[] }[] }[];
    };
    expect(doc.weeks).toEqual(['2026-W16', '2026-W17']);
    const out = doc.series.find((s) => s.qualifiers.unit === 'per_1m_tokens' && s.qualifiers.direction === 'output')!;
    expect(out.points.map((p) => [p.week, p.value?.usd])).toEqual([
      ['2026-W16', '40'],
      ['2026-W17', '32'],
    ]);
    expect(out.changes[1]).toMatchObject({ week: '2026-W17', from: { usd: '40' }, to: { usd: '32' } });
    expect(out.changes[1]!.sources).toEqual(expect.arrayContaining(['vercel-gateway-page']));
    const screen = await runCliInProcess(['history', '--model', 'openai/gpt-image-1', '--route', 'vercel', '--direction', 'output', '--unit', 'per_1m_tokens'], env());
    expect(screen.stdout).toMatch(/█▁\s+\$32/);
    expect(screen.stdout).toMatch(/2026-W17: \$40 → \$32/);
  });

  it('diff: value changes by default, source-only changes on request, filtered by attribute and route', async () => {
    const values = await runCliInProcess(['diff', '2026-W16', '2026-W17', '--json'], env());
    const d = JSON.parse(values.stdout) as { changed: { kind: string; attribute: string; qualifiers: { route?: string } }[]; summary: Record<string, number> };
    expect(d.changed.every((c) => c.kind === 'value')).toBe(true);
    expect(d.summary.changed).toBe(d.changed.length);
    const sources = await runCliInProcess(['diff', '2026-W16', '2026-W17', '--changes', 'sources', '--json'], env());
    const s = JSON.parse(sources.stdout) as { changed: { kind: string }[] };
    expect(s.changed.every((c) => c.kind === 'sources')).toBe(true);
    expect(s.changed.length).toBe(d.summary.sourceChanges);
    const vercel = await runCliInProcess(['diff', '2026-W16', '2026-W17', '--attribute', 'price', '--route', 'vercel', '--json'], env());
    const v = JSON.parse(vercel.stdout) as typeof d;
    expect(v.changed.length).toBeGreaterThan(0);
    expect(v.changed.every((c) => c.attribute === 'price' && c.qualifiers.route === 'vercel')).toBe(true);
    const screen = await runCliInProcess(['diff', '2026-W16', '2026-W17', '--changes', 'all'], env());
    expect(screen.stdout).toMatch(/^2026-W16 → 2026-W17: \d+ value changes \(\d+ added, \d+ removed, \d+ changed\), \d+ changes only in what sources said/);
    expect(screen.stdout).not.toContain('n/a → n/a');
    expect((await runCliInProcess(['diff', '2026-W16', '2026-W17', '--changes', 'some'], env())).code).toBe(2);
  });

  it('--version, runs --id with extraction problems, ISO 8601 UTC timestamps, facts CSV with a column per qualifier', async () => {
    const v = await runCliInProcess(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
    const runs = JSON.parse((await runCliInProcess(['runs', '--json'], env())).stdout) as { id: number; startedAt: string; finishedAt: string; counts: { issues: number } }[];
    for (const r of runs) {
      expect(r.startedAt).toMatch(ISO);
      expect(r.finishedAt).toMatch(ISO);
    }
    const withIssues = runs.find((r) => r.counts.issues > 0)!;
    const one = JSON.parse((await runCliInProcess(['runs', '--id', String(withIssues.id), '--json'], env())).stdout) as {
      startedAt: string;
      sourceStatus: Record<string, { status: string }>;
      issues: { sourceId: string; message: string; url: string }[];
    };
    expect(one.startedAt).toMatch(ISO);
    expect(one.issues.length).toBe(withIssues.counts.issues);
    expect(Object.keys(one.sourceStatus).length).toBeGreaterThan(0);
    const screen = await runCliInProcess(['runs', '--id', String(withIssues.id)], env());
    expect(screen.stdout).toMatch(/extraction problems \(\d+\):/);
    expect((await runCliInProcess(['runs', '--id', '9999'], env())).code).toBe(2);
    const conflicts = JSON.parse((await runCliInProcess(['conflicts', '--format', 'json'], env())).stdout) as { generatedAt: string };
    expect(conflicts.generatedAt).toMatch(ISO);
    const csv = await runCliInProcess(['facts', '--model', 'openai/gpt-image-1-mini', '--attribute', 'price', '--csv'], env());
    const [header, ...lines] = csv.stdout.trim().split('\n');
    expect(header).toBe('model,attribute,route,unit,direction,modality,quality,size,tier,value,status,sources');
    expect(lines).toContainEqual(expect.stringMatching(/^openai\/gpt-image-1-mini,price,openai,per_image,output,image,high,1024x1024,,0\.036,agreed,/));
    expect(csv.stdout).not.toContain('$');
  });
});
