/**
 * Google's Gemini Developer API pricing page (ai.google.dev/gemini-api/docs/pricing):
 * the creator's prices on its own API (route `google`), one section per model.
 *
 * Each section is an h2 with the model's name, usually followed by its API id
 * in a <code> (preferred over the display name), then a tier switch (tabs
 * "Standard", "Batch", ...) whose panels hold a table or a rule. Tables have a
 * "Free Tier" and a "Paid Tier, per 1M tokens" (or "per Image") column; only
 * the paid tier is a price. A paid cell can hold several lines:
 * - "$1.25, prompts <= 200k tokens" / "$2.50, prompts > 200k tokens" → tier above_200k;
 * - "$0.30 (text / image / video)" / "$1.00 (audio)" → one price per modality;
 * - "$0.039 per image" → a per-image output price;
 * - "$4.50 / 1,000,000 tokens per hour (storage price)" is a storage rent, not a
 *   token price: the schema has no unit for it, so it is left out on purpose.
 * A panel that states a rule instead of a table ("billed at a 50% discount from
 * the Standard price") yields the Standard input/output prices times the rule's
 * factor, marked derived.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { Direction, Modality } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { modelNameOf, rawModelName } from './display-name.js';
import { cleanText, parseDate, parseModalities, parseUnit, ParseError } from './parse.js';
import { bandTier, cellLines, contextBand, CreatorPrices, readTable, ruleFactor, tablesIn } from './price-page.js';

const SOURCE_ID = 'google-gemini-pricing';
const HOST = 'ai.google.dev';
const URL = `https://${HOST}/gemini-api/docs/pricing`;
const ROUTE = 'google';
const CREATOR = 'Google';

const API_ID = /^[a-z][a-z0-9.-]*[a-z0-9]$/;

/** Row labels of a paid-tier table → what the row prices. */
const ROWS: [RegExp, Direction][] = [
  [/^input price/i, 'input'],
  [/^output price/i, 'output'],
  [/^context caching price/i, 'cache_read'],
];

/** "Imagen 4 Fast image price" → the model "Imagen 4 Fast"; Google calls the base model's row "Standard". */
const IMAGE_ROW = /^(.+?)\s+image price$/i;

/** Tab label → tier word; the Standard tab is the untiered price. */
function tierOfTab(label: string): string | undefined {
  const t = cleanText(label).toLowerCase();
  return t === 'standard' || t === '' ? undefined : t.replace(/[^a-z0-9]+/g, '_');
}

/** "(text / image / video)" → [image, text, video]; undefined when the line names no modality. */
function lineModalities(line: string): Modality[] | undefined {
  const m = /\(([^)]*)\)/.exec(line);
  if (!m) return undefined;
  try {
    const found = parseModalities(m[1]!).filter((x): x is Modality => ['text', 'image', 'audio', 'video'].includes(x));
    return found.length > 0 ? found : undefined;
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

function readPaidTable(out: CreatorPrices, model: string, table: cheerio.Cheerio<AnyNode>, tier: string | undefined): Observation[] {
  const { $ } = out;
  const t = readTable($, table);
  const paid = t.headers.findIndex((h) => /paid tier/i.test(h));
  if (paid < 0) return [];
  const unit = parseUnit(t.headers[paid]!) ?? 'per_1m_tokens';
  const stated: Observation[] = [];
  for (const row of t.rows) {
    const label = cleanText(row.cells[0]?.text() ?? '');
    const cell = row.cells[paid];
    if (!cell) continue;
    const image = IMAGE_ROW.exec(label);
    const direction = image ? 'output' : ROWS.find(([re]) => re.test(label))?.[1];
    if (!direction) continue;
    const rowModel = image ? rawModelName(image[1]!).replace(/\s+standard$/i, '') : model;
    for (const line of cellLines($, cell)) {
      if (!/\$/.test(line)) continue;
      if (/per hour|storage/i.test(line)) continue;
      // the modality list "(text / image / video)" is not a unit: read the unit without it
      const amount = line.replace(/\([^)]*\)/g, '');
      const perImage = image !== null || parseUnit(amount) === 'per_image';
      const band = contextBand(line);
      const modalities: (Modality | undefined)[] = perImage ? ['image'] : (lineModalities(line) ?? [undefined]);
      for (const modality of modalities) {
        const o = out.price(
          rowModel,
          amount,
          { direction, unit: perImage ? 'per_image' : unit, modality, tier: [bandTier(band), tier].filter(Boolean).join('_') || undefined },
          out.locator(cell),
          `${rowModel} · ${t.headers[paid]} · ${label}: ${line}`,
        );
        if (o) stated.push(o);
      }
    }
  }
  return stated;
}

/** The API id a section states (`gemini-2.5-flash-lite`), else its heading's display name. */
function sectionModel($: cheerio.CheerioAPI, heading: cheerio.Cheerio<AnyNode>, body: cheerio.Cheerio<AnyNode>): string {
  const code = body
    .find('code')
    .add(body.filter('code'))
    .toArray()
    .map((c) => cleanText($(c).text()))
    .find((t) => API_ID.test(t));
  return code ?? modelNameOf($, heading);
}

function readSection(out: CreatorPrices, heading: cheerio.Cheerio<AnyNode>): number {
  const { $ } = out;
  // a section runs from its h2 to the next one
  const body = heading.nextUntil('h2');
  const model = sectionModel($, heading, body);
  const panels = body.find('[role="tabpanel"]').add(body.filter('[role="tabpanel"]'));
  const before = out.observations.length;
  if (panels.length === 0) {
    for (const table of tablesIn(body).toArray()) readPaidTable(out, model, $(table), undefined);
    return out.observations.length - before;
  }
  const standard: Observation[] = [];
  const rules: { tier: string; text: string; el: cheerio.Cheerio<AnyNode> }[] = [];
  for (const p of panels.toArray()) {
    const panel = $(p);
    const id = panel.attr('id');
    const tab = id ? body.find(`[role="tab"][aria-controls="${id}"]`) : undefined;
    const tier = tierOfTab(tab && tab.length > 0 ? tab.text() : (panel.attr('data-tier') ?? ''));
    const tables = tablesIn(panel.children());
    if (tables.length > 0) {
      for (const table of tables.toArray()) {
        const got = readPaidTable(out, model, $(table), tier);
        if (!tier) standard.push(...got);
      }
    } else if (tier) rules.push({ tier, text: cleanText(panel.text()), el: panel });
  }
  for (const rule of rules) {
    const factor = ruleFactor(rule.text);
    if (!factor) {
      out.problem(out.locator(rule.el), `the ${rule.tier} tab states neither prices nor a rule`, rule.text);
      continue;
    }
    for (const o of standard) {
      if (o.qualifiers.direction !== 'input' && o.qualifiers.direction !== 'output') continue;
      out.derive(o, factor, rule.text, { tier: rule.tier }, out.locator(rule.el));
    }
  }
  return out.observations.length - before;
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  if (main.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'main content');
  const out = new CreatorPrices($, CREATOR, ROUTE);
  const headings = main.find('h2').toArray();
  // the model sections are those whose h2 is followed by a paid-tier price table
  const priced = headings.filter((h) => tablesIn($(h).nextUntil('h2')).toArray().some((t) => /paid tier/i.test($(t).find('th').text())));
  if (priced.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model price tables (a "Paid Tier" column)');
  for (const h of priced) readSection(out, $(h));
  if (out.observations.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'prices in the model price tables');
  const updated = /last updated\s+([0-9]{4}-[0-9]{2}-[0-9]{2})/i.exec(cleanText(main.text()));
  return out.result(updated ? parseDate(updated[1]!) : undefined);
}

export const googleGeminiPricing = {
  id: SOURCE_ID,
  description: "Google's Gemini Developer API pricing page: per-model token prices by prompt-size tier and modality, context caching, batch, per-image prices",
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
