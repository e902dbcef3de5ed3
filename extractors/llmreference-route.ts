/**
 * llmreference.com route pages (`/model/<slug>/<provider>`): one model on one
 * provider. States the provider's own model id, that route's token prices,
 * a few model specs and when the page was last refreshed. Route pages are
 * discovered from provider pages (`/providers/<provider>`).
 */
import type * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { Attribute } from '../schema/attributes.js';
import type { Observation } from '../schema/observation.js';
import type { DateValue, Value } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import {
  PRICE_LABELS,
  contentLinks,
  creatorName,
  definitionPairs,
  emitter,
  loadContent,
  pathSegments,
  pricesInCell,
  sectionByHeading,
  textValue,
  type Emit,
  type LabelledValue,
} from './llmreference-model.js';
import { ParseError, cleanText, excerpt, isAbsent, parseDate, parseMoney, parseUnit } from './parse.js';
import { readOrReport } from './read-part.js';

const SOURCE_ID = 'llmreference-route';
const HOST = 'llmreference.com';

type Problem = NonNullable<Extraction['problems']>[number];

/** Model specs the page lists under "Model Specs". */
const SPEC_LABELS: [RegExp, Attribute, (text: string) => Value][] = [
  [/^released?(?: date)?$/, 'release_date', (t) => parseDate(t)],
  [/^architecture$/, 'architecture', (t) => textValue(t, 'an architecture')],
];

/** The stat list holding the route's prices: the `<dl>` with input and output price labels. */
function findPricingBlock($: cheerio.CheerioAPI): cheerio.Cheerio<Element> {
  return $('main dl')
    .filter((_, dl) => {
      const labels = $(dl)
        .find('dt')
        .toArray()
        .map((dt) => cleanText($(dt).text()).toLowerCase());
      return labels.some((l) => /^input\b/.test(l)) && labels.some((l) => /^output\b/.test(l));
    })
    .first();
}

function extractRoutePage(page: Page): Extraction {
  const $ = loadContent(page.body);
  const slug = pathSegments(page.url, SOURCE_ID, 'model slug and provider in URL', 3)[1]!;

  // "GPT Image 1 Mini on Vercel AI Gateway": the provider as this page names it
  const title = cleanText($('main h1').first().text());
  const on = title.lastIndexOf(' on ');
  if (on < 0) throw new LayoutError(SOURCE_ID, page.url, 'title "<model> on <provider>"');
  const route = title.slice(on + 4).trim();
  const creator = creatorName($);

  const observations: Observation[] = [];
  const problems: Problem[] = [];
  const emit = emitter(observations, slug, creator);

  // the pricing block is required: it is what a route page is for
  const block = findPricingBlock($);
  if (block.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'pricing block (Input / Output / Cache / Batch)');
  const blockPairs = definitionPairs($, block);
  const stated = readPricingBlock(blockPairs, route, emit, problems);
  crossCheckPricingTable($, stated, problems);

  // the provider's own model id, which differs from the site's slug
  const modelId = definitionPairs($, $('main')).find((p) => /^(?:api )?model id$/i.test(p.label));
  if (modelId) {
    const code = cleanText(modelId.dd.find('code').first().text()) || modelId.value.split(' ')[0]!;
    if (isAbsent(code)) problems.push({ locator: modelId.locator, message: 'model ID is empty', excerpt: modelId.value });
    else emit('provider_model_id', { kind: 'text', text: code }, { route }, modelId.locator, `${modelId.label}: ${code}`);
  }

  const specs = sectionByHeading($, /^model specs?$/i);
  if (specs) {
    for (const pair of definitionPairs($, specs)) {
      const spec = SPEC_LABELS.find(([re]) => re.test(pair.label.toLowerCase()));
      if (!spec) continue;
      readOrReport(problems, pair.locator, excerpt(`${pair.label}: ${pair.value}`), () => {
        emit(spec[1], spec[2](pair.value), {}, pair.locator, `${pair.label}: ${pair.value}`);
      });
    }
  }

  const statedAsOf = readRefreshed($, route, emit, problems);
  return { observations, problems, ...(statedAsOf ? { statedAsOf } : {}) };
}

/** Reads Input / Output / Cache / Batch; returns the plain input and output amounts for the cross-check. */
function readPricingBlock(
  pairs: LabelledValue[],
  route: string,
  emit: Emit,
  problems: Problem[],
): Map<'input' | 'output', string> {
  const stated = new Map<'input' | 'output', string>();
  // "Input / 1M" states the unit; "Cache" and "Batch" share it
  const blockUnit = pairs.map((p) => parseUnit(p.label)).find((u) => u !== undefined);
  for (const pair of pairs) {
    const role = PRICE_LABELS.find(([re]) => re.test(pair.label.toLowerCase()))?.[1];
    if (!role || isAbsent(pair.value)) continue; // "Not sourced": absent, not zero
    const text = `${pair.label}: ${pair.value}`;
    readOrReport(problems, pair.locator, excerpt(text), () => {
      const unit = parseUnit(pair.label) ?? parseUnit(pair.value) ?? blockUnit;
      if (!unit) throw new ParseError('a price unit', text);
      for (const { direction, usd, tier } of pricesInCell(role, pair.value)) {
        if (!tier && (direction === 'input' || direction === 'output')) stated.set(direction, usd);
        emit('price', { kind: 'money', usd }, { route, unit, direction, ...(tier ? { tier } : {}) }, pair.locator, text);
      }
    });
  }
  return stated;
}

/**
 * The "Pricing" table repeats input and output prices. It is not a second
 * claim, but a page that disagrees with itself is worth reporting.
 */
function crossCheckPricingTable($: cheerio.CheerioAPI, stated: Map<'input' | 'output', string>, problems: Problem[]): void {
  const section = sectionByHeading($, /^pricing$/i);
  if (!section) return;
  section.find('tr').each((_, tr) => {
    const cells = $(tr).children('td');
    if (cells.length < 2) return;
    const label = cleanText(cells.eq(0).text()).toLowerCase();
    const direction = /^input\b/.test(label) ? 'input' : /^output\b/.test(label) ? 'output' : undefined;
    const text = cleanText(cells.eq(1).text());
    if (!direction || isAbsent(text)) return;
    const locator = `main section:has(h2:contains("Pricing")) tr:contains(${JSON.stringify(label)})`;
    readOrReport(problems, locator, excerpt(text), () => {
      const usd = parseMoney(text);
      const block = stated.get(direction);
      if (block !== usd)
        problems.push({
          locator,
          message: `pricing table says ${direction} ${usd}, pricing block says ${block ?? 'nothing'}`,
          excerpt: excerpt(`${label}: ${text}`),
        });
    });
  });
}

/** "Last refreshed 2026-05-22. Next refresh: weekly." — the page's own freshness. */
function readRefreshed($: cheerio.CheerioAPI, route: string, emit: Emit, problems: Problem[]): DateValue | undefined {
  const holder = $('main p, main span, main div, main small')
    .filter((_, el) => /last refreshed/i.test($(el).text()))
    .last(); // the innermost: descendants come after their ancestors in document order
  if (holder.length === 0) return undefined;
  const text = cleanText(holder.text());
  const m = /last refreshed\s*:?\s*(.+?)(?:\.\s|\.$|$)/i.exec(text);
  const locator = 'main :contains("Last refreshed")';
  return readOrReport(problems, locator, excerpt(text), () => {
    if (!m) throw new ParseError('a refresh date', text);
    const date = parseDate(m[1]!);
    emit('page_updated', date, { route }, locator, text);
    return date;
  });
}

function discoverRoutePages(page: Page): string[] {
  const urls = contentLinks(page, /^\/model\/[^/]+\/[^/]+$/);
  if (urls.length === 0) throw new LayoutError(SOURCE_ID, page.url, 'route links on provider page');
  return urls;
}

export const llmreferenceRoute = {
  id: SOURCE_ID,
  description:
    "llmreference.com route pages: a provider's model id, token prices on that route, release date, architecture, last-refreshed date",
  kind: 'html',
  fetchMode: 'http',
  hosts: [HOST],
  version: '1',
  authority: 'aggregator',
  requiredAttributes: ['provider_model_id'],
  index: {
    urls: [`https://${HOST}/providers/vercel-ai-gateway`, `https://${HOST}/providers/openai-api`],
    discover: discoverRoutePages,
  },
  extract: extractRoutePage,
} satisfies SourceModule;
