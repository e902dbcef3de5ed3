/**
 * The HTML conflict report, opened in Chromium: a compact table of the facts,
 * each fact's details opened on demand from the embedded JSON; the
 * gpt-image-1-mini conflicts are visible, the finder filters, tables sort on
 * header click, statuses differ by label and colour, and hostile scraped text
 * stays text (in the markup, in the JSON block and in the opened details). The database is
 * the bundled W16 + W17 replay, with hostile strings planted in one fact's
 * candidates (as a compromised page could make an extractor store them).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { and, eq, isNull } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml, scriptJson } from '../cli/report-html.js';
import { runRefresh } from '../cli/run-commands.js';
import { buildConflictReport, type ConflictReport } from '../pipelines/report/conflicts.js';
import { openDatabase } from '../pipelines/store/db.js';
import { CHROMIUM_ARGS, findChromium } from '../pipelines/fetch/browser.js';
import type { Candidate } from '../schema/fact.js';
import { facts } from '../schema/tables.js';
import { freshPgliteDir } from './helpers/db.js';
import { runCliInProcess as cli, saveEnv } from './helpers/in-process-cli.js';
import { MINI } from './reconcile.helpers.js';
import { plantCandidate } from './helpers/plant.js';

const EXCERPT = `Licence: <script>alert("x")</script> "double" 'single' & <b>bold</b>`;
const FLAG = `evil" onmouseover="alert('flag')`;
const BAD_URL = 'javascript:alert("url")';

let dataDir: string;
let outDir: string;
let file: string;
let report: ConflictReport;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const requests: string[] = [];
const restoreEnv = saveEnv('DATABASE_URL', 'MODELFACTS_DATA_DIR');

beforeAll(async () => {
  delete process.env.DATABASE_URL;
  dataDir = freshPgliteDir();
  process.env.MODELFACTS_DATA_DIR = dataDir;
  outDir = mkdtempSync(join(tmpdir(), 'modelfacts-report-'));
  file = join(outDir, 'conflicts.html');

  const database = await openDatabase({ url: '', dataDir });
  try {
    await runRefresh(database, { replay: 'fixtures/replay/2026-W16' });
    await runRefresh(database, { replay: 'fixtures/replay/2026-W17' });
    // plant hostile strings in the licence fact's candidates
    const where = and(eq(facts.factKey, `${MINI}|license|`), isNull(facts.validTo));
    const [row] = await database.db.select().from(facts).where(where);
    const candidates = row!.candidates as Candidate[];
    const llmStats = candidates.findIndex((c) => c.provenance.sourceId === 'llm-stats');
    // a flag name no reconcile rule makes: the report must escape whatever the database holds
    await plantCandidate(database.db, row!.id, llmStats, { excerpt: EXCERPT, flags: [...candidates[llmStats]!.flags, FLAG] });
    await plantCandidate(database.db, row!.id, candidates.findIndex((c) => c.provenance.sourceId === 'llmreference-model'), { url: BAD_URL });
    report = await buildConflictReport(database.db, {});
  } finally {
    await database.close();
  }

  const r = await cli(['conflicts', '--format', 'html', '--out', file]);
  expect(r.code, r.stderr).toBe(0);

  browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(pathToFileURL(file).toString());
}, 180_000);

/** The embedded details, as the page's script reads them. */
function dataBlock(text: string): { s: string[]; f: { k: (number | number[] | string)[][] }[] } {
  const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(text);
  expect(m, 'the JSON block').not.toBeNull();
  return JSON.parse(m![1]!);
}

afterAll(async () => {
  await browser?.close();
  restoreEnv();
  if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/** The opened details of gpt-image-1-mini's facts (the model filter and "open the shown" open them). */
const article = (attribute: string) =>
  page.locator(`tr.detail:not([hidden]) article.fact[data-attribute="${attribute}"]`, { has: page.locator('header .model', { hasText: new RegExp(`^${MINI}$`) }) });
const openMini = async () => {
  await page.goto(`${pathToFileURL(file).toString()}#model-${MINI}`);
  await page.click('#find-open');
};

describe('escaping (the rendered text)', () => {
  it('escapeHtml escapes text and attribute metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('the file is self-contained, carries one script (ours) and a JSON block, the planted strings only escaped', () => {
    const text = readFileSync(file, 'utf8');
    // the CLI wrote what the pure renderer makes of the same data (only the generation time differs)
    const untimed = (html: string) => html.replace(/Generated \S+ from/, 'Generated (time) from');
    expect(untimed(text)).toBe(untimed(renderHtml(report)));
    expect(text.match(/<script/g)).toHaveLength(2);
    expect(text.match(/<script type="application\/json" id="report-data">/g)).toHaveLength(1);
    expect(text).not.toContain('<script>alert');
    expect(text).not.toContain('<b>bold');
    // the JSON block holds the planted excerpt verbatim once parsed, with no markup character left raw in the file
    const data = dataBlock(text);
    expect(data.f.flatMap((f) => f.k.map((k) => k[5]))).toContain(EXCERPT);
    expect(data.s).toContain(FLAG);
    expect(data.s).toContain(BAD_URL);
    expect(text).toContain('\\u003cscript\\u003ealert(\\"x\\")\\u003c/script\\u003e');
    expect(text).not.toContain('onmouseover="');
    expect(text).not.toMatch(/href="javascript:/i);
    expect(text).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(text).not.toMatch(/\bsrc=/i);
    expect(text).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  });

  it('scriptJson leaves nothing that can end a script block or start markup', () => {
    const hostile = { a: '</script><script>alert(1)</script>', b: '<!-- & -->', c: 'line\u2028sep\u2029' };
    const out = scriptJson(hostile);
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual(hostile);
  });
});

describe('the report in Chromium', () => {
  it('opens compact: one table row per fact, no details until asked', async () => {
    const rows = page.locator('#overview > tbody > tr');
    expect(await rows.count()).toBe(report.summary.listed);
    expect(await page.locator('tr.detail').count()).toBe(0);
    expect(await page.locator('#find-shown').innerText()).toBe(String(report.summary.listed));
  });

  it('opens a fact from its row and from its #f address, and closes it again', async () => {
    const row = page.locator('#overview tbody tr[data-attribute="license"]', { has: page.locator('td:first-child', { hasText: new RegExp(`^${MINI}$`) }) });
    await row.locator('button.open').click();
    expect(await row.locator('button.open').getAttribute('aria-expanded')).toBe('true');
    const detail = page.locator('tr.detail article.fact[data-attribute="license"]');
    expect(await detail.locator('p.chosen').innerText()).toMatch(/Chosen:/);
    await row.locator('button.open').click();
    expect(await page.locator('tr.detail').count()).toBe(0);
    const id = await row.getAttribute('id');
    await page.goto(`${pathToFileURL(file).toString()}#${id}`);
    expect(await page.locator(`tr.detail#d${id!.slice(1)} article.fact`).count()).toBe(1);
  });

  it('finds facts by words, status and model', async () => {
    await page.goto(pathToFileURL(file).toString());
    await page.fill('#find-q', 'llm-stats.com/models/gpt-image-1-mini');
    const shown = Number(await page.locator('#find-shown').innerText());
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(report.summary.listed);
    const visible = await page.locator('#overview > tbody > tr[data-i]:not([hidden]) > td:first-child').allInnerTexts();
    expect(new Set(visible)).toEqual(new Set([MINI]));
    await page.fill('#find-q', '');
    await page.selectOption('#find-status', 'needs-review');
    const statuses = await page.locator('#overview > tbody > tr[data-i]:not([hidden])').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')));
    expect(statuses.length).toBe(report.summary.byStatus['needs-review']);
    expect(new Set(statuses)).toEqual(new Set(['needs-review']));
    await page.click('#find-reset');
    await openMini();
    const models = await page.locator('#overview > tbody > tr[data-i]:not([hidden]) > td:first-child').allInnerTexts();
    expect(models.length).toBe(report.summary.byModel.find((m) => m.modelId === MINI)!.listed);
    expect(new Set(models)).toEqual(new Set([MINI]));
    expect(await page.locator('tr.detail:not([hidden])').count()).toBe(models.length);
  });

  it('makes no requests besides the file and runs no script from data, with every detail open', async () => {
    await page.goto(pathToFileURL(file).toString());
    await page.click('#find-open');
    expect(await page.locator('tr.detail').count()).toBe(report.summary.listed);
    expect(new Set(requests)).toEqual(new Set([pathToFileURL(file).toString()]));
    await page.mouse.move(10, 10);
    await page.locator('.flag', { hasText: 'onmouseover' }).first().hover();
    expect(dialogs).toEqual([]);
    const scripts = await page.evaluate(() => Array.from(document.querySelectorAll('script'), (s) => ({ type: s.type, text: s.textContent ?? '' })));
    expect(scripts).toHaveLength(2);
    expect(scripts[0]!.type).toBe('application/json');
    expect(scripts[1]!.text).toContain('sortBy');
    const handlers = await page.evaluate(() =>
      Array.from(document.querySelectorAll('*')).flatMap((el) => el.getAttributeNames().filter((n: string) => n.startsWith('on'))),
    );
    expect(handlers).toEqual([]);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('img, iframe').count()).toBe(0);
  });

  it('shows the planted script, quotes and URL as text', async () => {
    await openMini();
    const lic = article('license');
    await expect.poll(() => lic.locator('td.excerpt').allTextContents()).toContain(EXCERPT);
    expect(await lic.locator('.flag', { hasText: 'onmouseover' }).textContent()).toBe(FLAG);
    expect(await lic.locator('td.link').allTextContents()).toContain(BAD_URL);
  });

  it('shows the gpt-image-1-mini conflicts: licence needs review, with each candidate’s source and URL', async () => {
    const lic = article('license');
    expect(await lic.isVisible()).toBe(true);
    const head = await lic.locator('header').innerText();
    expect(head).toContain('needs-review');
    expect(head).toContain('license');
    expect(head).toMatch(/conflict #\d+\s+open/);
    const sources = await lic.locator('tbody tr td:first-child').allInnerTexts();
    expect(sources.join(' ')).toContain('llm-stats');
    expect(sources.join(' ')).toContain('llmreference-model');
    expect(await lic.locator('a[href="https://llm-stats.com/models/gpt-image-1-mini"]').count()).toBe(1);

    const date = article('release_date');
    const dateText = await date.innerText();
    expect(dateText).toContain('auto-resolved');
    expect(dateText).toContain('2025-10-06');
    expect(dateText).toContain('likely-placeholder');
    expect(dateText).toContain('January 2025');

    const prices = page.locator('tr.detail:not([hidden]) article.fact[data-attribute="price"]', { hasText: 'anttisahla' });
    expect(await prices.count()).toBe(3);
    const low = prices.filter({ hasText: '$0.004' });
    expect(await low.innerText()).toMatch(/needs-review[\s\S]*\$0\.005/);
  });

  it('tells statuses apart by label and colour, not colour alone', async () => {
    const styles = await page.evaluate(() =>
      ['agreed', 'single-source', 'auto-resolved', 'needs-review', 'reviewed'].map((s) => {
        const el = document.querySelector(`.counts .badge[data-status="${s}"]`)!;
        const cs = getComputedStyle(el);
        return { s, text: el.textContent ?? '', bg: cs.backgroundColor, color: cs.color };
      }),
    );
    for (const st of styles) expect(st.text).toContain(st.s);
    expect(new Set(styles.map((x) => x.bg)).size).toBe(5);
    expect(new Set(styles.map((x) => x.text)).size).toBe(5);
    const borders = await page.evaluate(() =>
      ['auto-resolved', 'needs-review'].map((s) => {
        const cs = getComputedStyle(document.querySelector(`article.fact[data-status="${s}"]`)!);
        return `${cs.borderLeftStyle} ${cs.borderLeftColor}`;
      }),
    );
    expect(borders[0]).not.toBe(borders[1]);
  });

  it('sorts a table when a header is clicked, and reverses on a second click', async () => {
    await page.goto(pathToFileURL(file).toString());
    const table = page.locator('#overview');
    const header = table.locator('thead th', { hasText: 'Confidence' });
    const column = async () => (await table.locator(':scope > tbody > tr > td:nth-child(6)').allInnerTexts()).map(Number);
    const before = await column();
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const up = await column();
    expect(up).toEqual([...before].sort((a, b) => a - b));
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await column()).toEqual([...before].sort((a, b) => b - a));

    const models = table.locator('thead th', { hasText: 'Model' });
    await models.click();
    const names = await table.locator(':scope > tbody > tr > td:nth-child(1)').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));

    // an open fact's details stay under their row through a sort, and its candidates sort too
    await openMini();
    await table.locator('thead th', { hasText: 'Confidence' }).click();
    const order = await table.locator(':scope > tbody > tr').evaluateAll((rs) => rs.map((r) => (r.classList.contains('detail') ? `d${r.id.slice(1)}` : `f${r.getAttribute('data-i')}`)));
    order.forEach((x, i) => {
      if (x.startsWith('d')) expect(order[i - 1]).toBe(`f${x.slice(1)}`);
    });
    const cands = article('license').locator('table.candidates');
    const first = async () => (await cands.locator('tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());
    const start = await first();
    await cands.locator('thead th', { hasText: 'Source' }).click();
    await cands.locator('thead th', { hasText: 'Source' }).click();
    expect(await first()).toEqual([...start].reverse());
  });
});
