/**
 * Mistral AI's pricing page (mistral.ai/pricing, section "API pricing"): the
 * creator's prices on La Plateforme (route `mistral`).
 *
 * Models are cards grouped by family ("Premier models", "Open models"); each
 * card has the display name as its heading, the API endpoint name in a <code>
 * (preferred: `codestral-latest` is what the catalogs list, "Codestral" is not)
 * and Input/Output pairs in a <dl>. A currency switch shows USD or EUR; the
 * USD figure is read (money is USD throughout). A note states the Batch API
 * discount as a rule: batch prices are derived from it and marked so.
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { Direction } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { modelNameOf } from './display-name.js';
import { cleanText, parseUnit } from './parse.js';
import { CreatorPrices, headingSection, ruleFactor } from './price-page.js';

const SOURCE_ID = 'mistral-pricing';
const HOST = 'mistral.ai';
const URL = `https://${HOST}/pricing`;
const ROUTE = 'mistral';
const CREATOR = 'Mistral AI';

const API_ID = /^[a-z][a-z0-9.-]*[a-z0-9]$/;
const LABELS: [RegExp, Direction][] = [
  [/^input$/i, 'input'],
  [/^output$/i, 'output'],
  [/^cached input|cache read/i, 'cache_read'],
];

/** The card around a price list: the nearest ancestor that also holds a heading. */
function cardOf($: cheerio.CheerioAPI, dl: cheerio.Cheerio<AnyNode>): cheerio.Cheerio<AnyNode> {
  let el = dl.parent();
  while (el.length > 0 && el.find('h2, h3, h4').length === 0) el = el.parent();
  return el;
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const main = $('main').first();
  const api = headingSection($, main, /^api pricing$/i);
  if (!api) throw new LayoutError(SOURCE_ID, page.url, 'API pricing section');
  const scope = api.heading.parent();
  const out = new CreatorPrices($, CREATOR, ROUTE);
  const stated: Observation[] = [];
  const lists = scope.find('dl').toArray();
  if (lists.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model price lists in the API pricing section');
  for (const d of lists) {
    const dl = $(d);
    const card = cardOf($, dl);
    const heading = card.find('h2, h3, h4').last();
    const code = card
      .find('code')
      .toArray()
      .map((c) => cleanText($(c).text()))
      .find((t) => API_ID.test(t));
    const model = code ?? modelNameOf($, heading);
    for (const dt of dl.find('dt').toArray()) {
      const label = cleanText($(dt).text());
      const direction = LABELS.find(([re]) => re.test(label))?.[1];
      if (!direction) continue;
      const dd = $(dt).next('dd');
      const usd = dd.find('[data-currency="usd"]');
      const amount = cleanText((usd.length > 0 ? usd : dd).text());
      const unit = parseUnit(cleanText(dd.text())) ?? parseUnit(cleanText(api.body.filter('p').text()));
      if (!unit) {
        out.problem(out.locator(dd), 'price without a unit', cleanText(dd.text()));
        continue;
      }
      const o = out.price(model, amount, { direction, unit }, out.locator(dd), `${modelNameOf($, heading)} (${model}) · ${label} ${cleanText(dd.text().replace(/€\S+/g, ''))}`);
      if (o) stated.push(o);
    }
  }
  if (stated.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'prices in the API pricing section');
  // "Batch API: ... a 50% discount on the prices above": a rule, not a price list
  const note = scope
    .find('p')
    .toArray()
    .map((p) => $(p))
    .find((p) => /batch api/i.test(p.text()) && ruleFactor(p.text()) !== undefined);
  if (note) {
    const rule = cleanText(note.text());
    for (const o of stated) out.derive(o, ruleFactor(rule)!, rule, { tier: 'batch' }, out.locator(note));
  }
  return out.result();
}

export const mistralPricing = {
  id: SOURCE_ID,
  description: "Mistral AI's own pricing page: La Plateforme token prices per model (USD), batch discount as a rule",
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
