/**
 * anttisahla.com AI model catalog : one server-rendered profile per
 * model at /ai/models/<slug>, listed on /ai/models.
 *
 * What a profile states and how it is read:
 * - the title (the model's slug) and a byline "OpenAI · GPT Image" (organization · family);
 * - a spec list (<dl>) with the release date, context window and max output:
 *   the catalog stores 0 for an image model's context and output on purpose
 *   ("should be interpreted as N/A"), so 0 is not_applicable, not zero, and the
 *   release date is flagged approximate when the page calls it that;
 * - a "Pricing" section whose list items are prices ("Low quality: $0.004 per image"),
 *   with size only when the item states one;
 * - a freshness note "last verified on April 4, 2026": the page's statedAsOf.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Observation } from '../schema/observation.js';
import type { DateValue } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { pageLinks } from './links.js';
import {
  ParseError,
  cleanText,
  excerpt,
  isAbsent,
  parseCount,
  parseDate,
  parsePrice,
  parseQuality,
  parseSize,
  SIZE_RE,
} from './parse.js';
import { readOrReport, readPart } from './read-part.js';

const SOURCE_ID = 'anttisahla';
const INDEX_URL = 'https://anttisahla.com/ai/models';
const MODEL_PATH = /^\/ai\/models\/([a-z0-9][a-z0-9._-]*)\/?$/i;
/** Feeds and exports live beside the profiles ("/ai/models/feed.json"); a model slug has no file extension. */
const FILE_PATH = /\.(?:json|xml|rss|atom|txt|csv|html?)$/i;

type Problem = NonNullable<Extraction['problems']>[number];

/** A short CSS path (tag, nth-of-type, stopping at an id) so a reviewer can find the element. */
function cssPath(el: Element): string {
  const parts: string[] = [];
  let cur: Element | null = el;
  while (cur && cur.type === 'tag') {
    const node: Element = cur;
    if (node.attribs.id) {
      parts.unshift(`${node.name}#${node.attribs.id}`);
      break;
    }
    const siblings = (node.parent?.children ?? []).filter(
      (c): c is Element => c.type === 'tag' && (c as Element).name === node.name,
    );
    parts.unshift(siblings.length > 1 ? `${node.name}:nth-of-type(${siblings.indexOf(node) + 1})` : node.name);
    cur = node.parent && node.parent.type === 'tag' ? (node.parent as Element) : null;
  }
  return parts.join(' > ');
}

/** The spec list rows as label → element (the <dd>), found by their <dt> labels. */
function specRows($: CheerioAPI, article: cheerio.Cheerio<AnyNode>): Map<string, cheerio.Cheerio<Element>> {
  const rows = new Map<string, cheerio.Cheerio<Element>>();
  article.find('dl dt').each((_, dt) => {
    const label = cleanText($(dt).text());
    const dd = $(dt).nextAll('dd').first();
    if (label && dd.length) rows.set(label, dd);
  });
  return rows;
}

function findRow(
  rows: Map<string, cheerio.Cheerio<Element>>,
  label: RegExp,
): { label: string; dd: cheerio.Cheerio<Element> } | undefined {
  for (const [name, dd] of rows) if (label.test(name)) return { label: name, dd };
  return undefined;
}

/** The elements between a heading and the next heading of the same or higher level. */
function sectionAfter(heading: cheerio.Cheerio<Element>): cheerio.Cheerio<Element> {
  return heading.nextUntil('h1, h2');
}

/** A stated quality, or none: most price lines name one, some ("$0.02 per image") do not. */
function statedQuality(label: string): ReturnType<typeof parseQuality> | undefined {
  // no quality word: the price has no quality qualifier
  return readPart(() => parseQuality(label), () => undefined);
}

/** Reads one price line into an observation's value and qualifiers. */
function readPriceLine(text: string): Pick<Observation, 'value' | 'qualifiers'> {
  const { usd, unit } = parsePrice(text);
  const label = text.split('$')[0] ?? '';
  const qualifiers: Observation['qualifiers'] = { unit };
  if (unit === 'per_image' || unit === 'per_pixel') {
    qualifiers.direction = 'output';
    qualifiers.modality = 'image';
  } else {
    if (/cache|cached/i.test(label)) qualifiers.direction = 'cache_read';
    else if (/output/i.test(label)) qualifiers.direction = 'output';
    else if (/input/i.test(label)) qualifiers.direction = 'input';
    else throw new ParseError('a price direction (input / output / cached)', text);
    if (/image/i.test(label)) qualifiers.modality = 'image';
    else if (/text/i.test(label)) qualifiers.modality = 'text';
  }
  const quality = statedQuality(label);
  if (quality) qualifiers.quality = quality;
  if (SIZE_RE.test(label)) qualifiers.size = parseSize(label);
  return { value: { kind: 'money', usd }, qualifiers };
}

/** 0 in the catalog's context/output fields means "does not apply" (the page says so); a dash states nothing. */
function readLimit(text: string): Observation['value'] | undefined {
  const t = cleanText(text);
  if (isAbsent(t)) return undefined;
  if (/^0(?:\s*tokens)?$/i.test(t)) return { kind: 'not_applicable', stated: '0' };
  return { kind: 'count', count: parseCount(t) };
}

const VERIFIED_RE =
  /last (?:verified|updated|reviewed|checked)(?: on)?:?\s+((?:[A-Z][a-z]+\.? \d{1,2},? \d{4})|(?:\d{4}-\d{2}-\d{2}))/i;

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const fail = (part: string): never => {
    throw new LayoutError(SOURCE_ID, page.url, part);
  };

  const title = $('main h1, article h1').first();
  if (!title.length) fail('model title (h1)');
  const model = cleanText(title.text());
  if (!model) fail('model title (h1)');
  const article = title.closest('article').length ? title.closest('article') : $('main').first();

  const observations: Observation[] = [];
  const problems: Problem[] = [];
  let creator: string | undefined;

  // Byline "OpenAI · GPT Image": organization, then family, as the catalog writes every profile.
  const byline = title
    .parent()
    .find('p')
    .filter((_, p) => /\s·\s/.test($(p).text()))
    .first();
  if (byline.length) {
    // spaced separator only: "DALL·E" has a middle dot of its own
    const [org, family] = cleanText(byline.text())
      .split(/\s·\s/)
      .map((s) => s.trim());
    const loc = cssPath(byline.get(0)!);
    if (org) {
      creator = org;
      observations.push({
        model,
        creator,
        attribute: 'organization',
        value: { kind: 'text', text: org },
        qualifiers: {},
        locator: loc,
        excerpt: excerpt(byline.text()),
      });
    }
    if (family) {
      observations.push({
        model,
        creator,
        attribute: 'family',
        value: { kind: 'text', text: family },
        qualifiers: {},
        locator: loc,
        excerpt: excerpt(byline.text()),
      });
    }
  }
  const push = (o: Omit<Observation, 'model' | 'creator'>) =>
    observations.push({ model, ...(creator ? { creator } : {}), ...o });

  const rows = specRows($, article);
  if (rows.size === 0) fail('spec list (dl)');

  // Freshness note: "a point-in-time snapshot last verified on April 4, 2026".
  let statedAsOf: DateValue | undefined;
  const note = article
    .find('p, aside, div, small')
    .filter((_, el) => VERIFIED_RE.test($(el).text()) && $(el).children().filter((__, c) => VERIFIED_RE.test($(c).text())).length === 0)
    .first();
  if (note.length) {
    const text = cleanText(note.text());
    const stated = VERIFIED_RE.exec(text)![1]!;
    readOrReport(problems, cssPath(note.get(0)!), excerpt(text), () => {
      statedAsOf = parseDate(stated);
      push({
        attribute: 'page_updated',
        value: statedAsOf,
        qualifiers: {},
        locator: cssPath(note.get(0)!),
        excerpt: excerpt(text),
      });
    });
  }

  // Release date, flagged approximate when the row or the page's own prose says it is.
  const release = findRow(rows, /release/i);
  if (release && !isAbsent(release.dd.text())) {
    const rowText = cleanText(release.dd.text());
    const loc = cssPath(release.dd.get(0)!);
    readOrReport(problems, loc, excerpt(rowText), () => {
      const date = parseDate(rowText);
      const prose = article
        .find('p')
        .filter((_, p) => /release ?date[^.]*approximate|approximate[^.]*release/i.test($(p).text()))
        .first();
      const approximate = /approximate|approx\.|circa|estimated/i.test(rowText) || prose.length > 0;
      push({
        attribute: 'release_date',
        value: approximate ? { ...date, approximate: true } : date,
        qualifiers: {},
        locator: loc,
        excerpt: excerpt(`${release.label}: ${rowText}${prose.length ? ` — ${cleanText(prose.text())}` : ''}`),
      });
    });
  }

  // Context window and max output: the prose explaining the 0 goes with the excerpt.
  const naProse = article
    .find('p')
    .filter((_, p) => /\b0\b[^.]*(?:N\/A|not applicable)|not meaningful/i.test($(p).text()))
    .first();
  for (const [attribute, label] of [
    ['context_window', /context/i],
    ['max_output_tokens', /max(?:imum)? output/i],
  ] as const) {
    const row = findRow(rows, label);
    if (!row) continue;
    const text = cleanText(row.dd.text());
    const loc = cssPath(row.dd.get(0)!);
    readOrReport(problems, loc, excerpt(text), () => {
      const value = readLimit(text);
      if (!value) return;
      const why = value.kind === 'not_applicable' && naProse.length ? ` — ${cleanText(naProse.text())}` : '';
      push({ attribute, value, qualifiers: {}, locator: loc, excerpt: excerpt(`${row.label}: ${text}${why}`, 400) });
    });
  }

  // Prices: every line with a dollar amount in the Pricing section.
  const pricingHeading = article
    .find('h2, h3')
    .filter((_, h) => /pricing|prices/i.test($(h).text()))
    .first();
  if (!pricingHeading.length) fail('pricing section');
  const pricingSection = sectionAfter(pricingHeading);
  const priceLines = pricingSection
    .find('li, tr')
    .add(pricingSection.filter('li, tr'))
    .filter((_, el) => /\$\s*\d/.test($(el).text()));
  if (!priceLines.length) fail('price list in the pricing section');
  priceLines.each((_, el) => {
    const text = cleanText($(el).text());
    readOrReport(problems, cssPath(el), excerpt(text), () => {
      push({ attribute: 'price', ...readPriceLine(text), locator: cssPath(el), excerpt: excerpt(text) });
    });
  });

  return { observations, ...(statedAsOf ? { statedAsOf } : {}), ...(problems.length ? { problems } : {}) };
}

/** Model profile links in the catalog listing (navigation, header and footer excluded). */
function discover(page: Page): string[] {
  const urls = new Set<string>();
  for (const url of pageLinks(page, { within: 'main', contentOnly: true })) {
    if (url.hostname !== 'anttisahla.com' || !MODEL_PATH.test(url.pathname) || FILE_PATH.test(url.pathname)) continue;
    urls.add(`https://anttisahla.com${url.pathname.replace(/\/$/, '')}`);
  }
  if (urls.size === 0) throw new LayoutError(SOURCE_ID, page.url, 'model links in the catalog listing');
  return [...urls];
}

export const anttisahla = {
  id: SOURCE_ID,
  description: 'anttisahla.com AI model catalog: per-model profiles with per-image prices, freshness note and specs',
  kind: 'html',
  fetchMode: 'http',
  hosts: ['anttisahla.com'],
  version: '1',
  authority: 'aggregator',
  requiredAttributes: ['price', 'release_date'],
  index: { urls: [INDEX_URL], discover },
  extract,
} satisfies SourceModule;
