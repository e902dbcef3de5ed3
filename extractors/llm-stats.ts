/**
 * llm-stats.com model pages : a Next.js site whose server render
 * inlines the page's data as JSON in `<script id="__NEXT_DATA__">` and also
 * shows it as HTML ("released in January 2025", "starts at $0.0100 per
 * generated image via OpenAI", a providers table, a licence section).
 *
 * The payload is read first (typed fields, one per fact); the visible page is
 * read for the excerpt a reviewer sees and cross-checked where that is simple
 * (release date, per-provider price, commercial use). A disagreement between
 * the two is recorded as a problem; the payload value is kept.
 *
 * The index page /models carries its model list in the same payload; links in
 * the site header ("Trending") are not the list.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { compare, decimal, isDecimal } from '../schema/decimal.js';
import type { Observation } from '../schema/observation.js';
import type { CommercialUse, DateValue } from '../schema/values.js';
import { LayoutError, type Extraction, type Page, type SourceModule } from './contract.js';
import { ParseError, cleanText, excerpt, parseDate, parseModalities, parseMoney, isRecord } from './parse.js';
import { readOrReport } from './read-part.js';

const SOURCE_ID = 'llm-stats';
const ORIGIN = 'https://llm-stats.com';

type Problem = NonNullable<Extraction['problems']>[number];
type Json = Record<string, unknown>;

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** The page's inlined Next.js data; a page without it is not the page this extractor knows. */
function nextData($: CheerioAPI, page: Page): Json {
  const script = $('script#__NEXT_DATA__');
  if (!script.length) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ payload');
  let data: unknown;
  try {
    data = JSON.parse(script.text());
  } catch (err) {
    throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ payload (not JSON)', { cause: err });
  }
  const pageProps = isRecord(data) && isRecord(data.props) ? data.props.pageProps : undefined;
  if (!isRecord(pageProps)) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ props.pageProps');
  return pageProps;
}

/** Shortest visible block (p, li, td...) whose text matches: the sentence a reviewer would read. */
function visibleText($: CheerioAPI, re: RegExp, within = 'main'): string | undefined {
  let best: string | undefined;
  $(within)
    .find('p, li, dd, td, span, h1, h2')
    .each((_, el) => {
      const text = cleanText($(el).text());
      if (re.test(text) && (best === undefined || text.length < best.length)) best = text;
    });
  return best;
}

const sameDate = (a: DateValue, b: DateValue) => a.date === b.date && a.precision === b.precision;

/** Payload money is a JSON number or string; decimal() keeps the publisher's value exactly. */
function readMoney(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if ((typeof v === 'number' || typeof v === 'string') && isDecimal(v) && !String(v).trim().startsWith('-')) return decimal(v);
  throw new ParseError('a price', JSON.stringify(v));
}

function commercialFromText(text: string): CommercialUse | undefined {
  if (/restricts commercial use|non-commercial|noncommercial/i.test(text)) return 'non-commercial';
  if (/permits commercial use|allows commercial use|commercial use allowed|^commercial use$/i.test(text)) return 'allowed';
  return undefined;
}

interface ProvidersTable {
  table: cheerio.Cheerio<Element>;
  /** Index of the price column, -1 when none of the header cells names a price. */
  priceCol: number;
}

/** The providers table: the first table with a price header. */
function providersTable($: CheerioAPI): ProvidersTable | undefined {
  const table = $('main table')
    .filter((_, t) => $(t).find('th').filter((__, th) => /price/i.test($(th).text())).length > 0)
    .first();
  if (!table.length) return undefined;
  const headers = table.find('thead th').map((_, th) => cleanText($(th).text())).get();
  return { table, priceCol: headers.findIndex((h) => /price/i.test(h)) };
}

/** The providers table's cells by column meaning, for one provider (named by its logo's alt text or link). */
function providerRow(
  $: CheerioAPI,
  providers: ProvidersTable | undefined,
  provider: { name: string; id?: string },
): { price?: string; text: string; locator: string } | undefined {
  if (!providers) return undefined;
  const { table, priceCol } = providers;
  let found: { price?: string; text: string; locator: string } | undefined;
  table.find('tbody tr').each((i, tr) => {
    const cells = $(tr).children('td');
    const first = cells.first();
    const names = [cleanText(first.text()), ...first.find('img[alt]').map((_, img) => $(img).attr('alt')!).get()];
    const href = first.find('a[href]').attr('href') ?? '';
    const matches =
      names.some((n) => n.toLowerCase() === provider.name.toLowerCase()) ||
      (provider.id !== undefined && href.endsWith(`/providers/${provider.id}`));
    if (!matches || found) return;
    const texts = cells.map((j, td) => (j === 0 ? provider.name : cleanText($(td).text()))).get();
    found = {
      ...(priceCol >= 0 && texts[priceCol] !== undefined ? { price: texts[priceCol] } : {}),
      text: texts.filter(Boolean).join(' | '),
      locator: `main table tbody tr:nth-of-type(${i + 1})`,
    };
  });
  return found;
}

/** Price fields the payload uses, by what they mean. */
const PRICE_FIELDS: Record<string, Observation['qualifiers']> = {
  price_per_image: { unit: 'per_image', direction: 'output', modality: 'image' },
};

function extract(page: Page): Extraction {
  const $ = cheerio.load(page.body);
  const props = nextData($, page);
  const model = props.model;
  if (!isRecord(model)) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ model');
  if (!nonEmpty(model.model_id)) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ model.model_id');
  const modelId = model.model_id;
  const at = (path: string) => `__NEXT_DATA__ $.props.pageProps.model.${path}`;
  const json = (path: string, v: unknown) => excerpt(`"${path}": ${JSON.stringify(v)}`);

  const observations: Observation[] = [];
  const problems: Problem[] = [];
  const org = isRecord(model.organization) ? model.organization.name : model.organization;
  const creator = nonEmpty(org) ? org : undefined;
  const push = (o: Omit<Observation, 'model' | 'creator'>) =>
    observations.push({ model: modelId, ...(creator ? { creator } : {}), ...o });
  const intro = visibleText($, /\breleased (?:in|on)\b/i) ?? visibleText($, /\bmodel from\b/i);

  if (creator) {
    push({
      attribute: 'organization',
      value: { kind: 'text', text: creator },
      qualifiers: {},
      locator: at('organization.name'),
      excerpt: intro && intro.includes(creator) ? excerpt(intro) : json('organization.name', creator),
    });
  }

  // Release date at the payload's precision ("2025-01" is January 2025), checked against "released in ...".
  if (nonEmpty(model.release_date)) {
    const stated = model.release_date; // narrowed here, read in the closure
    readOrReport(problems, at('release_date'), json('release_date', model.release_date), () => {
      const date = parseDate(stated);
      const shown = intro ? /\breleased (?:in|on)\s+(.+?)\.?$/i.exec(intro)?.[1] : undefined;
      if (shown) {
        const visible = parseDate(shown);
        if (!sameDate(visible, date)) {
          problems.push({
            locator: at('release_date'),
            message: `payload release_date ${model.release_date} disagrees with the visible "${shown}"`,
            excerpt: excerpt(intro!),
          });
        }
      }
      push({
        attribute: 'release_date',
        value: date,
        qualifiers: {},
        locator: at('release_date'),
        excerpt: shown && intro ? excerpt(intro) : json('release_date', model.release_date),
      });
    });
  }

  // Licence: name from the payload, commercial use from its flag, cross-checked with the licence section.
  if (isRecord(model.license) && nonEmpty(model.license.name)) {
    const lic = model.license;
    const sentence = visibleText($, /released under the .* licen[cs]e/i);
    const fromPayload: CommercialUse | undefined =
      lic.commercial_use === true ? 'allowed' : lic.commercial_use === false ? 'non-commercial' : undefined;
    const fromPage = sentence ? commercialFromText(sentence) : undefined;
    if (fromPayload && fromPage && fromPayload !== fromPage) {
      problems.push({
        locator: at('license.commercial_use'),
        message: `payload commercial_use ${String(lic.commercial_use)} disagrees with the licence section`,
        excerpt: excerpt(sentence!),
      });
    }
    push({
      attribute: 'license',
      value: { kind: 'license', name: lic.name as string, commercialUse: fromPayload ?? fromPage ?? 'unknown' },
      qualifiers: {},
      locator: at('license'),
      excerpt: sentence ? excerpt(sentence) : json('license', lic),
    });
  }

  // Modalities: the payload lists them; the description says it in words ("accepts both text and image inputs").
  const description = visibleText($, /\binputs?\b.*\boutputs?\b/i);
  for (const [field, attribute] of [
    ['input_modalities', 'input_modalities'],
    ['output_modalities', 'output_modalities'],
  ] as const) {
    const list = model[field];
    if (!Array.isArray(list) || list.length === 0) continue;
    readOrReport(problems, at(field), json(field, list), () => {
      push({
        attribute,
        value: { kind: 'list', items: parseModalities(list.join(', ')) },
        qualifiers: {},
        locator: at(field),
        excerpt: description ? excerpt(description) : json(field, list),
      });
    });
  }

  // Prices per provider, the route named as the page names the provider.
  if (!Array.isArray(model.providers)) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ model.providers');
  const summary = visibleText($, /\bstarts at\b.*\$/i);
  const providers = providersTable($);
  model.providers.forEach((entry: unknown, i) => {
    const loc = at(`providers[${i}]`);
    if (!isRecord(entry) || !nonEmpty(entry.name)) {
      problems.push({ locator: loc, message: 'provider entry without a name', excerpt: excerpt(JSON.stringify(entry)) });
      return;
    }
    const route = entry.name;
    const row = providerRow($, providers, { name: route, ...(nonEmpty(entry.provider_id) ? { id: entry.provider_id } : {}) });
    const fields = Object.keys(PRICE_FIELDS).filter((f) => entry[f] !== undefined && entry[f] !== null);
    if (fields.length === 0) {
      problems.push({ locator: loc, message: `no price field for provider ${route}`, excerpt: excerpt(JSON.stringify(entry)) });
      return;
    }
    for (const field of fields) {
      readOrReport(problems, `${loc}.${field}`, json(field, entry[field]), () => {
        const usd = readMoney(entry[field])!;
        if (row?.price !== undefined && compare(parseMoney(row.price), usd) !== 0) {
          problems.push({
            locator: row.locator,
            message: `payload ${field} ${usd} disagrees with the providers table (${row.price})`,
            excerpt: excerpt(row.text),
          });
        }
        const saysIt = summary && summary.includes(route) && compare(parseMoney(summary), usd) === 0;
        push({
          attribute: 'price',
          value: { kind: 'money', usd },
          qualifiers: { route, ...PRICE_FIELDS[field] },
          locator: `${loc}.${field}`,
          excerpt: saysIt ? excerpt(summary) : row ? excerpt(row.text) : json(field, entry[field]),
        });
      });
    }
  });

  return { observations, ...(problems.length ? { problems } : {}) };
}

/** Model page URLs from the index payload's model list. */
function discover(page: Page): string[] {
  const $ = cheerio.load(page.body);
  const models = nextData($, page).models;
  if (!Array.isArray(models) || models.length === 0) {
    throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ models list');
  }
  const urls = new Set<string>();
  for (const m of models) {
    if (isRecord(m) && nonEmpty(m.model_id)) urls.add(`${ORIGIN}/models/${encodeURIComponent(m.model_id)}`);
  }
  if (urls.size === 0) throw new LayoutError(SOURCE_ID, page.url, '__NEXT_DATA__ models[].model_id');
  return [...urls];
}

export const llmStats = {
  id: SOURCE_ID,
  description: 'llm-stats.com model pages: release date, per-provider prices, licence and modalities from the Next.js payload',
  kind: 'html',
  fetchMode: 'http',
  hosts: ['llm-stats.com'],
  version: '1',
  authority: 'aggregator',
  requiredAttributes: ['release_date', 'price', 'organization'],
  index: { urls: [`${ORIGIN}/models`], discover },
  extract,
} satisfies SourceModule;
