/**
 * Screenshots of the review app in the system Chromium, for looking at by eye:
 * the queue's first page, a model page and one price-history chart (the first
 * with a changed price). Reads DATABASE_URL (a loaded database); writes PNGs.
 * Usage: DATABASE_URL=postgres://… node --import tsx bench/review-shots.ts <out dir> [model id]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright';
import { openDatabase } from '../pipelines/store/db.js';
import { startReviewServer } from '../review/server.js';

const [outArg, modelArg] = process.argv.slice(2);
if (!outArg || !process.env.DATABASE_URL) {
  console.error('usage: DATABASE_URL=postgres://… node --import tsx bench/review-shots.ts <out dir> [model id]');
  process.exit(2);
}
const out = resolve(outArg);
const modelId = modelArg ?? 'moonshot/kimi-k2.5';
mkdirSync(out, { recursive: true });

const database = await openDatabase();
const server = await startReviewServer({ database, by: 'screenshots', host: '127.0.0.1', port: 0 });
const browser = await chromium.launch({ executablePath: process.env.MODELFACTS_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  await page.goto(`${server.url}/`);
  // the second item current, as after pressing j twice
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(out, 'queue.png') });

  await page.goto(`${server.url}/models/${modelId}`);
  await page.screenshot({ path: join(out, 'model-page.png') });

  const chart = page.locator('figure.chart', { has: page.locator('circle.change') }).first();
  const target = (await chart.count()) > 0 ? chart : page.locator('figure.chart').first();
  await target.scrollIntoViewIfNeeded();
  await target.screenshot({ path: join(out, 'price-history.png') });
  console.log(`wrote queue.png, model-page.png (${modelId}) and price-history.png to ${out}`);
} finally {
  await browser.close();
  await server.close();
  await database.close();
}
