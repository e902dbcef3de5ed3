/**
 * llmreference.com model pages (`/model/<slug>`): the spec list (family,
 * release date, architecture, licence ...), the provider price ladder (token
 * prices per route), per-image prices stated in the About text, and how many
 * routers and gateways list the model. The `/models` directory is the index.
 *
 * The page helpers at the bottom are shared with `llmreference-route.ts`
 * (same site, same markup conventions).
 */
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { Attribute } from '../schema/attributes.js';
import type { Observation } from '../schema/observation.js';
import type { Direction, PriceUnit } from '../schema/qualifiers.js';
import type { CommercialUse, Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import {
  ParseError,
  cleanText,
  excerpt,
  isAbsent,
  parseDate,
  parseModalities,
  parseMoney,
  parseQuality,
  parseSize,
  parseUnit,
} from './parse.js';
import { readOrReport } from './read-part.js';

const SOURCE_ID = 'llmreference-model';
const HOST = 'llmreference.com';

type Problem = NonNullable<Extraction['problems']>[number];
type Qualifiers = Observation['qualifiers'];

// ---------------------------------------------------------------- spec list

/** Spec-list labels this source reads, by what they mean. Labels not listed (Training ...) have no attribute. */
const SPEC_LABELS: { re: RegExp; attribute: Attribute; read: (text: string) => Value }[] = [
  { re: /^released?(?: date)?$/, attribute: 'release_date', read: (t) => parseDate(t) },
  { re: /^family$/, attribute: 'family', read: textValue },
  { re: /^architecture$/, attribute: 'architecture', read: textValue },
  { re: /^speciali[sz]ation$/, attribute: 'specialization', read: textValue },
  { re: /^openness$/, attribute: 'openness', read: textValue },
  { re: /^licen[cs]e$/, attribute: 'license', read: licenseValue },
  { re: /^input(?: modalities)?$/, attribute: 'input_modalities', read: modalitiesValue },
  { re: /^output(?: modalities)?$/, attribute: 'output_modalities', read: modalitiesValue },
];

/** A stated text; an absent one ("-", "N/A") is a ParseError naming `what`. */
export function textValue(text: string, what = 'a text value'): Value {
  if (isAbsent(text)) throw new ParseError(what, text);
  return { kind: 'text', text };
}

function modalitiesValue(text: string): Value {
  return { kind: 'list', items: parseModalities(text) };
}

const COMMERCIAL_USE: [RegExp, CommercialUse][] = [
  [/^conditional/, 'conditional'],
  [/^(?:non-?commercial|no|not allowed|prohibited)/, 'non-commercial'],
  [/^(?:allowed|yes|permitted|unrestricted)/, 'allowed'],
];

/** "Proprietary Commercial use: conditional" → { name: Proprietary, commercialUse: conditional }. */
function licenseValue(text: string): Value {
  const m = /^(.*?)\s*commercial use\s*:?\s*(.*)$/i.exec(text);
  const name = cleanText(m ? m[1]! : text);
  if (!name || isAbsent(name)) throw new ParseError('a licence name', text);
  if (!m) return { kind: 'license', name, commercialUse: 'unknown' };
  const terms = m[2]!.toLowerCase();
  const use = COMMERCIAL_USE.find(([re]) => re.test(terms));
  if (!use) throw new ParseError('commercial-use terms', text);
  return { kind: 'license', name, commercialUse: use[1] };
}

// ------------------------------------------------------------ price ladder

type PriceRole = 'input' | 'output' | 'cache' | 'batch';

interface Column {
  index: number;
  header: string;
  role: 'provider' | PriceRole;
}

/** Price labels (ladder headers here, pricing-block labels on route pages) by the prices they hold. */
export const PRICE_LABELS: [RegExp, PriceRole][] = [
  [/^input\b/, 'input'],
  [/^output\b/, 'output'],
  [/^cache/, 'cache'],
  [/^batch\b/, 'batch'],
];

const COLUMN_ROLES: [RegExp, Column['role']][] = [[/^provider\b/, 'provider'], ...PRICE_LABELS];

function ladderColumns($: cheerio.CheerioAPI, table: cheerio.Cheerio<Element>): Column[] {
  const headerRow = table.find('thead tr').first().length ? table.find('thead tr').first() : table.find('tr').first();
  const columns: Column[] = [];
  headerRow.children('th, td').each((index, cell) => {
    const header = cleanText($(cell).text());
    const role = COLUMN_ROLES.find(([re]) => re.test(header.toLowerCase()))?.[1];
    if (role) columns.push({ index, header, role });
  });
  return columns;
}

/** The ladder is the table with a provider column and input and output price columns. */
function findLadder($: cheerio.CheerioAPI): { table: cheerio.Cheerio<Element>; columns: Column[] } | undefined {
  for (const el of $('main table').toArray()) {
    const table = $(el);
    const columns = ladderColumns($, table);
    const roles = new Set(columns.map((c) => c.role));
    if (roles.has('provider') && roles.has('input') && roles.has('output')) return { table, columns };
  }
  return undefined;
}

// ----------------------------------------------------------- the extractor

function extractModelPage(page: Page): Extraction {
  const $ = loadContent(page.body);
  const slug = pathSegments(page.url, SOURCE_ID, 'model slug in URL', 2)[1]!;
  const creator = creatorName($);
  const observations: Observation[] = [];
  const problems: Problem[] = [];
  const emit = emitter(observations, slug, creator);

  // spec list: required; a page without it is not a model page any more
  const specs = definitionPairs($, $('main'));
  let specsFound = 0;
  for (const pair of specs) {
    const spec = SPEC_LABELS.find((s) => s.re.test(pair.label.toLowerCase()));
    if (!spec) continue;
    specsFound++;
    readOrReport(problems, pair.locator, excerpt(`${pair.label}: ${pair.value}`), () => {
      emit(spec.attribute, spec.read(pair.value), {}, pair.locator, `${pair.label}: ${pair.value}`);
    });
  }
  if (specsFound === 0) throw new LayoutError(SOURCE_ID, page.url, 'spec list (Family, Released, License ...)');

  // provider price ladder: required
  const ladder = findLadder($);
  if (!ladder) throw new LayoutError(SOURCE_ID, page.url, 'provider price ladder');
  readLadder($, ladder, page.url, emit, problems);

  readPerImagePrices($, emit, problems);
  readGatewayCount($, emit, problems);

  return { observations, problems };
}

export type Emit = (attribute: Attribute, value: Value, qualifiers: Qualifiers, locator: string, text: string) => void;

/** Records observations about one model; `text` is what the page says, kept as the excerpt. */
export function emitter(observations: Observation[], model: string, creator: string | undefined): Emit {
  return (attribute, value, qualifiers, locator, text) =>
    observations.push({
      model,
      ...(creator ? { creator } : {}),
      attribute,
      value,
      qualifiers,
      locator,
      excerpt: excerpt(text),
    });
}

function readLadder(
  $: cheerio.CheerioAPI,
  { table, columns }: { table: cheerio.Cheerio<Element>; columns: Column[] },
  url: string,
  emit: Emit,
  problems: Problem[],
): void {
  const providerCol = columns.find((c) => c.role === 'provider')!;
  // the token unit the input/output headers state ("Input / 1M") also applies to cache and batch columns
  const tableUnit = columns.map((c) => parseUnit(c.header)).find((u) => u !== undefined);
  const rows = table.find('tbody tr').length ? table.find('tbody tr') : table.find('tr').slice(1);
  if (rows.length === 0) throw new LayoutError(SOURCE_ID, url, 'provider price ladder rows');
  rows.each((_, tr) => {
    const cells = $(tr).children('th, td');
    const route = cleanText(cells.eq(providerCol.index).text());
    if (!route) return;
    for (const col of columns) {
      const role = col.role;
      if (role === 'provider') continue;
      const text = cleanText(cells.eq(col.index).text());
      if (isAbsent(text)) continue; // "-": the page states no price for this route
      const locator = `main table:has(th:contains("Provider")) tr:has(:contains(${JSON.stringify(route)})) > :nth-child(${col.index + 1})`;
      const where = `${route} · ${col.header}: ${text}`;
      const unit = parseUnit(col.header) ?? parseUnit(text) ?? tableUnit;
      readOrReport(problems, locator, excerpt(where), () => {
        if (!unit) throw new ParseError('a price unit', `${col.header} ${text}`);
        for (const { direction, usd, tier } of pricesInCell(role, text))
          emit('price', { kind: 'money', usd }, { route, unit, direction, ...(tier ? { tier } : {}) }, locator, where);
      });
    }
  });
}

/**
 * The prices one ladder cell states. Input and output cells hold one amount;
 * cache cells label theirs ("read $0.200", "write $0.25"); batch cells label
 * input and output ("input $2.50 · output $20.00").
 */
export function pricesInCell(
  role: PriceRole,
  text: string,
): { direction: Direction; usd: string; tier?: string }[] {
  if (role === 'input' || role === 'output') return [{ direction: role, usd: parseMoney(text) }];
  const labelled = [...text.matchAll(/\b(read|write|input|output)\b[^$]*?(\$\s*[0-9.,]+)/gi)];
  if (labelled.length === 0) throw new ParseError(`a labelled ${role} price (read/write, input/output)`, text);
  return labelled.map((m) => {
    const label = m[1]!.toLowerCase();
    const usd = parseMoney(m[2]!);
    if (role === 'cache') {
      if (label !== 'read' && label !== 'write') throw new ParseError('a cache read or write price', text);
      return { direction: label === 'read' ? 'cache_read' : 'cache_write', usd };
    }
    if (label !== 'input' && label !== 'output') throw new ParseError('a batch input or output price', text);
    return { direction: label, usd, tier: 'batch' };
  });
}

const MONEY = String.raw`\$\s*\d[\d,]*(?:\.\d+)?`;
/** "$0.005/$0.011/$0.036 (low/medium/high, 1024×1024)": one price per quality, at one size. */
const TIERED_RE = new RegExp(
  String.raw`((?:${MONEY}\s*\/\s*)+${MONEY})\s*\(\s*([a-z]+(?:\s*\/\s*[a-z]+)+)\s*,\s*(\d{3,5}\s*[×x]\s*\d{3,5})\s*\)`,
  'gi',
);
/** "$0.02 per image": one flat price. */
const FLAT_RE = new RegExp(String.raw`(${MONEY})\s*(?:per|\/)\s*(?:generated\s+)?image\b`, 'gi');

/** The sentence of `text` around position `at`. */
function sentenceAt(text: string, at: number, end: number): string {
  const start = Math.max(text.lastIndexOf('. ', at) + 2, 0);
  const stop = text.indexOf('. ', end);
  return text.slice(start, stop < 0 ? undefined : stop + 1);
}

/**
 * The About text states the creator's per-image prices in prose. They carry
 * no route: the page does not say whose price list they come from.
 */
function readPerImagePrices($: cheerio.CheerioAPI, emit: Emit, problems: Problem[]): void {
  const section = sectionByHeading($, /^about\b/i);
  if (!section) return;
  section.find('p').each((i, p) => {
    const text = cleanText($(p).text());
    const locator = `main section:has(h2:contains("About")) p:nth-of-type(${i + 1})`;
    for (const m of text.matchAll(TIERED_RE)) {
      const sentence = sentenceAt(text, m.index, m.index + m[0].length);
      readOrReport(problems, locator, excerpt(sentence), () => {
        // the unit is stated before the figures: "per-image pricing at ...", "bills per image ..."
        const before = sentence.slice(0, sentence.indexOf(m[0]));
        if (!/per[-\s]image/i.test(before)) throw new ParseError('per-image wording before the prices', sentence);
        const amounts = m[1]!.split('/').map((a) => parseMoney(a));
        const qualities = m[2]!.split('/').map((q) => parseQuality(q));
        if (amounts.length !== qualities.length) throw new ParseError('one price per quality', m[0]);
        const size = parseSize(m[3]!);
        amounts.forEach((usd, k) =>
          emit(
            'price',
            { kind: 'money', usd },
            { unit: 'per_image', direction: 'output', modality: 'image', quality: qualities[k]!, size },
            locator,
            sentence,
          ),
        );
      });
    }
    for (const m of text.matchAll(FLAT_RE)) {
      const sentence = sentenceAt(text, m.index, m.index + m[0].length);
      const unit: PriceUnit = 'per_image';
      emit('price', { kind: 'money', usd: parseMoney(m[1]!) }, { unit, direction: 'output', modality: 'image' }, locator, sentence);
    }
  });
}

/** "Available via routers & gateways(15)": the count the heading states, not the cards shown. */
function readGatewayCount($: cheerio.CheerioAPI, emit: Emit, problems: Problem[]): void {
  const heading = $('main h2, main h3')
    .filter((_, h) => /routers?\s*(?:&|and)\s*gateways?/i.test($(h).text()))
    .first();
  if (heading.length === 0) return;
  const text = cleanText(heading.text());
  const locator = 'main h2:contains("routers & gateways")';
  const m = /\((\d[\d,]*)\)/.exec(text);
  if (!m) {
    problems.push({ locator, message: 'routers & gateways heading states no count', excerpt: text });
    return;
  }
  emit('gateway_count', { kind: 'count', count: Number(m[1]!.replace(/,/g, '')) }, {}, locator, text);
}

function discoverModelPages(page: Page): string[] {
  const urls = contentLinks(page, /^\/model\/[^/]+$/);
  if (urls.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'model directory links');
  return urls;
}

export const llmreferenceModel = {
  id: SOURCE_ID,
  description:
    'llmreference.com model pages: spec list (release date, family, licence ...), provider price ladder, per-image prices, router count',
  kind: 'html',
  fetchMode: 'http',
  hosts: [HOST],
  version: '1',
  authority: 'aggregator',
  requiredAttributes: ['release_date', 'family', 'license', 'price'],
  index: { urls: [`https://${HOST}/models`], discover: discoverModelPages },
  extract: extractModelPage,
} satisfies SourceModule;

// ------------------------------------------- page helpers (shared with llmreference-route)

/** Parses the page and drops what is never content: scripts, styles, ads, hidden decorations. */
export function loadContent(html: string): cheerio.CheerioAPI {
  const $ = cheerio.load(html);
  $('script, style, noscript, template, iframe, svg, .ad-slot, ins.adsbygoogle, [aria-hidden="true"]').remove();
  return $;
}

/** The path segments of a page URL on this site, checked against the shape a source expects. */
export function pathSegments(url: string, sourceId: string, part: string, count: number): string[] {
  const segments = new URL(url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segments[0] !== 'model' || segments.length !== count) throw new LayoutError(sourceId, url, part);
  return segments;
}

/** The creator as the page links it (`/organizations/<id>`), breadcrumb or byline. */
export function creatorName($: cheerio.CheerioAPI): string | undefined {
  const link = $('main a[href^="/organizations/"]').first();
  const name = cleanText(link.text());
  return name || undefined;
}

export interface LabelledValue {
  label: string;
  value: string;
  /** the `<dd>` itself, for callers that need its markup */
  dd: cheerio.Cheerio<Element>;
  locator: string;
}

/** Every `<dt>`/`<dd>` pair inside `scope`, in page order. */
export function definitionPairs($: cheerio.CheerioAPI, scope: cheerio.Cheerio<Element>): LabelledValue[] {
  const out: LabelledValue[] = [];
  scope.find('dt').each((_, dt) => {
    const dd = $(dt).nextAll('dd').first();
    if (dd.length === 0) return;
    const label = cleanText($(dt).text());
    const listClass = $(dt).closest('dl').attr('class')?.split(/\s+/)[0];
    out.push({
      label,
      value: cleanText(textWithBreaks($, dd)),
      dd,
      locator: `dl${listClass ? `.${listClass}` : ''} dt:contains(${JSON.stringify(label)}) + dd`,
    });
  });
  return out;
}

/** Text of an element with a space between child elements ("Proprietary" + "Commercial use: ..."). */
function textWithBreaks($: cheerio.CheerioAPI, el: cheerio.Cheerio<Element>): string {
  const parts: string[] = [];
  el.contents().each((_, node) => {
    parts.push(node.type === 'text' ? $(node).text() : ` ${$(node).text()} `);
  });
  return parts.join('');
}

/** The `<section>` whose heading matches. */
export function sectionByHeading($: cheerio.CheerioAPI, re: RegExp): cheerio.Cheerio<Element> | undefined {
  const section = $('main section')
    .filter((_, s) => re.test(cleanText($(s).children('h2').first().text())))
    .first();
  return section.length ? section : undefined;
}

/**
 * Absolute URLs of content links on this host whose path matches, in page
 * order without duplicates. Site navigation, breadcrumbs, sidebars and the
 * footer are not content.
 */
export function contentLinks(page: Page, pathRe: RegExp): string[] {
  const $ = loadContent(page.body);
  $('header.site-header, footer, nav, aside').remove();
  const seen = new Set<string>();
  $('main a[href]').each((_, a) => {
    const href = $(a).attr('href')!;
    if (!URL.canParse(href, page.url)) return; // an unreadable href links to no page of ours
    const url = new URL(href, page.url);
    if (url.hostname !== HOST || url.search || !pathRe.test(url.pathname)) return;
    url.hash = '';
    seen.add(url.toString());
  });
  return [...seen];
}
