/**
 * Anthropic's own pricing page (docs.anthropic.com/en/docs/about-claude/pricing):
 * the creator's prices on its own API for every Claude model.
 *
 * Read by headings and column titles, never by position:
 * - "Model pricing": one row per model, columns "Base Input Tokens", "5m Cache
 *   Writes", "1h Cache Writes" (tier ttl_1h, as the catalogs key it), "Cache
 *   Hits & Refreshes", "Output Tokens";
 * - "Batch processing": a table of batch input/output prices (stated, tier batch);
 * - "Long context pricing": a "≤ 200K / > 200K input tokens" table for the
 *   models its paragraph names (tier above_200k). When the page says the
 *   prompt caching multipliers apply to the long context input price, the
 *   long-context cache prices are derived from those multipliers and marked so.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { Direction } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { modelNameOf } from './display-name.js';
import { cleanText } from './parse.js';
import { bandTier, cellLines, contextBand, CreatorPrices, headingSection, readTable, ruleFactor, tablesIn } from './price-page.js';

const SOURCE_ID = 'anthropic-pricing';
const HOST = 'docs.anthropic.com';
const URL = `https://${HOST}/en/docs/about-claude/pricing`;
const ROUTE = 'anthropic';
const CREATOR = 'Anthropic';

interface Column {
  direction: Direction;
  tier?: string;
}

/** Column titles of the model table and the batch table → what they price. */
const COLUMNS: [RegExp, Column][] = [
  [/^base input/i, { direction: 'input' }],
  [/^(?:5\s*m|5-minute)\b.*cache writes?/i, { direction: 'cache_write' }],
  [/^(?:1\s*h|1-hour)\b.*cache writes?/i, { direction: 'cache_write', tier: 'ttl_1h' }],
  [/^cache (?:hits|reads?)/i, { direction: 'cache_read' }],
  [/^output/i, { direction: 'output' }],
  [/^batch input/i, { direction: 'input', tier: 'batch' }],
  [/^batch output/i, { direction: 'output', tier: 'batch' }],
];

/** Prompt caching multipliers as the page lists them: which cache price each line sets. */
const MULTIPLIERS: [RegExp, Column][] = [
  [/5-minute cache write|5m cache write/i, { direction: 'cache_write' }],
  [/1-hour cache write|1h cache write/i, { direction: 'cache_write', tier: 'ttl_1h' }],
  [/cache read|cache hit/i, { direction: 'cache_read' }],
];

function columnOf(header: string): Column | undefined {
  return COLUMNS.find(([re]) => re.test(header))?.[1];
}

/** A "Model | price columns…" table: one observation per priced cell. */
function readModelTable(out: CreatorPrices, table: cheerio.Cheerio<AnyNode>): string[] {
  const { $ } = out;
  const t = readTable($, table);
  const columns = t.headers.map(columnOf);
  const models: string[] = [];
  for (const row of t.rows) {
    const model = modelNameOf($, row.cells[0]!);
    if (!model) continue;
    models.push(model);
    row.cells.forEach((cell, i) => {
      const col = columns[i];
      if (!col) return;
      const text = cleanText(cell.text());
      out.price(model, text, { direction: col.direction, tier: col.tier }, out.locator(cell), `${model} · ${t.headers[i]} ${text}`);
    });
  }
  return models;
}

function readLongContext($: cheerio.CheerioAPI, out: CreatorPrices, main: cheerio.Cheerio<AnyNode>, models: string[], page: Page): void {
  const sec = headingSection($, main, /^long context pricing$/i);
  if (!sec) return;
  const prose = cleanText(sec.body.not('table').text());
  // the models the section is for: those of the model table it names (longest first: "Sonnet 4.5" before "Sonnet 4")
  const named = [...models].sort((a, b) => b.length - a.length);
  const covered = named.filter((m) => new RegExp(`${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![.\\d])`).test(prose));
  const table = tablesIn(sec.body).first();
  if (table.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'long context price table');
  const t = readTable($, table);
  const above: Observation[] = [];
  t.headers.forEach((header, i) => {
    const tier = bandTier(contextBand(header));
    // the base band restates the model table's prices: only the band past the threshold is new
    if (!tier) return;
    for (const row of t.rows) {
      const cell = row.cells[i];
      if (!cell) continue;
      for (const line of cellLines($, cell)) {
        const m = /^(input|output)\s*:\s*(.+)$/i.exec(line);
        if (!m) {
          out.problem(out.locator(cell), 'long context price line without "Input:" or "Output:"', line);
          continue;
        }
        for (const model of covered) {
          const o = out.price(model, m[2]!, { direction: m[1]!.toLowerCase() as Direction, tier }, out.locator(cell), `${model} · ${header} · ${line}`);
          if (o && o.qualifiers.direction === 'input') above.push(o);
        }
      }
    }
  });
  // "the prompt caching multipliers apply to the long context input price": the cache prices past the threshold follow
  const stacking = /caching multipliers apply to the long context input price/i.exec(prose);
  if (!stacking) return;
  const lists = headingSection($, main, /^prompt caching multipliers$/i);
  if (!lists) return;
  for (const li of lists.body.find('li').add(lists.body.filter('li')).toArray()) {
    const line = cleanText($(li).text());
    const target = MULTIPLIERS.find(([re]) => re.test(line))?.[1];
    const factor = ruleFactor(line);
    if (!target || !factor) continue;
    for (const input of above) {
      out.derive(input, factor, `${line}; ${stacking[0]}`, target, out.locator($(li)));
    }
  }
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  if (main.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'main content');
  const out = new CreatorPrices($, CREATOR, ROUTE);

  const pricing = headingSection($, main, /^model pricing$/i);
  const modelTable = pricing ? tablesIn(pricing.body).first() : undefined;
  if (!modelTable || modelTable.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model pricing table');
  const headers = readTable($, modelTable).headers;
  if (!headers.some((h) => columnOf(h)?.direction === 'input') || !headers.some((h) => columnOf(h)?.direction === 'output')) {
    throw new LayoutError(SOURCE_ID, page.url, 'input and output columns of the model pricing table');
  }
  const models = readModelTable(out, modelTable);
  if (out.observations.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'prices in the model pricing table');

  const batch = headingSection($, main, /^batch processing$/i);
  const batchTable = batch ? tablesIn(batch.body).first() : undefined;
  if (batchTable && batchTable.length > 0) readModelTable(out, batchTable);

  readLongContext($, out, main, models, page);
  return out.result();
}

export const anthropicPricing = {
  id: SOURCE_ID,
  description: "Anthropic's own pricing page: Claude API token prices, prompt caching (5-minute, 1-hour, reads), batch and long-context tiers",
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
