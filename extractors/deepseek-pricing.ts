/**
 * DeepSeek's "Models & Pricing" page (api-docs.deepseek.com/quick_start/pricing):
 * the creator's prices on its own API (route `deepseek`), and the context
 * length and maximum output of each API model.
 *
 * Both tables put the API model names (`deepseek-chat`, `deepseek-reasoner`)
 * in the header and merge cells the models share (colspan). Price rows are
 * "1M INPUT TOKENS (CACHE HIT)" (cache read), "(CACHE MISS)" (input) and
 * "1M OUTPUT TOKENS". When the page has time-of-day prices, a row group
 * (rowspan) says "STANDARD PRICE (UTC 00:30-16:30)" or "DISCOUNT PRICE (UTC
 * 16:30-00:30)": the discount group's prices carry the qualifier
 * `window: 16:30-00:30`; the standard group is the model's base price (no
 * window), as the catalogs state it.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Direction } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { cleanText, excerpt, parseCount, ParseError } from './parse.js';
import { cellLines, CreatorPrices, headingSection, tableGrid, tablesIn } from './price-page.js';

const SOURCE_ID = 'deepseek-pricing';
const HOST = 'api-docs.deepseek.com';
const URL = `https://${HOST}/quick_start/pricing`;
const ROUTE = 'deepseek';
const CREATOR = 'DeepSeek';

const API_ID = /^deepseek-[a-z0-9.-]+$/;
const ROWS: [RegExp, Direction][] = [
  [/input tokens.*cache hit/i, 'cache_read'],
  [/input tokens.*cache miss/i, 'input'],
  [/output tokens/i, 'output'],
];
const WINDOW = /UTC\s*(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})/i;

type Grid = cheerio.Cheerio<AnyNode>[][];

/** Column index → API model name, from the grid row that names the models. */
function modelColumns(grid: Grid): { row: number; columns: Map<number, string> } | undefined {
  for (let r = 0; r < grid.length; r++) {
    const columns = new Map<number, string>();
    grid[r]!.forEach((cell, c) => {
      const t = cleanText(cell.text());
      if (API_ID.test(t)) columns.set(c, t);
    });
    if (columns.size > 0) return { row: r, columns };
  }
  return undefined;
}

function readPrices(out: CreatorPrices, table: cheerio.Cheerio<AnyNode>, page: Page): void {
  const { $ } = out;
  const grid = tableGrid($, table);
  const models = modelColumns(grid);
  if (!models) throw new LayoutError(SOURCE_ID, page.url, 'model names in the price table header');
  for (let r = models.row + 1; r < grid.length; r++) {
    const row = grid[r]!;
    const labelAt = row.findIndex((cell) => ROWS.some(([re]) => re.test(cleanText(cell.text()))));
    if (labelAt < 0) continue;
    const label = cleanText(row[labelAt]!.text());
    const direction = ROWS.find(([re]) => re.test(label))![1];
    const group = row.slice(0, labelAt).map((c) => cleanText(c.text())).join(' ');
    const discount = /discount/i.test(group) ? WINDOW.exec(group) : null;
    if (/discount/i.test(group) && !discount) {
      out.problem(out.locator(row[0]!), 'discount price group without a UTC time window', group);
      continue;
    }
    for (const [c, model] of models.columns) {
      const cell = row[c];
      if (!cell) continue;
      const text = cleanText(cell.text());
      out.price(
        model,
        text,
        { direction, window: discount ? `${discount[1]}-${discount[2]}` : undefined },
        out.locator(cell),
        `${group ? `${group} · ` : ''}${model} · ${label} ${text}`,
      );
    }
  }
}

/** "CONTEXT LENGTH 128K" and "MAX OUTPUT … MAXIMUM: 8K" per model, from the details table. */
function readLimits(out: CreatorPrices, table: cheerio.Cheerio<AnyNode>): void {
  const { $ } = out;
  const grid = tableGrid($, table);
  const models = modelColumns(grid);
  if (!models) return;
  for (const row of grid.slice(models.row + 1)) {
    const label = cleanText(row[0]?.text() ?? '');
    const attribute = /^context length$/i.test(label) ? 'context_window' : /^max output$/i.test(label) ? 'max_output_tokens' : undefined;
    if (!attribute) continue;
    for (const [c, model] of models.columns) {
      const cell = row[c];
      if (!cell) continue;
      const lines = cellLines($, cell);
      // "DEFAULT: 4K / MAXIMUM: 8K": the limit is the maximum
      const text = lines.find((l) => /maximum/i.test(l)) ?? lines.join(' ');
      try {
        out.observations.push({
          model,
          creator: CREATOR,
          attribute,
          value: { kind: 'count', count: parseCount(text.replace(/^[^:]*:\s*/, '')) },
          qualifiers: {},
          locator: out.locator(cell),
          excerpt: excerpt(`${model} · ${label} ${lines.join(' ')}`),
        });
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        out.problem(out.locator(cell), err.message, text);
      }
    }
  }
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  const out = new CreatorPrices($, CREATOR, ROUTE);
  const pricing = headingSection($, main, /^pricing details$/i);
  const tables = pricing ? tablesIn(pricing.body) : undefined;
  if (!tables || tables.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'pricing details table');
  for (const t of tables.toArray()) readPrices(out, $(t), page);
  if (out.observations.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'prices in the pricing details table');
  const details = headingSection($, main, /^model details$/i);
  if (details) for (const t of tablesIn(details.body).toArray()) readLimits(out, $(t));
  return out.result();
}

export const deepseekPricing = {
  id: SOURCE_ID,
  description: "DeepSeek's own Models & Pricing page: API token prices (cache hit/miss, output), off-peak time windows, context length and maximum output",
  kind: 'html',
  fetchMode: 'http',
  hosts: [HOST],
  version: '1',
  authority: 'creator',
  ownRoute: ROUTE,
  requiredAttributes: ['price'],
  pages: [URL],
  extract,
} satisfies SourceModule;
