/**
 * Vercel AI Gateway model pages (vercel.com/ai-gateway/models/<slug>): the
 * gateway's own prices for its route, per upstream provider.
 *
 * The providers/pricing table is rendered in the browser from a JSON call the
 * page makes; the HTML an HTTP client receives holds only an empty container.
 * This module therefore reads the RENDERED DOM (fetchMode 'browser') and
 * fails loudly when the table is absent rather than reporting no prices.
 * Columns are found by their headers ("Input / 1M", "Cache Read / 1M",
 * "Per Image"...), never by position.
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { PriceUnit, Qualifiers } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { cssPath } from './dom.js';
import { pageLinks } from './links.js';
import { readOrReport } from './read-part.js';
import { cleanText, excerpt, isAbsent, parseCount, parsePrice, parseUnit } from './parse.js';

const SOURCE_ID = 'vercel-gateway-page';
const HOST = 'vercel.com';
/** Every price on this page is the gateway's own route. */
const ROUTE = 'vercel';

/** Everything this module knows about the page's markup, in one place. */
const SEL = {
  title: 'main h1',
  creatorLink: 'a[href*="creator="]',
  tags: 'li',
  codeSample: 'pre',
  tables: 'table',
  headerCells: 'thead th, thead td',
  bodyRows: 'tbody tr',
} as const;

const MODEL_ID = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._:-]*$/;
const MODEL_PATH = /^\/ai-gateway\/models\/([a-z0-9][a-z0-9._-]*)\/?$/i;

/** Capability tags that state a modality ("Image Gen" = the model outputs images). */
const TAG_MODALITIES: { re: RegExp; side: 'input' | 'output'; modality: Modality }[] = [
  { re: /^image\s*gen(?:eration)?$/i, side: 'output', modality: 'image' },
  { re: /^video\s*gen(?:eration)?$/i, side: 'output', modality: 'video' },
  { re: /^(?:vision|image\s*input)$/i, side: 'input', modality: 'image' },
];

type Problems = NonNullable<Extraction['problems']>;
type Direction = NonNullable<Qualifiers['direction']>;
type Modality = NonNullable<Qualifiers['modality']>;

type Column =
  | { kind: 'provider' }
  | { kind: 'context' }
  | { kind: 'price'; unit: PriceUnit | undefined; direction: Direction; modality?: Modality }
  | { kind: 'other' };

/** What a header cell means: a provider, a context size, a price (with direction and unit) or something else. */
function column(header: string): Column {
  if (/^provider$/i.test(header)) return { kind: 'provider' };
  if (/^context/i.test(header)) return { kind: 'context' };
  const unit = parseUnit(header);
  if (/per\s+image|\/\s*image/i.test(header)) return { kind: 'price', unit, direction: 'output', modality: 'image' };
  if (/cache\s*read|cached\s*input/i.test(header)) return { kind: 'price', unit, direction: 'cache_read' };
  if (/cache\s*write/i.test(header)) return { kind: 'price', unit, direction: 'cache_write' };
  if (/^input\b/i.test(header)) return { kind: 'price', unit, direction: 'input' };
  if (/^output\b/i.test(header)) return { kind: 'price', unit, direction: 'output' };
  return { kind: 'other' };
}

/** The model id the page states under its title, else the one in its code sample. */
function modelId($: cheerio.CheerioAPI, hero: cheerio.Cheerio<Element>): { id: string; locator: string; text: string } | undefined {
  const stated = hero
    .find('*')
    .filter((_, el) => $(el).children().length === 0 && MODEL_ID.test(cleanText($(el).text())))
    .first();
  if (stated.length > 0) {
    const id = cleanText(stated.text());
    return { id, locator: cssPath($, stated.get(0)!), text: id };
  }
  for (const pre of $(SEL.codeSample).toArray()) {
    const m = /\bmodel\s*:\s*['"]([^'"]+)['"]/.exec($(pre).text());
    if (m && MODEL_ID.test(m[1]!)) return { id: m[1]!, locator: `${cssPath($, pre)} (code sample)`, text: m[0] };
  }
  return undefined;
}

/** The table whose headers name a provider column and at least one price column. */
function providersTable($: cheerio.CheerioAPI): { table: cheerio.Cheerio<Element>; columns: { header: string; col: Column }[] } | undefined {
  for (const t of $(SEL.tables).toArray()) {
    const columns = $(t)
      .find(SEL.headerCells)
      .toArray()
      .map((th) => {
        const header = cleanText($(th).text());
        return { header, col: column(header) };
      });
    if (columns.some((c) => c.col.kind === 'provider') && columns.some((c) => c.col.kind === 'price')) return { table: $(t), columns };
  }
  return undefined;
}

function readStaticFacts($: cheerio.CheerioAPI, hero: cheerio.Cheerio<Element>, model: string, creator: string | undefined, out: Observation[]): void {
  const byCreator = creator ? { creator } : {};
  const sides: Record<'input' | 'output', { items: Set<string>; tags: string[]; locator: string }> = {
    input: { items: new Set(), tags: [], locator: '' },
    output: { items: new Set(), tags: [], locator: '' },
  };
  for (const li of hero.find(SEL.tags).toArray()) {
    const tag = cleanText($(li).text());
    for (const t of TAG_MODALITIES.filter((x) => x.re.test(tag))) {
      const side = sides[t.side];
      side.items.add(t.modality);
      side.tags.push(tag);
      side.locator ||= cssPath($, li);
    }
  }
  for (const [side, s] of Object.entries(sides) as ['input' | 'output', (typeof sides)['input']][]) {
    if (s.items.size === 0) continue;
    out.push({
      model,
      ...byCreator,
      attribute: side === 'input' ? 'input_modalities' : 'output_modalities',
      value: { kind: 'list', items: [...s.items].sort() },
      qualifiers: {},
      locator: s.locator,
      excerpt: excerpt(`Capability tag: ${s.tags.join(', ')}`),
    });
  }
}

function readProvidersTable($: cheerio.CheerioAPI, page: Page, model: string, creator: string | undefined, out: Observation[], problems: Problems): void {
  const found = providersTable($);
  if (!found) throw new LayoutError(SOURCE_ID, page.url, 'providers pricing table');
  const { table, columns } = found;
  const byCreator = creator ? { creator } : {};
  const tableLocator = cssPath($, table.get(0)!);
  const providerCol = columns.findIndex((c) => c.col.kind === 'provider');
  const rows = table.find(SEL.bodyRows).toArray();
  if (rows.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'providers pricing table rows');

  rows.forEach((tr, r) => {
    const cells = $(tr).children('td, th').toArray();
    const providerCell = $(cells[providerCol]);
    // the copyable slug is how the gateway names the provider; the display name is the fallback
    const via = cleanText(providerCell.find('code').first().text()) || cleanText(providerCell.text());
    const rowLocator = `${tableLocator} > tbody > tr:nth-of-type(${r + 1})`;
    columns.forEach(({ header, col }, c) => {
      const text = cleanText($(cells[c]).text());
      if (col.kind !== 'price' && col.kind !== 'context') return;
      if (isAbsent(text)) return;
      const locator = `${rowLocator} > td:nth-of-type(${c + 1}) [${header}]`;
      const quote = excerpt(`${cleanText(providerCell.text())} · ${header}: ${text}`);
      readOrReport(problems, locator, quote, () => {
        if (col.kind === 'context') {
          const count = parseCount(text);
          out.push({
            model,
            ...byCreator,
            attribute: 'context_window',
            // a context of 0 on an image model's row means "does not apply", not zero tokens
            value: count === 0 ? { kind: 'not_applicable', stated: text } : { kind: 'count', count },
            qualifiers: {},
            locator,
            excerpt: quote,
            via,
          });
          return;
        }
        const { usd, unit } = parsePrice(text, col.unit);
        out.push({
          model,
          ...byCreator,
          attribute: 'price',
          value: { kind: 'money', usd },
          qualifiers: { route: ROUTE, unit, direction: col.direction, ...(col.modality ? { modality: col.modality } : {}) },
          locator,
          excerpt: quote,
          via,
        });
      });
    });
  });
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const h1 = $(SEL.title).first();
  if (h1.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model title');
  const hero = h1.parent();
  const id = modelId($, hero);
  if (!id) throw new LayoutError(SOURCE_ID, page.url, 'model id');
  const creator = cleanText(hero.find(SEL.creatorLink).first().text()) || undefined;
  const observations: Observation[] = [];
  const problems: Problems = [];

  readProvidersTable($, page, id.id, creator, observations, problems);
  observations.push({
    model: id.id,
    ...(creator ? { creator } : {}),
    attribute: 'provider_model_id',
    value: { kind: 'text', text: id.id },
    qualifiers: { route: ROUTE },
    locator: id.locator,
    excerpt: excerpt(id.text),
  });
  readStaticFacts($, hero, id.id, creator, observations);
  return problems.length > 0 ? { observations, problems } : { observations };
}

/** Model page links on the models index, absolute, de-duplicated, in page order. */
function discover(page: Page): string[] {
  const urls = new Set<string>();
  for (const url of pageLinks(page)) {
    const m = MODEL_PATH.exec(url.pathname);
    if (url.hostname === HOST && m) urls.add(`https://${HOST}/ai-gateway/models/${m[1]}`);
  }
  return [...urls];
}

export const vercelGatewayPage = {
  id: SOURCE_ID,
  description: "Vercel AI Gateway model pages: the gateway's own per-provider prices (client-rendered table), model id and capability tags",
  kind: 'html',
  fetchMode: 'browser',
  // the page's script clears aria-busy once the providers table (or its error note) is in place
  renderedWhen: '#providers-table[aria-busy="false"]',
  hosts: [HOST],
  version: '1',
  authority: 'gateway',
  ownRoute: ROUTE,
  requiredAttributes: ['price', 'provider_model_id'],
  index: { urls: [`https://${HOST}/ai-gateway/models`], discover },
  extract,
} satisfies SourceModule;
