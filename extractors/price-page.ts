/**
 * Shared readers for the creators' own price pages (Anthropic, Gemini API,
 * Mistral, DeepSeek, xAI, OpenAI): the tables under a heading, prompt-size
 * bands ("≤ 200K / > 200K"), discount rules ("Batch: 50% off") and one
 * emitter that turns price texts into observations on the creator's route —
 * stated ones as written, derived ones marked with the rule they come from.
 * Pure: a cheerio document in, observations out.
 */
import type * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { multiply } from '../schema/decimal.js';
import type { Observation } from '../schema/observation.js';
import { contextTier, type Direction, type PriceUnit, type Qualifiers } from '../schema/qualifiers.js';
import type { Extraction } from './contract.js';
import { cssPath } from './dom.js';
import { ParseError, cleanText, excerpt, isAbsent, parsePrice } from './parse.js';

type Problems = NonNullable<Extraction['problems']>;
type PriceQualifiers = Omit<Qualifiers, 'route' | 'unit'> & { unit?: PriceUnit };

/** The heading (h1–h4) whose text matches, and every sibling after it up to the next heading of its level or higher. */
export function headingSection(
  $: cheerio.CheerioAPI,
  scope: cheerio.Cheerio<AnyNode>,
  name: RegExp,
): { heading: cheerio.Cheerio<AnyNode>; body: cheerio.Cheerio<AnyNode> } | undefined {
  const h = scope
    .find('h1, h2, h3, h4')
    .toArray()
    .find((el) => name.test(cleanText($(el).text()).replace(/^#\s*/, '')));
  if (!h) return undefined;
  const level = Number(h.tagName.slice(1));
  const stop = Array.from({ length: level }, (_, i) => `h${i + 1}`).join(', ');
  return { heading: $(h), body: $(h).nextUntil(stop) };
}

/** The tables in a section body: the siblings that are tables and the tables inside the others. */
export function tablesIn(body: cheerio.Cheerio<AnyNode>): cheerio.Cheerio<AnyNode> {
  return body.filter('table').add(body.find('table'));
}

export interface TableRow {
  el: cheerio.Cheerio<AnyNode>;
  cells: cheerio.Cheerio<AnyNode>[];
}

export interface Table {
  el: cheerio.Cheerio<AnyNode>;
  /** Header texts, one per column, whitespace collapsed. */
  headers: string[];
  rows: TableRow[];
}

/** A table read by its header row (thead, else a first row of th) and its body rows. */
export function readTable($: cheerio.CheerioAPI, table: cheerio.Cheerio<AnyNode>): Table {
  let headRow = table.find('thead tr').first();
  if (headRow.length === 0) headRow = table.find('tr').filter((_, tr) => $(tr).children('th').length > 0 && $(tr).children('td').length === 0).first();
  const headers = headRow
    .children('th, td')
    .toArray()
    .map((c) => cleanText($(c).text()));
  const rows = table
    .find('tr')
    .toArray()
    .filter((tr) => tr !== headRow.get(0) && $(tr).children('td').length > 0)
    .map((tr) => ({ el: $(tr), cells: $(tr).children('td, th').toArray().map((c) => $(c)) }));
  return { el: table, headers, rows };
}

/** Lines of a cell as the page breaks them (<br>, <li>, <p>), each whitespace-collapsed, empty ones dropped. */
export function cellLines($: cheerio.CheerioAPI, cell: cheerio.Cheerio<AnyNode>): string[] {
  const copy = cell.clone();
  copy.find('br').replaceWith('\n');
  copy.find('li, p, div').each((_, el) => {
    $(el).append('\n');
  });
  return $(copy)
    .text()
    .split('\n')
    .map(cleanText)
    .filter((l) => l !== '');
}

/**
 * A prompt-size band as pages state it: "≤ 200K input tokens", "> 200K",
 * "prompts <= 200k tokens", "prompts > 128k tokens". `above` is true for the
 * band past the threshold; undefined when the text states no band.
 */
export function contextBand(text: string): { threshold: number; above: boolean } | undefined {
  const m = /(≤|<=|≦|up to|under|>|≥|>=|over|above|more than|exceeds|exceeding)\s*([0-9][0-9,.]*)\s*([kKmM])?/.exec(text);
  if (!m || !/tokens?|prompt|context|input/i.test(text)) {
    // a bare "> 200K" heading still names a band when it has a k/M suffix
    if (!m || !m[3]) return undefined;
  }
  const n = Number(m[2]!.replace(/,/g, ''));
  const mult = m[3]?.toLowerCase() === 'k' ? 1000 : m[3]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  const threshold = Math.round(n * mult);
  if (!Number.isFinite(threshold) || threshold <= 0) return undefined;
  return { threshold, above: /^(?:>|≥|>=|over|above|more than|exceeds|exceeding)$/.test(m[1]!) };
}

/** The tier word of a band: undefined for the base band, `above_200k` past the threshold. */
export function bandTier(band: { threshold: number; above: boolean } | undefined): string | undefined {
  return band?.above ? contextTier(band.threshold) : undefined;
}

/**
 * A price rule as a page states it, as the factor it applies: "50% discount",
 * "50% off", "half the price" → "0.5"; "1.25 times", "1.25x", "125% of" → "1.25";
 * "2x" → "2". Undefined when the text states no rule.
 */
export function ruleFactor(text: string): string | undefined {
  const t = cleanText(text);
  let m = /(\d+(?:\.\d+)?)\s*%\s*(?:discount|off|lower|cheaper|less)/i.exec(t);
  if (m) return multiply(String(100 - Number(m[1])), '0.01');
  m = /(\d+(?:\.\d+)?)\s*%\s*of\b/i.exec(t);
  if (m) return multiply(m[1]!, '0.01');
  if (/\bhalf (?:the )?(?:price|cost|rate)\b/i.test(t)) return '0.5';
  m = /(\d+(?:\.\d+)?)\s*(?:x|×|times)\b/i.exec(t);
  if (m) return m[1]!;
  return undefined;
}

/** Tier words joined the way the catalogs join them: the context band first (`above_200k_batch`). */
export function joinTier(...words: (string | undefined)[]): string | undefined {
  const w = words.filter((x): x is string => x !== undefined && x !== '');
  return w.length > 0 ? w.join('_') : undefined;
}

/**
 * Builds a creator page's observations: every price on the creator's own
 * route, unreadable prices recorded as problems (never dropped silently),
 * derived prices marked with the rule and the stated price they come from.
 */
export class CreatorPrices {
  readonly observations: Observation[] = [];
  readonly problems: Problems = [];

  constructor(
    readonly $: cheerio.CheerioAPI,
    private readonly creator: string,
    private readonly route: string,
    private readonly defaultUnit: PriceUnit = 'per_1m_tokens',
  ) {}

  locator(el: cheerio.Cheerio<AnyNode>, detail?: string): string {
    const path = cssPath(this.$, el.get(0)!);
    return detail ? `${path} ${detail}` : path;
  }

  /** A stated price: `text` holds the amount (and maybe its unit); absent texts ("—", "N/A") yield nothing. */
  price(model: string, text: string, q: PriceQualifiers, locator: string, context: string): Observation | undefined {
    if (isAbsent(text)) return undefined;
    try {
      const { usd, unit } = parsePrice(text, q.unit ?? this.defaultUnit);
      const obs: Observation = {
        model,
        creator: this.creator,
        attribute: 'price',
        value: { kind: 'money', usd },
        qualifiers: { ...stripUndefined(q), route: this.route, unit },
        locator,
        excerpt: excerpt(context),
      };
      this.observations.push(obs);
      return obs;
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      this.problems.push({ locator, message: err.message, excerpt: excerpt(context) });
      return undefined;
    }
  }

  /**
   * A price the page implies by a rule it states ("Batch: 50% off"): the stated
   * price times the factor, under the tier the rule is for, marked derived.
   */
  derive(
    from: Observation,
    factor: string,
    rule: string,
    /** The tier word the rule is for (joined after the stated price's own), and the direction when the rule changes it. */
    to: { tier?: string; direction?: Direction },
    locator: string,
  ): Observation {
    if (from.value.kind !== 'money') throw new TypeError('only a money observation can be derived from');
    const tier = joinTier(from.qualifiers.tier, to.tier);
    const qualifiers = { ...from.qualifiers, ...(to.direction ? { direction: to.direction } : {}) };
    delete qualifiers.tier;
    const obs: Observation = {
      ...from,
      value: { kind: 'money', usd: multiply(from.value.usd, factor) },
      qualifiers: tier ? { ...qualifiers, tier } : qualifiers,
      locator,
      excerpt: excerpt(`${rule} · applied to: ${from.excerpt}`),
      derived: { rule: excerpt(rule), from: from.excerpt },
    };
    this.observations.push(obs);
    return obs;
  }

  problem(locator: string, message: string, text: string): void {
    this.problems.push({ locator, message, excerpt: excerpt(text) });
  }

  result(statedAsOf?: Extraction['statedAsOf']): Extraction {
    return {
      observations: this.observations,
      ...(statedAsOf ? { statedAsOf } : {}),
      ...(this.problems.length > 0 ? { problems: this.problems } : {}),
    };
  }
}

function stripUndefined<T extends object>(o: T): T {
  const out = { ...o };
  for (const k of Object.keys(out) as (keyof T)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * A table as a grid: rowspan and colspan expanded, so `grid[r][c]` is the cell
 * covering row r, column c (the same element in every slot it spans). Rows
 * include the header row(s).
 */
export function tableGrid($: cheerio.CheerioAPI, table: cheerio.Cheerio<AnyNode>): cheerio.Cheerio<AnyNode>[][] {
  const grid: cheerio.Cheerio<AnyNode>[][] = [];
  table
    .find('tr')
    .toArray()
    .forEach((tr, r) => {
      grid[r] ??= [];
      let c = 0;
      for (const cell of $(tr).children('th, td').toArray()) {
        while (grid[r]![c]) c++;
        const rows = Math.max(1, Number($(cell).attr('rowspan') ?? 1) || 1);
        const cols = Math.max(1, Number($(cell).attr('colspan') ?? 1) || 1);
        for (let dr = 0; dr < rows; dr++) {
          grid[r + dr] ??= [];
          for (let dc = 0; dc < cols; dc++) grid[r + dr]![c + dc] = $(cell);
        }
        c += cols;
      }
    });
  return grid;
}
