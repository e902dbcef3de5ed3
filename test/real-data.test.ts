/**
 * Real public catalog copies (see /work/shared/real-data/README.md), reached through
 * MODELFACTS_REAL_DATA — never copied into the repository. Without the variable the
 * real-data block reports that it did not run; the folder mapping is still tested on
 * a temporary folder, and the extractors are covered by their own sample tests.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Extraction, Page, SourceModule } from '../extractors/contract.js';
import { litellm } from '../extractors/litellm.js';
import { modelsDev } from '../extractors/models-dev.js';
import { openrouterApi } from '../extractors/openrouter-api.js';
import { DEFAULT_ALIAS_MAP, resolveModel } from '../pipelines/normalize/identity.js';
import { RealDataError, realDataWeekEntries, realDataWeeks } from '../pipelines/fetch/real-data.js';
import { identityReport } from '../pipelines/report/identity-report.js';
import { realDataNames } from '../pipelines/run/real-data-names.js';
import { Observation } from '../schema/observation.js';

const ROOT = process.env.MODELFACTS_REAL_DATA ? resolve(process.env.MODELFACTS_REAL_DATA) : undefined;
const CATALOGS: SourceModule[] = [litellm, openrouterApi, modelsDev];
const sourceFor = (url: string): SourceModule => {
  const s = CATALOGS.find((c) => c.pages?.includes(url));
  if (!s) throw new Error(`no catalog source serves ${url}`);
  return s;
};

describe('realDataWeekEntries (on a temporary folder)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelfacts-real-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps the known copies to the live URLs they stand for', () => {
    const week = join(dir, 'weeks', '2026-W17');
    mkdirSync(week, { recursive: true });
    for (const f of ['litellm.model_prices_and_context_window.json', 'openrouter.api-v1-models.data.json', 'models-dev.api.json', 'notes.txt']) {
      writeFileSync(join(week, f), '{}');
    }
    expect(realDataWeekEntries(week)).toEqual([
      {
        url: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
        file: join(week, 'litellm.model_prices_and_context_window.json'),
        contentType: 'application/json',
      },
      { url: 'https://openrouter.ai/api/v1/models', file: join(week, 'openrouter.api-v1-models.data.json'), contentType: 'application/json' },
      { url: 'https://models.dev/api.json', file: join(week, 'models-dev.api.json'), contentType: 'application/json' },
    ]);
    expect(realDataWeeks(dir)).toEqual([week]);
    // every mapped URL is one a registered catalog source fetches
    for (const e of realDataWeekEntries(week)) expect(sourceFor(e.url).kind).toBe('catalog');
  });

  it('names the folder when none of the known copies is there', () => {
    const empty = join(dir, 'weeks', '2026-W01');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'readme.md'), 'nothing');
    expect(() => realDataWeekEntries(empty)).toThrow(RealDataError);
    expect(() => realDataWeekEntries(empty)).toThrow(empty);
    expect(() => realDataWeekEntries(join(dir, 'nope'))).toThrow(/does not exist/);
  });
});

if (!ROOT) {
  describe('real data', () => {
    it('MODELFACTS_REAL_DATA not set: real-data tests did not run', () => {
      console.warn('MODELFACTS_REAL_DATA not set: real-data tests did not run');
      expect(process.env.MODELFACTS_REAL_DATA).toBeFalsy();
    });
  });
} else {
  const weeks = realDataWeeks(ROOT);
  const page = (url: string, body: string): Page => ({ url, body, contentType: 'application/json', fetchedAt: '2026-04-20T06:00:00Z' });
  type Run = { week: string; source: SourceModule; raw: unknown; extraction: Extraction };
  const runs: Run[] = [];
  const timings: Record<string, number> = {};
  for (const folder of weeks) {
    const week = basename(folder);
    const pages = realDataWeekEntries(folder).map((e) => ({ e, body: readFileSync(e.file, 'utf8') }));
    const t = performance.now();
    for (const { e, body } of pages) {
      const source = sourceFor(e.url);
      runs.push({ week, source, raw: JSON.parse(body), extraction: source.extract(page(e.url, body)) });
    }
    timings[week] = performance.now() - t;
  }
  const runOf = (week: string, id: string) => runs.find((r) => r.week === week && r.source.id === id)!;
  const lastWeek = basename(weeks[weeks.length - 1]!);

  describe(`real data from ${ROOT}`, () => {
    it('has the four weeks of all three catalogs', () => {
      expect(weeks.map((w) => basename(w))).toEqual(['2026-W14', '2026-W15', '2026-W16', '2026-W17']);
      expect(runs).toHaveLength(12);
    });

    it('litellm: every entry but sample_spec yields observations', () => {
      for (const r of runs.filter((x) => x.source.id === 'litellm')) {
        const keys = Object.keys(r.raw as object).filter((k) => k !== 'sample_spec' && k !== 'last_updated');
        expect(keys.length, r.week).toBeGreaterThan(2500);
        const seen = new Set(r.extraction.observations.map((o) => o.locator.slice(0, o.locator.indexOf('"]') + 2)));
        expect(keys.filter((k) => !seen.has(`$[${JSON.stringify(k)}]`)), r.week).toEqual([]);
        expect(seen.has('$["sample_spec"]')).toBe(false);
        expect(r.extraction.statedAsOf?.precision, r.week).toBe('day');
      }
    });

    it('openrouter: every listed model yields observations, none a release date', () => {
      for (const r of runs.filter((x) => x.source.id === 'openrouter-api')) {
        const n = (r.raw as unknown[]).length;
        expect(n, r.week).toBeGreaterThan(330);
        const seen = new Set(r.extraction.observations.map((o) => /^\$\[(\d+)\]/.exec(o.locator)![1]));
        expect(seen.size, r.week).toBe(n);
        expect(r.extraction.observations.some((o) => o.attribute === 'release_date')).toBe(false);
        expect(r.extraction.problems!.filter((p) => /-1/.test(p.message)).length, r.week).toBeGreaterThan(0);
      }
    });

    it('models.dev: every provider listing yields observations', () => {
      for (const r of runs.filter((x) => x.source.id === 'models-dev')) {
        const doc = r.raw as Record<string, { models?: Record<string, unknown> }>;
        const listed = Object.entries(doc).flatMap(([p, v]) => Object.keys(v.models ?? {}).map((m) => `${p}/${m}`));
        expect(listed.length, r.week).toBeGreaterThan(4000);
        const seen = new Set(r.extraction.observations.map((o) => `${o.via}/${o.model}`));
        expect(listed.filter((k) => !seen.has(k)), r.week).toEqual([]);
      }
    });

    it(`${lastWeek}: every observation is schema-valid`, () => {
      for (const r of runs.filter((x) => x.week === lastWeek)) {
        const bad = r.extraction.observations.filter((o) => !Observation.safeParse(o).success);
        expect(bad.slice(0, 3), r.source.id).toEqual([]);
      }
    });

    it('litellm: gpt-image-1-mini per-image prices, low and medium at three sizes, every week', () => {
      for (const w of weeks.map((x) => basename(x))) {
        const got = runOf(w, 'litellm')
          .extraction.observations.filter((o) => o.model === 'gpt-image-1-mini' && o.qualifiers.unit === 'per_image')
          .map((o) => `${o.qualifiers.route} ${o.qualifiers.direction} ${o.qualifiers.quality} ${o.qualifiers.size} ${(o.value as { usd: string }).usd}`)
          .sort();
        expect(got, w).toEqual([
          'openai output low 1024x1024 0.005',
          'openai output low 1024x1536 0.006',
          'openai output low 1536x1024 0.006',
          'openai output medium 1024x1024 0.011',
          'openai output medium 1024x1536 0.015',
          'openai output medium 1536x1024 0.015',
        ]);
      }
    });

    it('litellm: Azure gpt-image-1-mini per-pixel prices carry their size', () => {
      const px = runOf(lastWeek, 'litellm').extraction.observations.filter((o) => o.model === 'azure/gpt-image-1-mini' && o.qualifiers.unit === 'per_pixel');
      expect(px).toHaveLength(9);
      expect(px.every((o) => o.qualifiers.size && o.qualifiers.quality && o.qualifiers.route === 'azure' && o.qualifiers.direction === 'output')).toBe(true);
    });

    it('models.dev 2026-W17: gpt-image-1-mini release date per provider', () => {
      const dates = runOf('2026-W17', 'models-dev')
        .extraction.observations.filter((o) => o.attribute === 'release_date' && /(^|\/)gpt-image-1-mini$/.test(o.model))
        .map((o) => `${o.via} ${(o.value as { date: string }).date}`)
        .sort();
      expect(dates).toEqual(['openai 2025-09-26', 'poe 2025-08-26']);
    });

    it('2026-W17 identity targets: no twin ids, unmatched ≤ 3 % per source, gpt-image-1-mini always resolves', () => {
      const names = realDataNames(weeks.find((w) => basename(w) === '2026-W17')!);
      const resolve = (n: { name: string; creator?: string; host?: string }) => resolveModel(n, DEFAULT_ALIAS_MAP);
      const report = identityReport(names, resolve);
      console.info(
        `[real-data 2026-W17] twins ${report.twins.length}; unmatched ${report.perSource.map((p) => `${p.sourceId} ${p.unmatched}/${p.names}`).join(', ')}; merges ${report.merges.length}`,
      );
      expect(report.twins).toEqual([]);
      for (const p of report.perSource) expect(p.share, p.sourceId).toBeLessThanOrEqual(0.03);
      for (const n of names.filter((x) => /(^|\/)gpt-image-1-mini$/.test(x.name))) expect(resolve(n), n.name).toMatchObject({ modelId: 'openai/gpt-image-1-mini' });
      // every `:free` listing is a free tier of its model, never the model's paid price
      for (const n of names.filter((x) => x.name.endsWith(':free'))) expect(resolve(n), n.name).toMatchObject({ tier: expect.stringMatching(/free/) });
    });

    it('extracted every week (times are printed here; `npm run bench` measures speed)', () => {
      console.info(`[real-data] extract time per week (ms): ${Object.entries(timings).map(([w, t]) => `${w}=${t.toFixed(0)}`).join(' ')}`);
      expect(Object.keys(timings)).toHaveLength(4);
    });
  });
}
