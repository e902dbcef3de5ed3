/**
 * OpenAI's own model pages (platform.openai.com/docs/models/<slug>): the
 * creator's official token and per-image prices, modalities and endpoints.
 *
 * The page is read by its headings and labels, never by position: the
 * "Pricing" section holds cards titled "Text tokens", "Image tokens" or
 * "Image generation", each stating its unit ("Per 1M tokens", "Per image")
 * and label/price pairs; per-image cards also state a "Quality".
 */
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { PriceUnit, Qualifiers } from '../schema/qualifiers.js';
import type { Extraction, Page, SourceModule } from './contract.js';
import { LayoutError } from './contract.js';
import { cssPath } from './dom.js';
import { pageLinks } from './links.js';
import {
  ParseError,
  cleanText,
  excerpt,
  isAbsent,
  parseModalities,
  parsePrice,
  parseQuality,
  parseSize,
  parseUnit,
} from './parse.js';
import { readOrReport } from './read-part.js';

const SOURCE_ID = 'openai-docs';
const HOST = 'platform.openai.com';
/** The route every price on this page is for: OpenAI's own API. */
const ROUTE = 'openai';
const CREATOR = 'OpenAI';

/** Everything this module knows about the page's markup, in one place. */
const SEL = {
  title: 'main h1',
  sectionHeadings: 'main h2',
  cardTitle: 'h3',
  pairs: 'dt',
  endpointPath: 'code',
} as const;

/** Paths under /docs/models/ that are tools, not model pages. */
const NOT_MODEL_PAGES = new Set(['compare']);
const MODEL_PATH = /^\/docs\/models\/([a-z0-9][a-z0-9._-]*)\/?$/i;

type Problems = NonNullable<Extraction['problems']>;
type Direction = NonNullable<Qualifiers['direction']>;
type Modality = NonNullable<Qualifiers['modality']>;

/** The <section> whose h2 reads `name` (the anchor "#" in the heading is ignored). */
function section($: cheerio.CheerioAPI, name: RegExp): cheerio.Cheerio<AnyNode> | undefined {
  const heading = $(SEL.sectionHeadings)
    .toArray()
    .find((h) => name.test(cleanText($(h).text()).replace(/^#\s*/, '')));
  if (!heading) return undefined;
  const sec = $(heading).closest('section');
  return sec.length > 0 ? sec : undefined;
}

const DIRECTIONS: [RegExp, Direction][] = [
  [/cache[ds]?\s*(?:input|read)|cached/i, 'cache_read'],
  [/cache\s*write/i, 'cache_write'],
  [/input/i, 'input'],
  [/output/i, 'output'],
];

function direction(label: string): Direction | undefined {
  return DIRECTIONS.find(([re]) => re.test(label))?.[1];
}

/** "Text tokens" → text; "Image tokens" → image; undefined for other headings. */
function tokenModality(title: string): Modality | undefined {
  const m = /^(text|image|audio|video)\s+tokens?$/i.exec(title);
  return m ? (m[1]!.toLowerCase() as Modality) : undefined;
}

interface Card {
  el: cheerio.Cheerio<AnyNode>;
  title: string;
  /** The card's header as stated, e.g. "Text tokens Per 1M tokens". */
  header: string;
  unit: PriceUnit | undefined;
  pairs: { label: string; value: string }[];
}

/** Each price card: the element holding an h3 title and label/value pairs. */
function priceCards($: cheerio.CheerioAPI, pricing: cheerio.Cheerio<AnyNode>): Card[] {
  return pricing
    .find(SEL.cardTitle)
    .toArray()
    .map((h3) => {
      // the card is the nearest ancestor of the title that also holds the pairs
      let el = $(h3).parent();
      while (el.length > 0 && el.find(SEL.pairs).length === 0 && !el.is(pricing)) el = el.parent();
      const title = cleanText($(h3).text());
      const header = cleanText(el.children().not(el.children().filter((_, c) => $(c).find(SEL.pairs).length > 0)).text());
      const pairs = el
        .find(SEL.pairs)
        .toArray()
        .map((dt) => ({ label: cleanText($(dt).text()), value: cleanText($(dt).next('dd').text()) }));
      return { el, title, header, unit: parseUnit(header), pairs };
    });
}

function readPricing($: cheerio.CheerioAPI, page: Page, model: string, out: Observation[], problems: Problems): void {
  const pricing = section($, /^pricing$/i);
  if (!pricing) throw new LayoutError(SOURCE_ID, page.url, 'pricing section');
  const cards = priceCards($, pricing);

  for (const card of cards) {
    const locatorBase = cssPath($, card.el.get(0)!);
    const perImage = /image generation/i.test(card.title);
    const modality = perImage ? 'image' : tokenModality(card.title);
    if (!modality || !card.unit) {
      problems.push({
        locator: locatorBase,
        message: `price card "${card.title}" has no recognised modality or unit`,
        excerpt: excerpt(card.el.text()),
      });
      continue;
    }
    const qualityPair = card.pairs.find((p) => /^quality$/i.test(p.label));
    let quality: ReturnType<typeof parseQuality> | undefined;
    if (perImage && qualityPair) {
      quality = readOrReport(problems, `${locatorBase} dt "Quality"`, excerpt(`${card.header} · Quality ${qualityPair.value}`), () =>
        parseQuality(qualityPair.value),
      );
      if (!quality) continue;
    }
    for (const pair of card.pairs) {
      if (pair === qualityPair || isAbsent(pair.value)) continue;
      const locator = `${locatorBase} dt "${pair.label}"`;
      const text = [card.header, qualityPair ? `Quality ${qualityPair.value}` : '', `${pair.label} ${pair.value}`].filter(Boolean).join(' · ');
      readOrReport(problems, locator, excerpt(text), () => {
        const { usd, unit } = parsePrice(pair.value, card.unit);
        if (perImage) {
          const size = parseSize(pair.label);
          out.push({
            model,
            creator: CREATOR,
            attribute: 'price',
            value: { kind: 'money', usd },
            qualifiers: { route: ROUTE, unit, direction: 'output', modality: 'image', ...(quality ? { quality } : {}), size },
            locator,
            excerpt: excerpt(text),
          });
        } else {
          const dir = direction(pair.label);
          if (!dir) throw new ParseError('a price direction', pair.label);
          out.push({
            model,
            creator: CREATOR,
            attribute: 'price',
            value: { kind: 'money', usd },
            qualifiers: { route: ROUTE, unit, direction: dir, modality },
            locator,
            excerpt: excerpt(text),
          });
        }
      });
    }
  }
}

/** "Text: Input only", "Image: Input and output", "Audio: Not supported". */
function readModalities($: cheerio.CheerioAPI, model: string, out: Observation[], problems: Problems): void {
  const sec = section($, /^modalities$/i);
  if (!sec) return;
  const inputs: string[] = [];
  const outputs: string[] = [];
  const lines: string[] = [];
  for (const dt of sec.find(SEL.pairs).toArray()) {
    const name = cleanText($(dt).text());
    const support = cleanText($(dt).next('dd').text());
    lines.push(`${name}: ${support}`);
    if (/not supported/i.test(support)) continue;
    const modality = readOrReport(problems, `${cssPath($, sec.get(0)!)} dt "${name}"`, `${name}: ${support}`, () => parseModalities(name));
    if (!modality) continue;
    if (/\binput\b/i.test(support)) inputs.push(...modality);
    if (/\boutput\b/i.test(support)) outputs.push(...modality);
  }
  const locator = cssPath($, sec.get(0)!);
  const text = excerpt(lines.join('; '));
  if (inputs.length > 0)
    out.push({ model, creator: CREATOR, attribute: 'input_modalities', value: { kind: 'list', items: [...new Set(inputs)].sort() }, qualifiers: {}, locator, excerpt: text });
  if (outputs.length > 0)
    out.push({ model, creator: CREATOR, attribute: 'output_modalities', value: { kind: 'list', items: [...new Set(outputs)].sort() }, qualifiers: {}, locator, excerpt: text });
}

/** The endpoints the page marks as supported (each item states "Supported" or "Not supported"). */
function readEndpoints($: cheerio.CheerioAPI, model: string, out: Observation[]): void {
  const sec = section($, /^endpoints$/i);
  if (!sec) return;
  const supported: string[] = [];
  for (const code of sec.find(SEL.endpointPath).toArray()) {
    const path = cleanText($(code).text());
    if (!/^\/?v\d+\//.test(path)) continue;
    const item = $(code).parent();
    const status = cleanText(item.text());
    if (/not supported/i.test(status) || !/supported/i.test(status)) continue;
    supported.push(path.replace(/^\//, ''));
  }
  if (supported.length === 0) return;
  supported.sort();
  out.push({
    model,
    creator: CREATOR,
    attribute: 'endpoints',
    value: { kind: 'list', items: supported },
    qualifiers: { route: ROUTE },
    locator: cssPath($, sec.get(0)!),
    excerpt: excerpt(`Supported endpoints: ${supported.join(', ')}`),
  });
}

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const model = cleanText($(SEL.title).first().text());
  if (!model) throw new LayoutError(SOURCE_ID, page.url, 'model title');
  const observations: Observation[] = [];
  const problems: Problems = [];
  readPricing($, page, model, observations, problems);
  // a pricing section that yields no price at all is a changed layout, not a free model
  if (observations.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'prices in pricing section');
  readModalities($, model, observations, problems);
  readEndpoints($, model, observations);
  return problems.length > 0 ? { observations, problems } : { observations };
}

/** Model page links on the models index, absolute, de-duplicated, in page order. */
function discover(page: Page): string[] {
  const urls = new Set<string>();
  for (const url of pageLinks(page)) {
    const m = MODEL_PATH.exec(url.pathname);
    if (url.hostname !== HOST || !m || NOT_MODEL_PAGES.has(m[1]!.toLowerCase())) continue;
    urls.add(`https://${HOST}/docs/models/${m[1]}`);
  }
  return [...urls];
}

export const openaiDocs = {
  id: SOURCE_ID,
  description: "OpenAI's own model pages: official token and per-image prices, modalities and supported endpoints",
  kind: 'html',
  fetchMode: 'http',
  hosts: [HOST],
  version: '1',
  authority: 'creator',
  requiredAttributes: ['price', 'input_modalities', 'output_modalities'],
  index: { urls: [`https://${HOST}/docs/models`], discover },
  extract,
} satisfies SourceModule;
