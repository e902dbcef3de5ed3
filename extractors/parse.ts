/**
 * The one shared set of text parsers every extractor uses: money, prices with
 * units, dates at their stated precision, counts, sizes and qualities.
 * Pure functions; they throw ParseError naming the text they could not read.
 */
import { InputError } from '../schema/errors.js';
import { decimal, shift } from '../schema/decimal.js';
import { Quality, type PriceUnit } from '../schema/qualifiers.js';
import type { DateValue, Value } from '../schema/values.js';

/** A value that cannot be read: bad input when a person typed it, a problem (or a changed layout) on a page. */
export class ParseError extends InputError {
  constructor(
    readonly what: string,
    readonly text: string,
  ) {
    super(`cannot read ${what} from ${JSON.stringify(text.slice(0, 120))}`);
    this.name = 'ParseError';
  }
}

/** Collapses whitespace (including non-breaking spaces) to single spaces. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Cuts a text to at most `max` characters, marking the cut with "…". */
export function truncate(text: string, max = 240): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** An excerpt short enough to show in a report, long enough to recognise. */
export function excerpt(text: string, max = 240): string {
  return truncate(cleanText(text), max);
}

const MONEY_RE = /(?:US)?\$\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([kKmM](?![a-z]))?/;

/** "$0.0100" → "0.01"; "$2.00" → "2"; "$1.5k" → "1500". */
export function parseMoney(text: string): string {
  const m = MONEY_RE.exec(text);
  if (!m) throw new ParseError('a dollar amount', text);
  const amount = decimal(m[1]!);
  const suffix = m[2]?.toLowerCase();
  if (suffix === 'k') return shift(amount, 3);
  if (suffix === 'm') return shift(amount, 6);
  return amount;
}

/** True when the text states no price: "-", "—", "Not sourced", "N/A", "free" is not among them. */
export function isAbsent(text: string): boolean {
  return /^\s*(?:[-–—]|n\/?a|not (?:sourced|available|supported|listed)|unknown|tbd|)\s*$/i.test(cleanText(text));
}

const UNIT_PATTERNS: [RegExp, PriceUnit][] = [
  [/(?:\/|per)\s*(?:1\s*m\b|1,000,000|million|1m tokens|mtok)/i, 'per_1m_tokens'],
  [/(?:\/|per)\s*(?:1\s*k\b|1,000|thousand)\s*(?:char)/i, 'per_1k_characters'],
  [/(?:\/|per)\s*(?:generated\s+)?image\b|\/\s*img\b/i, 'per_image'],
  [/(?:\/|per)\s*pixel/i, 'per_pixel'],
  [/(?:\/|per)\s*(?:second|sec|s)\b/i, 'per_second'],
  [/(?:\/|per)\s*(?:minute|min)\b/i, 'per_minute'],
  [/(?:\/|per)\s*token\b/i, 'per_token'],
  [/(?:\/|per)\s*request\b/i, 'per_request'],
];

/** Reads the unit a price text states ("/ 1M", "per image" ...); undefined when it states none. */
export function parseUnit(text: string): PriceUnit | undefined {
  for (const [re, unit] of UNIT_PATTERNS) if (re.test(text)) return unit;
  return undefined;
}

/** "$2.00 / 1M" → { usd: "2", unit: "per_1m_tokens" }; a unit stated elsewhere (a column header) is the fallback. */
export function parsePrice(text: string, fallbackUnit?: PriceUnit): { usd: string; unit: PriceUnit } {
  const usd = parseMoney(text);
  const unit = parseUnit(text) ?? fallbackUnit;
  if (!unit) throw new ParseError('a price unit', text);
  return { usd, unit };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthNumber(name: string): number | undefined {
  const i = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return i < 0 ? undefined : i + 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function day(y: number, m: number, d: number, text: string): DateValue {
  if (!validDay(y, m, d)) throw new ParseError('a calendar date', text);
  return { kind: 'date', date: `${y}-${pad(m)}-${pad(d)}`, precision: 'day' };
}

/**
 * Dates at the precision the text states: "2025-10-06" and "October 6, 2025"
 * are days, "Jan 2025" and "2025-10" are months, "2025" is a year.
 */
export function parseDate(text: string): DateValue {
  const t = cleanText(text);
  // (?!\d) rather than \b: an ISO timestamp (2026-04-19T03:14:20Z) is still a day
  let m = /\b(\d{4})-(\d{2})-(\d{2})(?!\d)/.exec(t);
  if (m) return day(+m[1]!, +m[2]!, +m[3]!, text);
  m = /\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b/.exec(t);
  if (m) return day(+m[1]!, +m[2]!, +m[3]!, text);
  m = /\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/.exec(t);
  if (m && monthNumber(m[1]!)) return day(+m[3]!, monthNumber(m[1]!)!, +m[2]!, text);
  m = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(t);
  if (m && monthNumber(m[2]!)) return day(+m[3]!, monthNumber(m[2]!)!, +m[1]!, text);
  m = /\b([A-Za-z]{3,9})\.?,?\s+(\d{4})\b/.exec(t);
  if (m && monthNumber(m[1]!)) return { kind: 'date', date: `${m[2]}-${pad(monthNumber(m[1]!)!)}`, precision: 'month' };
  m = /\b(\d{4})-(\d{2})\b/.exec(t);
  if (m && +m[2]! >= 1 && +m[2]! <= 12) return { kind: 'date', date: `${m[1]}-${m[2]}`, precision: 'month' };
  m = /^(?:\D*\s)?(\d{4})(?:\s\D*)?$/.exec(t);
  if (m && +m[1]! >= 1990 && +m[1]! <= 2100) return { kind: 'date', date: m[1]!, precision: 'year' };
  throw new ParseError('a date', text);
}

/** A Unix timestamp in seconds as a day-precision date (UTC). */
export function dateFromUnix(seconds: number): DateValue {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new ParseError('a Unix timestamp', String(seconds));
  return { kind: 'date', date: new Date(seconds * 1000).toISOString().slice(0, 10), precision: 'day' };
}

/** "128,000" → 128000; "128K" → 128000; "1M" → 1000000; "1.05M tokens" → 1050000. */
export function parseCount(text: string): number {
  const m = /([0-9][0-9,]*(?:\.[0-9]+)?)\s*([kKmM])?\b/.exec(cleanText(text));
  if (!m) throw new ParseError('a count', text);
  const n = Number(m[1]!.replace(/,/g, ''));
  const mult = m[2]?.toLowerCase() === 'k' ? 1000 : m[2]?.toLowerCase() === 'm' ? 1_000_000 : 1;
  return Math.round(n * mult);
}

/** An image size as text states it: "1024×1024", "1024 x 1024", "1024-x-1024". */
export const SIZE_RE = /(\d{3,5})\s*(?:[x×*]|-x-)\s*(\d{3,5})/i;

/** "1024×1024", "1024 x 1024", "1024-x-1024" → "1024x1024". */
export function parseSize(text: string): string {
  const m = SIZE_RE.exec(text);
  if (!m) throw new ParseError('an image size', text);
  return `${m[1]}x${m[2]}`;
}

/** "Low quality" → "low"; "HD" → "hd". */
export function parseQuality(text: string): Quality {
  const t = cleanText(text).toLowerCase();
  const q = Quality.options.find((name) => new RegExp(`\\b${name}\\b`).test(t));
  if (!q) throw new ParseError('an image quality', text);
  return q;
}

/** Modality words in a text ("Text, image" → ["image", "text"]), sorted and de-duplicated. */
export function parseModalities(text: string): string[] {
  const t = cleanText(text).toLowerCase();
  const found = ['text', 'image', 'audio', 'video', 'file', 'pdf', 'embedding'].filter((m) =>
    new RegExp(`\\b${m}s?\\b`).test(t),
  );
  if (found.length === 0) throw new ParseError('modalities', text);
  return found.sort();
}

/** Short label of a token count for tier names: 200000 → "200k", 1000000 → "1m". */
export function shortCount(n: number): string {
  if (n % 1_000_000 === 0) return `${n / 1_000_000}m`;
  if (n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

/** A token limit: 0 means "not applicable", null/absent means unstated; anything else but a count is 'invalid'. */
export function tokenLimit(value: unknown): Value | undefined | 'invalid' {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return 'invalid';
  return value === 0 ? { kind: 'not_applicable', stated: '0' } : { kind: 'count', count: value };
}

/**
 * A Bedrock cross-region inference profile prefix on a model id (`us.anthropic.claude-...`):
 * group 1 is the geo word, a tier of its own.
 */
export const BEDROCK_GEO = /^(us|eu|apac|global|au|jp|ca|us-gov)\.[a-z0-9-]+\./;

/** A JSON array of non-empty strings as a sorted set; anything else is undefined. */
export function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) return undefined;
  return [...new Set(value as string[])].sort();
}

/** A JSON object (not an array, not null), for reading payloads field by field. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
