/**
 * OpenAI's pricing page (platform.openai.com/docs/pricing): every model's
 * price on OpenAI's own API on one page, beside the per-model docs pages
 * (openai-docs). Same route (`openai`), same authority.
 *
 * Read by section headings:
 * - "Text tokens": a tier switch (tabs Batch, Flex, Standard, Priority), each
 *   panel a "Model | Input | Cached input | Output" table per 1M tokens. The
 *   Standard tab is the untiered price; the others are tiers batch/flex/priority.
 * - "Image tokens": the same columns for image tokens (modality image). A model
 *   listed there has its text-token prices keyed as modality text, since the
 *   page splits its prices by modality; other models' token prices have none.
 * - "Image generation": "Model | Quality | <size> …" tables, the model cell
 *   spanning its quality rows: per-image output prices by quality and size.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Direction } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { modelNameOf } from './display-name.js';
import { cleanText, parseQuality, parseSize, ParseError, SIZE_RE } from './parse.js';
import { CreatorPrices, headingSection, readTable, tableGrid, tablesIn } from './price-page.js';

const SOURCE_ID = 'openai-pricing';
const HOST = 'platform.openai.com';
const URL = `https://${HOST}/docs/pricing`;
const ROUTE = 'openai';
const CREATOR = 'OpenAI';

const COLUMNS: [RegExp, Direction][] = [
  [/^cached input$/i, 'cache_read'],
  [/^input$/i, 'input'],
  [/^output$/i, 'output'],
];

function tierOfTab(label: string): string | undefined {
  const t = cleanText(label).toLowerCase();
  return t === 'standard' ? undefined : t.replace(/[^a-z0-9]+/g, '_');
}

/** A "Model | Input | Cached input | Output" table. */
function readTokenTable(out: CreatorPrices, table: cheerio.Cheerio<AnyNode>, q: { tier?: string; modality?: (model: string) => 'text' | 'image' | undefined }, where: string): string[] {
  const { $ } = out;
  const t = readTable($, table);
  const columns = t.headers.map((h) => COLUMNS.find(([re]) => re.test(h))?.[1]);
  const models: string[] = [];
  for (const row of t.rows) {
    const model = modelNameOf($, row.cells[0]!);
    if (!model) continue;
    models.push(model);
    row.cells.forEach((cell, i) => {
      const direction = columns[i];
      if (!direction) return;
      const text = cleanText(cell.text());
      out.price(model, text, { direction, modality: q.modality?.(model), tier: q.tier }, out.locator(cell), `${where} · ${model} · ${t.headers[i]} ${text}`);
    });
  }
  return models;
}

/** "Model | Quality | 1024 x 1024 | …" with the model cell spanning its quality rows. */
function readImageTable(out: CreatorPrices, table: cheerio.Cheerio<AnyNode>): void {
  const { $ } = out;
  const grid = tableGrid($, table);
  const header = (grid[0] ?? []).map((c) => cleanText(c.text()));
  const qualityCol = header.findIndex((h) => /^quality$/i.test(h));
  for (const row of grid.slice(1)) {
    const model = modelNameOf($, row[0]!);
    const qualityText = cleanText(row[qualityCol]?.text() ?? '');
    let quality: ReturnType<typeof parseQuality>;
    try {
      quality = parseQuality(qualityText);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      out.problem(out.locator(row[0]!), err.message, qualityText);
      continue;
    }
    header.forEach((h, i) => {
      if (!SIZE_RE.test(h) || !row[i]) return;
      const text = cleanText(row[i]!.text());
      out.price(model, text, { direction: 'output', modality: 'image', unit: 'per_image', quality, size: parseSize(h) }, out.locator(row[i]!), `Image generation · ${model} · ${qualityText} · ${h} ${text}`);
    });
  }
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  const out = new CreatorPrices($, CREATOR, ROUTE);
  const text = headingSection($, main, /^text tokens$/i);
  if (!text) throw new LayoutError(SOURCE_ID, page.url, 'text tokens section');

  // image tokens first: which models the page splits by modality
  const image = headingSection($, main, /^image tokens$/i);
  const split = new Set<string>();
  if (image) for (const t of tablesIn(image.body).toArray()) for (const m of readTokenTable(out, $(t), { modality: () => 'image' }, 'Image tokens')) split.add(m);
  const modality = (m: string) => (split.has(m) ? ('text' as const) : undefined);

  const panels = text.body.filter('[role="tabpanel"]').add(text.body.find('[role="tabpanel"]'));
  if (panels.length === 0) {
    for (const t of tablesIn(text.body).toArray()) readTokenTable(out, $(t), { modality }, 'Text tokens');
  }
  for (const p of panels.toArray()) {
    const id = $(p).attr('id');
    const tab = id ? main.find(`[role="tab"][aria-controls="${id}"]`).first() : undefined;
    if (!tab || tab.length === 0) throw new LayoutError(SOURCE_ID, page.url, `tab of the text tokens panel ${id ?? '(no id)'}`);
    const label = cleanText(tab.text());
    for (const t of tablesIn($(p).children()).toArray()) readTokenTable(out, $(t), { modality, tier: tierOfTab(label) }, `Text tokens · ${label}`);
  }
  if (!out.observations.some((o) => o.qualifiers.modality !== 'image')) throw new LayoutError(SOURCE_ID, page.url, 'prices in the text tokens section');

  const gen = headingSection($, main, /^image generation$/i);
  if (gen) for (const t of tablesIn(gen.body).toArray()) readImageTable(out, $(t));
  return out.result();
}

export const openaiPricing = {
  id: SOURCE_ID,
  description: "OpenAI's pricing page: every model's token prices per processing tier (standard, batch, flex, priority) and per-image prices by quality and size",
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
