/**
 * The review app end to end in the system Chromium (Playwright), on the
 * bundled replay weeks in a fresh Postgres database: the queue filtered to
 * gpt-image-1-mini, accept, override with a note, reject one source's claim,
 * bulk-defer three with confirmation, a keyboard shortcut; then the CLI
 * (`facts`, `decisions --json`) sees them; a refresh of the next week keeps
 * them and re-opens the one whose candidates changed. Steps run in order.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRefresh } from '../cli/run-commands.js';
import { SOURCES } from '../extractors/registry.js';
import { openDatabase, type Database } from '../pipelines/store/db.js';
import { startReviewServer, type RunningServer } from '../review/server.js';
import { facts } from '../schema/tables.js';
import { freshDb, type TestDb } from './helpers/db.js';
import { runCliInProcess, saveEnv } from './helpers/in-process-cli.js';
import { MINI } from './reconcile.helpers.js';
import { plantCandidate } from './helpers/plant.js';

const W16 = 'fixtures/replay/2026-W16';
const W17 = 'fixtures/replay/2026-W17';
const NO_BROWSER = SOURCES.filter((s) => s.fetchMode !== 'browser').map((s) => s.id);
const CHROMIUM = process.env.MODELFACTS_CHROMIUM ?? '/usr/bin/chromium';
const quiet = { events: {} };

let test: TestDb;
let database: Database;
let server: RunningServer;
let browser: Browser;
let page: Page;
const restoreEnv = saveEnv('DATABASE_URL');

beforeAll(async () => {
  test = await freshDb('postgres');
  process.env.DATABASE_URL = test.url;
  database = await openDatabase({ url: test.url });
  const r = await runRefresh(database, { replay: W16, source: NO_BROWSER, ...quiet });
  expect(r.status).toBe('ok');
  server = await startReviewServer({ database, by: 'Ada Reviewer', host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await database?.close();
  await test?.drop();
  restoreEnv();
});

const item = (factKey: string) => page.locator(`section.item[data-fact="${factKey}"]`);
const keys = async () => page.locator('section.item').evaluateAll((els) => els.map((e) => e.getAttribute('data-fact')!));
const cli = (args: string[]) => runCliInProcess(args, { DATABASE_URL: test.url });

interface CliFact {
  attribute: string;
  qualifiers: Record<string, string>;
  status: string;
  factKey?: string;
}

describe('reviewing gpt-image-1-mini in the browser', () => {
  let queued: string[] = [];
  const picked: Record<string, string> = {};

  it('opens the queue and filters by model', async () => {
    await page.goto(`${server.url}/`);
    await expect(page.title()).resolves.toMatch(/Review queue/);
    await page.fill('#f-model', MINI);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/model=openai%2Fgpt-image-1-mini/);
    queued = await keys();
    expect(queued.length).toBeGreaterThanOrEqual(7);
    expect(queued.every((k) => k.startsWith(`${MINI}|`))).toBe(true);
    // the majority vote and the rule in words are shown for each
    expect(await (page.locator('section.item p.majority').first()).innerText()).toContain('Majority vote would choose');
  });

  it('accepts a candidate (the release date)', async () => {
    picked.accept = queued.find((k) => k.includes('|release_date|'))!;
    expect(picked.accept).toBeDefined();
    await item(picked.accept).locator('button.accept').first().click();
    await page.waitForLoadState('load');
    // decided: it leaves the open queue
    expect(await keys()).not.toContain(picked.accept);
  });

  it('overrides another with a note (the licence)', async () => {
    picked.override = queued.find((k) => k.includes('|license|'))!;
    const it = item(picked.override);
    await it.locator('form.act-override input[name=value]').fill('Proprietary:conditional');
    await it.locator('form.act-override input[name=note]').fill("OpenAI's terms allow it under conditions");
    await it.locator('form.act-override button').click();
    await page.waitForLoadState('load');
    expect(await keys()).not.toContain(picked.override);
  });

  it("rejects one source's claim", async () => {
    const left = await keys();
    // a fact with at least two sources' claims, so the rest can decide
    let target: string | undefined;
    for (const k of left) {
      const options = await item(k).locator('form.act-reject select option').allTextContents();
      if (options.length >= 2) {
        target = k;
        break;
      }
    }
    expect(target).toBeDefined();
    picked.reject = target!;
    const form = item(target!).locator('form.act-reject');
    const source = (await form.locator('select option').allTextContents())[0]!;
    picked.rejectSource = source;
    await form.locator('select').selectOption(source);
    await form.locator('input[name=note]').fill('this catalog lists a stale price here');
    await form.locator('button').click();
    await page.waitForLoadState('load');
  });

  it('bulk-defers three, after a confirmation step', async () => {
    const left = (await keys()).filter((k) => k !== picked.reject);
    // keep one with a chosen value for the keyboard step
    let reserved: string | undefined;
    for (const k of left) if (!reserved && (await item(k).locator('button.default-accept').count()) > 0) reserved = k;
    expect(reserved).toBeDefined();
    const three = left.filter((k) => k !== reserved).slice(0, 3);
    expect(three).toHaveLength(3);
    picked.defer = three.join('\n');
    for (const k of three) await item(k).locator('input.pick').check();
    expect((await (page.locator('#picked')).innerText()).trim()).toBe('3');
    await page.click('form.bulk button[type=submit]');
    await page.waitForLoadState('load');
    expect(await (page.locator('h1')).innerText()).toContain('Confirm: defer 3 conflicts');
    // nothing is decided until confirmed
    const before = JSON.parse((await cli(['decisions', '--json'])).stdout) as unknown[];
    expect(before).toHaveLength(3);
    await page.click('#confirm-bulk');
    await page.waitForLoadState('load');
    const now = await keys();
    for (const k of three) expect(now).not.toContain(k);
  });

  it('uses a keyboard shortcut: j moves to the next conflict, a accepts its chosen value', async () => {
    const left = (await keys()).filter((k) => k !== picked.reject);
    const withChoice: string[] = [];
    for (const k of left) if ((await item(k).locator('button.default-accept').count()) > 0) withChoice.push(k);
    expect(withChoice.length).toBeGreaterThan(0);
    const target = withChoice[0]!;
    picked.keyboard = target;
    const index = (await keys()).indexOf(target);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    for (let i = 0; i <= index; i++) await page.keyboard.press('j');
    expect(await (item(target)).getAttribute('class')).toMatch(/current/);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('a')]);
    expect(await keys()).not.toContain(target);
  });

  it('the CLI: facts read reviewed, decisions --json lists every action in order', async () => {
    const r = await cli(['facts', '--model', MINI, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = JSON.parse(r.stdout) as CliFact[];
    const status = (key: string) => {
      const [, attribute, q] = key.split('|');
      const f = list.find((x) => x.attribute === attribute && Object.entries(x.qualifiers).map(([k, v]) => `${k}=${v}`).sort().join(';') === (q ?? '').split(';').filter(Boolean).sort().join(';'));
      return f?.status;
    };
    expect(status(picked.accept!)).toBe('reviewed');
    expect(status(picked.override!)).toBe('reviewed');
    expect(status(picked.keyboard!)).toBe('reviewed');
    expect(['reviewed', 'needs-review']).toContain(status(picked.reject!));

    const d = await cli(['decisions', '--json']);
    expect(d.code, d.stderr).toBe(0);
    const log = JSON.parse(d.stdout) as { id: number; action: string; factKey: string; by: string; note: string; candidates: unknown[]; sourceId: string | null }[];
    expect(log.map((x) => x.action)).toEqual(['accept', 'override', 'reject', 'defer', 'defer', 'defer', 'accept']);
    expect(log.map((x) => x.factKey)).toEqual([picked.accept, picked.override, picked.reject, ...picked.defer!.split('\n'), picked.keyboard]);
    expect(log.every((x) => x.by === 'Ada Reviewer' && x.candidates.length > 0)).toBe(true);
    expect(log[1]!.note).toBe("OpenAI's terms allow it under conditions");
    expect(log[2]!.sourceId).toBe(picked.rejectSource!.split(':')[0]);
    expect(log.map((x) => x.id)).toEqual([...log.map((x) => x.id)].sort((a, b) => a - b));
  });

  it('a refresh of the next week keeps the decisions; the changed release date is re-opened, visible in the queue', async () => {
    const r = await runRefresh(database, { replay: W17, source: NO_BROWSER, ...quiet });
    expect(r.status).toBe('ok');
    const reopened = r.reopened.map((x) => x.factKey);
    // models.dev adds a vercel listing of the release date in W17: different candidates than reviewed
    expect(reopened).toContain(picked.accept);
    expect(reopened).not.toContain(picked.override);
    const f = JSON.parse((await cli(['facts', '--model', MINI, '--attribute', 'license', '--json'])).stdout) as CliFact[];
    expect(f[0]!.status).toBe('reviewed');

    await page.goto(`${server.url}/?model=${encodeURIComponent(MINI)}`);
    expect(await (page.locator('h1')).innerText()).toContain('2026-W17');
    const entry = item(picked.accept!);
    expect(await (entry).count()).toBe(1);
    expect((await (entry.locator('.badge.state-reopened')).innerText()).trim()).toBe('re-opened');
    expect(await (entry.locator('p.reason')).innerText()).toContain('candidates changed since review');
    expect(await keys()).not.toContain(picked.override);
    // the decision history keeps every decision on it
    const id = await entry.getAttribute('data-conflict');
    await page.goto(`${server.url}/conflicts/${id}`);
    expect(await (page.locator('table.decisions tbody tr')).count()).toBe(1);
  });
});

describe('security', () => {
  const PLANTS = {
    excerpt: '<script>window.__pwned = 1</script>',
    via: '"><img src=x onerror="window.__pwned = 2">',
    url: 'javascript:window.__pwned = 3',
  };

  it('planted <script>, "><img onerror> and javascript: URLs in scraped values never run nor link', async () => {
    // a scraped page said these things: put them in one conflict's candidates as stored
    const [row] = await database.db
      .select()
      .from(facts)
      .where(and(eq(facts.modelId, MINI), eq(facts.attribute, 'release_date'), isNull(facts.validTo)));
    await plantCandidate(database.db, row!.id, 0, { excerpt: PLANTS.excerpt, via: PLANTS.via, url: PLANTS.url });

    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const modelUrl = `${server.url}/models/${MINI}`;
    const queueUrl = `${server.url}/?model=${encodeURIComponent(MINI)}&state=all`;
    await page.goto(queueUrl);
    const planted = await item(`${MINI}|release_date|`).getAttribute('data-conflict');
    // every page that shows the candidates: the queue, the conflict's own page, the model page
    for (const url of [queueUrl, `${server.url}/conflicts/${planted}`, modelUrl]) {
      await page.goto(url);
      expect(await (page.locator('body')).innerText()).toContain(PLANTS.excerpt);
      expect(await (page.locator('body')).innerText()).toContain(PLANTS.via.slice(2));
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
      expect(await page.locator('img[onerror], script:not([src])').count()).toBe(0);
      expect((await (page.locator('.bad-url').first()).innerText()).trim()).toBe(PLANTS.url);
    }
    // and the pages around them (log, runs, models list) run nothing either
    for (const path of ['/decisions', '/runs', '/models']) {
      await page.goto(`${server.url}${path}`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script:not([src]), [onerror]').count()).toBe(0);
    }
    expect(dialogs).toEqual([]);
  });

  it('every page carries a CSP allowing only its own scripts and styles', async () => {
    const res = await fetch(`${server.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
  });

  it('a POST without the CSRF token gets 403, and nothing is recorded; GET never acts', async () => {
    const before = (JSON.parse((await cli(['decisions', '--json'])).stdout) as unknown[]).length;
    await page.goto(`${server.url}/?state=all`);
    const id = await page.locator('section.item').first().getAttribute('data-conflict');
    const post = (body: string, cookie?: string) =>
      fetch(`${server.url}/conflicts/${id}/decide`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
        body,
        redirect: 'manual',
      });
    expect((await post('action=defer')).status).toBe(403);
    expect((await post('action=defer&_csrf=' + 'a'.repeat(64))).status).toBe(403);
    expect((await post('action=defer&_csrf=' + 'a'.repeat(64), `mf_csrf=${'b'.repeat(64)}`)).status).toBe(403);
    expect((await fetch(`${server.url}/bulk`, { method: 'POST', body: 'action=defer&ids=1&confirm=yes', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(403);
    expect((await fetch(`${server.url}/conflicts/${id}/decide?action=defer`)).status).toBe(404);
    const after = (JSON.parse((await cli(['decisions', '--json'])).stdout) as unknown[]).length;
    expect(after).toBe(before);
  });

  it('`serve --host 0.0.0.0` without a token exits 2; with one, requests need it', async () => {
    const r = await runCliInProcess(['serve', '--host', '0.0.0.0', '--port', '0'], { MODELFACTS_TOKEN: undefined, DATABASE_URL: test.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a token/);
    const guarded = await startReviewServer({ database, by: 'Ada Reviewer', host: '127.0.0.1', port: 0, token: 's3cret-token' });
    try {
      expect((await fetch(`${guarded.url}/`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/?token=wrong-token`)).status).toBe(401);
      expect((await fetch(`${guarded.url}/`, { headers: { authorization: 'Bearer s3cret-token' } })).status).toBe(200);
      const login = await fetch(`${guarded.url}/?token=s3cret-token`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${guarded.url}/`, { headers: { cookie } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});

describe('the same actions from the CLI', () => {
  it('resolve --defer / --equivalent / --reject-source, each superseding the last; the reviewer defaults to the login name without $USER', async () => {
    const report = JSON.parse((await cli(['conflicts', '--json', '--model', MINI])).stdout) as {
      models: { attributes: { attribute: string; facts: { conflict: { id: number } | null; candidates: { sourceId: string; via: string | null }[] }[] }[] }[];
    };
    // not the release date, whose stored candidates the security test planted
    const fact = report.models[0]!.attributes
      .filter((a) => a.attribute !== 'release_date')
      .flatMap((a) => a.facts)
      .find((f) => f.conflict && new Set(f.candidates.map((c) => c.sourceId)).size >= 2)!;
    const id = String(fact.conflict!.id);
    const noName = { USER: undefined, LOGNAME: undefined, MODELFACTS_REVIEWER: undefined };
    const deferred = await runCliInProcess(['resolve', id, '--defer', '--json'], { ...noName, DATABASE_URL: test.url });
    expect(deferred.code, deferred.stderr).toBe(0);
    expect(JSON.parse(deferred.stdout).by).toBe((await import('node:os')).userInfo().username);
    const noNote = await cli(['resolve', id, '--reject-source', fact.candidates[0]!.sourceId, '--by', 'ada']);
    expect(noNote.code).toBe(2);
    expect(noNote.stderr).toMatch(/needs --note/);
    const two = await cli(['resolve', id, '--value', '1', '--defer', '--by', 'ada']);
    expect(two.code).toBe(2);
    const c = fact.candidates[0]!;
    const rejected = await cli(['resolve', id, '--reject-source', c.via ? `${c.sourceId}:${c.via}` : c.sourceId, '--note', 'wrong here', '--by', 'ada', '--json']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(JSON.parse(rejected.stdout)).toMatchObject({ action: 'reject', sourceId: c.sourceId, rejected: [expect.objectContaining({ sourceId: c.sourceId, by: 'ada' })] });
    const eq = await cli(['resolve', id, '--equivalent', '--by', 'ada', '--json']);
    expect(eq.code, eq.stderr).toBe(0);
    expect(JSON.parse(eq.stdout).fact.status).toBe('reviewed');
    const log = JSON.parse((await cli(['decisions', '--conflict', id, '--json'])).stdout) as { id: number; action: string; supersedes: number | null }[];
    expect(log.slice(-3).map((d) => d.action)).toEqual(['defer', 'reject', 'equivalent']);
    for (let i = 1; i < log.length; i++) expect(log[i]!.supersedes).toBe(log[i - 1]!.id);
    const text = await cli(['decisions', '--conflict', id]);
    expect(text.stdout).toMatch(/equivalent/);
  });
});
