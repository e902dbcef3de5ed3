/**
 * Exports, prices and diff on the real catalog weeks (MODELFACTS_REAL_DATA):
 * each export loaded by its consumer's code, the LiteLLM export a superset of
 * that week's LiteLLM map, paid routes before $0 listings, and a W16 → W17
 * diff that lists only value changes by default.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { calcPrice, updatePrices, waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { modelFromJSON } from '@openrouter/sdk/models';
import { fetchModels, getModelMeta } from '@tokenlens/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../cli/export-command.js';
import { runRefresh } from '../cli/run-commands.js';
import { freshDb, type TestDb } from './helpers/db.js';
import { runCliInProcess } from './helpers/in-process-cli.js';
import { serveDocuments } from './helpers/serve-file.js';

const ROOT = process.env.MODELFACTS_REAL_DATA ? resolve(process.env.MODELFACTS_REAL_DATA) : undefined;
const WEEKS = ['2026-W16', '2026-W17'];

describe('exports on the real weeks', () => {
  it('reports whether it ran', () => {
    if (!ROOT) console.warn('MODELFACTS_REAL_DATA not set: the real-week export tests did not run');
    expect(ROOT === undefined || WEEKS.every((w) => readFileSync(join(ROOT, 'weeks', w, 'models-dev.api.json')).length > 0)).toBe(true);
  });

  describe.runIf(ROOT)('with MODELFACTS_REAL_DATA', () => {
    let t: TestDb;
    const env = () => ({ DATABASE_URL: t.url });
    beforeAll(async () => {
      t = await freshDb('postgres');
      for (const w of WEEKS) expect((await runRefresh(t.database, { replay: join(ROOT!, 'weeks', w), events: {} })).status).toBe('ok');
    }, 600_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('litellm: at least as many entries as that week’s LiteLLM map, every stored key kept', async () => {
      for (const week of WEEKS) {
        const { text, summary } = await runExport(t.database.db, { format: 'litellm', asOf: week });
        const map = JSON.parse(readFileSync(join(ROOT!, 'weeks', week, 'litellm.model_prices_and_context_window.json'), 'utf8')) as object;
        const out = JSON.parse(text) as object;
        expect(Object.keys(out).length).toBeGreaterThanOrEqual(Object.keys(map).length);
        expect(Object.keys(out)).toEqual(expect.arrayContaining(Object.keys(map)));
        expect(summary.valuesChanged).toBeGreaterThan(0);
      }
    });

    it('models-dev and genai-prices load in their consumers’ code; openrouter entries parse with its SDK', async () => {
      const md = await runExport(t.database.db, { format: 'models-dev' });
      const gp = await runExport(t.database.db, { format: 'genai-prices' });
      const server = await serveDocuments({ '/api.json': md.text, '/data.json': gp.text });
      try {
        const catalog = await fetchModels({ baseUrl: server.url('/api.json') });
        expect(getModelMeta(catalog, 'openai', 'gpt-4o')?.cost).toMatchObject({ input: 2.5, output: 10 });
        updatePrices(({ setProviderData }) => {
          setProviderData(fetch(server.url('/data.json')).then(async (r) => (await r.json()) as Provider[]));
        });
        await waitForUpdate();
        expect(calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'gpt-4o', { providerId: 'openai' })?.input_price).toBe(2.5);
      } finally {
        updatePrices(({ setProviderData }) => setProviderData(null));
        await server.close();
      }
      const or = JSON.parse((await runExport(t.database.db, { format: 'openrouter' })).text) as { data: { id: string }[] };
      expect(or.data.length).toBeGreaterThan(200);
      const bad = or.data.filter((m) => !modelFromJSON(JSON.stringify(m)).ok).map((m) => m.id);
      expect(bad).toEqual([]);
    });

    it('prices: gpt-4o input tokens sorted by price list paid routes first, $0 listings marked after them', async () => {
      const r = await runCliInProcess(['prices', '--model', 'openai/gpt-4o', '--direction', 'input', '--sort', 'price', '--json'], env());
      const rows = JSON.parse(r.stdout) as { usd?: string; listing?: string; qualifiers: { route?: string } }[];
      const kinds = rows.map((x) => x.listing ?? 'none');
      const firstFree = kinds.findIndex((k) => k !== 'paid');
      expect(kinds[0]).toBe('paid');
      expect(kinds.slice(firstFree).every((k) => k !== 'paid')).toBe(true);
      expect(rows.find((x) => x.qualifiers.route === 'github-copilot')?.listing).toBe('subscription');
      const paid = rows.filter((x) => x.listing === 'paid').map((x) => Number(x.usd));
      expect(paid).toEqual([...paid].sort((a, b) => a - b));
    });

    it('diff 2026-W16 2026-W17 lists only value changes by default, each old → new with sources', async () => {
      const r = await runCliInProcess(['diff', '2026-W16', '2026-W17', '--json'], env());
      const d = JSON.parse(r.stdout) as {
        changed: { kind: string; before: { value?: unknown; sources: string[] }; after: { value?: unknown; sources: string[] } }[];
        summary: { changed: number; sourceChanges: number };
      };
      expect(d.changed.length).toBe(d.summary.changed);
      expect(d.summary.sourceChanges).toBeGreaterThan(0);
      for (const c of d.changed) {
        expect(c.kind).toBe('value');
        expect(JSON.stringify(c.before.value)).not.toBe(JSON.stringify(c.after.value));
        expect(c.after.sources.length + c.before.sources.length).toBeGreaterThan(0);
      }
      const screen = await runCliInProcess(['diff', '2026-W16', '2026-W17'], env());
      expect(screen.stdout).not.toContain('n/a → n/a');
      const changedLines = screen.stdout.split('\n').filter((l) => l.startsWith('~ '));
      expect(changedLines.length).toBe(d.summary.changed);
      for (const l of changedLines) expect(l).toMatch(/: .+ → .+ \(.+\)$/);
    });
  });
});
