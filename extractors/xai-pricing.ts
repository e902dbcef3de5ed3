/**
 * xAI's "Models and Pricing" page (docs.x.ai/docs/models): the creator's
 * prices on its own API (route `xai`) and each model's context window.
 *
 * One table, "Model | Modalities | Capabilities | Context | Rate limits |
 * Pricing [in (cached in) / out]", split by group rows ("Language models · Per
 * million tokens", "Image generation models · Per image output") that set the
 * unit of the rows below them. A token price cell reads "$3.00 ($0.75) /
 * $15.00": input, cached input, output. The model cell holds the API id (a
 * link) and its aliases, which are not read. A footnote marked on a model
 * ("requests whose input exceeds 128K tokens are billed at 2x …") is a rule:
 * that model's long-context prices are derived from it (tier above_128k).
 * The page has a cluster switch (us-east-1 / eu-west-1) with the same prices;
 * the selected cluster's table is what is served.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { PriceUnit } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { modelNameOf } from './display-name.js';
import { cleanText, excerpt, parseCount, parseUnit, ParseError } from './parse.js';
import { bandTier, contextBand, CreatorPrices, headingSection, readTable, ruleFactor, tablesIn } from './price-page.js';

const SOURCE_ID = 'xai-pricing';
const HOST = 'docs.x.ai';
const URL = `https://${HOST}/docs/models`;
const ROUTE = 'xai';
const CREATOR = 'xAI';

const TOKEN_CELL = /^(\$\s*[\d.]+)\s*(?:\(\s*(\$\s*[\d.]+)\s*\))?\s*\/\s*(\$\s*[\d.]+)$/;

function modelOf($: cheerio.CheerioAPI, cell: cheerio.Cheerio<AnyNode>): string {
  const link = cell.find('a').first();
  if (link.length > 0) return cleanText(link.text());
  const copy = cell.clone();
  copy.find('.aliases').remove();
  return modelNameOf($, copy);
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  const sec = headingSection($, main, /^model pricing$/i);
  const table = sec ? tablesIn(sec.body).first() : undefined;
  if (!sec || !table || table.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model pricing table');
  const t = readTable($, table);
  const priceCol = t.headers.findIndex((h) => /^pricing/i.test(h));
  const contextCol = t.headers.findIndex((h) => /^context/i.test(h));
  if (priceCol < 0) throw new LayoutError(SOURCE_ID, page.url, 'pricing column of the model pricing table');
  const out = new CreatorPrices($, CREATOR, ROUTE);
  const marked: { model: string; obs: Observation[] }[] = [];
  let unit: PriceUnit | undefined;
  for (const row of t.rows) {
    if (row.cells.length === 1) {
      // a group row: its unit applies to the rows below
      unit = parseUnit(cleanText(row.cells[0]!.text())) ?? (/per image/i.test(row.cells[0]!.text()) ? 'per_image' : undefined);
      continue;
    }
    const model = modelOf($, row.cells[0]!);
    const cell = row.cells[priceCol];
    if (!model || !cell) continue;
    const text = cleanText(cell.text());
    const context = `${model} · ${t.headers[priceCol]} ${text}`;
    const got: Observation[] = [];
    const rowUnit = parseUnit(text) ?? unit;
    if (rowUnit === 'per_image') {
      const o = out.price(model, text, { direction: 'output', modality: 'image', unit: 'per_image' }, out.locator(cell), context);
      if (o) got.push(o);
    } else {
      const m = TOKEN_CELL.exec(text);
      if (!m || !rowUnit) {
        out.problem(out.locator(cell), 'token price not in the "in (cached in) / out" form', text);
        continue;
      }
      for (const [amount, direction] of [[m[1], 'input'], [m[2], 'cache_read'], [m[3], 'output']] as const) {
        if (!amount) continue;
        const o = out.price(model, amount, { direction, unit: rowUnit }, out.locator(cell), context);
        if (o) got.push(o);
      }
    }
    if (row.cells[0]!.find('sup').length > 0) marked.push({ model, obs: got });
    const ctx = contextCol >= 0 ? row.cells[contextCol] : undefined;
    const ctxText = ctx ? cleanText(ctx.text()) : '';
    if (ctx && /\d/.test(ctxText)) {
      try {
        out.observations.push({
          model,
          creator: CREATOR,
          attribute: 'context_window',
          value: { kind: 'count', count: parseCount(ctxText) },
          qualifiers: {},
          locator: out.locator(ctx),
          excerpt: excerpt(`${model} · Context ${ctxText}`),
        });
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
        out.problem(out.locator(ctx), err.message, ctxText);
      }
    }
  }
  if (!out.observations.some((o) => o.attribute === 'price')) throw new LayoutError(SOURCE_ID, page.url, 'prices in the model pricing table');
  // footnotes for marked models: "<model>: requests whose input exceeds 128K tokens are billed at 2x …"
  for (const p of sec.body.filter('p').add(sec.body.find('p')).toArray()) {
    const note = cleanText($(p).text()).replace(/^\*\s*/, '');
    const factor = ruleFactor(note);
    const tier = bandTier(contextBand(note));
    if (!factor || !tier) continue;
    for (const { model, obs } of marked) {
      if (!note.includes(model)) continue;
      for (const o of obs) if (o.qualifiers.direction === 'input' || o.qualifiers.direction === 'output') out.derive(o, factor, note, { tier }, out.locator($(p)));
    }
  }
  return out.result();
}

export const xaiPricing = {
  id: SOURCE_ID,
  description: "xAI's own Models and Pricing page: Grok API token prices (input, cached input, output), per-image prices, context windows, long-context rule",
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
