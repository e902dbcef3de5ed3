/**
 * The HTML conflict report, opened in Chromium: the gpt-image-1-mini
 * conflicts are visible, tables sort on header click, statuses differ by
 * label and colour, and hostile scraped text stays text. The database is
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
import { escapeHtml, renderHtml } from '../cli/report-html.js';
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

afterAll(async () => {
  await browser?.close();
  restoreEnv();
  if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const model = () => page.locator('section.model', { has: page.locator('h2', { hasText: MINI }) }).first();
const article = (attribute: string) => model().locator(`article[data-attribute="${attribute}"]`);

describe('escaping (the rendered text)', () => {
  it('escapeHtml escapes text and attribute metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
  });

  it('the file is self-contained, carries one script (ours) and the planted strings only escaped', () => {
    const text = readFileSync(file, 'utf8');
    // the CLI wrote what the pure renderer makes of the same data (only the generation time differs)
    const untimed = (html: string) => html.replace(/Generated \S+ from/, 'Generated (time) from');
    expect(untimed(text)).toBe(untimed(renderHtml(report)));
    expect(text.match(/<script/g)).toHaveLength(1);
    expect(text).not.toContain('<script>alert');
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &quot;double&quot; &#39;single&#39; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(text).not.toContain('onmouseover="');
    expect(text).not.toMatch(/href="javascript:/i);
    expect(text).not.toMatch(/<(?:link|img|iframe|object|embed)\b/i);
    expect(text).not.toMatch(/\bsrc=/i);
    expect(text).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
  });
});

describe('the report in Chromium', () => {
  it('makes no requests besides the file and runs no script from data', async () => {
    expect(requests).toEqual([pathToFileURL(file).toString()]);
    await page.mouse.move(10, 10);
    await page.locator('.flag', { hasText: 'onmouseover' }).hover();
    expect(dialogs).toEqual([]);
    const scripts = await page.evaluate(() => Array.from(document.querySelectorAll('script'), (s) => s.textContent ?? ''));
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toContain('sortBy');
    const handlers = await page.evaluate(() =>
      Array.from(document.querySelectorAll('*')).flatMap((el) => el.getAttributeNames().filter((n: string) => n.startsWith('on'))),
    );
    expect(handlers).toEqual([]);
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
  });

  it('shows the planted script, quotes and URL as text', async () => {
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

    const prices = model().locator('article[data-attribute="price"]', { hasText: 'anttisahla' });
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
    const table = page.locator('#overview');
    const header = table.locator('thead th', { hasText: 'Confidence' });
    const column = async () => (await table.locator('tbody tr td:nth-child(6)').allInnerTexts()).map(Number);
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
    const names = await table.locator('tbody tr td:nth-child(1)').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)));

    const cands = article('license').locator('table.candidates');
    const first = async () => (await cands.locator('tbody tr td:first-child').allInnerTexts()).map((s) => s.trim());
    const start = await first();
    await cands.locator('thead th', { hasText: 'Source' }).click();
    await cands.locator('thead th', { hasText: 'Source' }).click();
    expect(await first()).toEqual([...start].reverse());
  });
});
