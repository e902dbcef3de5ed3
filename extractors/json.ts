/**
 * Shared readers for JSON catalog pages: the document itself, its numbers as
 * the decimal text the file contains, and the model list in the OpenAI-style
 * `{"data": [...]}` shape (or the bare array).
 */
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { decimal, floatArtifact, isDecimal } from '../schema/decimal.js';
import type { MoneyValue } from '../schema/values.js';
import { LayoutError, type Page } from './contract.js';
import { isRecord } from './parse.js';

/**
 * Integers that a double holds exactly stay numbers (counts, Unix times);
 * every other number keeps its source text as a LosslessNumber, so a price
 * like 2.0345052083e-09 is never read through a double.
 */
function readNumber(text: string): number | LosslessNumber {
  if (/^-?\d{1,15}$/.test(text)) return Number(text);
  return new LosslessNumber(text);
}

/** The whole document as lossless-json reads it: a character at a time in JavaScript. */
export function parseLossless(text: string): unknown {
  return parse(text, null, readNumber);
}

/**
 * A JSON string token with the colon after it when it is a name, or a number token (a superset of
 * JSON's number grammar: leading zeros too).
 */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\[\s\S][^"\\]*)*"(\s*:)?|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const SMALL_INTEGER = /^-?\d{1,15}$/;
/** A NUL in the text, raw or escaped, could pass for the marker below: such a body takes the slow path. */
// eslint-disable-next-line no-control-regex -- a NUL is exactly what is looked for
const HOLDS_NUL = /\u0000|\\u0000/i;
class NotPlainJson extends Error {}

/**
 * Marked strings back to the numbers they were, counting the names the objects kept. A marked name
 * means a number stood where a name must.
 */
function reviveMarked(value: unknown, names: { count: number }): unknown {
  if (typeof value === 'string') return value.charCodeAt(0) === 0 ? new LosslessNumber(value.slice(1)) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveMarked(value[i], names);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  names.count += keys.length;
  for (const k of keys) {
    if (k.charCodeAt(0) === 0) throw new NotPlainJson();
    record[k] = reviveMarked(record[k], names);
  }
  return value;
}

/**
 * The same document as `parseLossless`, in a third of its time, by the engine's own parser: every number that is not a
 * small integer is first rewritten as a string marked with a leading NUL (the body holds none),
 * then turned back into a LosslessNumber of exactly its source text. Anything this path cannot
 * read is read by lossless-json, which gives the same value or the same error as before: a body
 * that is not JSON, one with a NUL anywhere, and one naming a member twice in an object (the
 * engine keeps the last silently: the objects then hold fewer names than the text wrote).
 */
export function parseJsonText(text: string): unknown {
  if (HOLDS_NUL.test(text)) return parseLossless(text);
  let written = 0;
  let out = '';
  let from = 0;
  STRING_OR_NUMBER.lastIndex = 0;
  for (let m = STRING_OR_NUMBER.exec(text); m !== null; m = STRING_OR_NUMBER.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) === 34) {
      if (m[1] !== undefined) written++;
      continue;
    }
    if (SMALL_INTEGER.test(token)) continue;
    out += `${text.slice(from, m.index)}"\\u0000${token}"`;
    from = m.index + token.length;
  }
  const rewritten = from === 0 ? text : out + text.slice(from);
  try {
    const kept = { count: 0 };
    const doc = reviveMarked(JSON.parse(rewritten), kept);
    if (kept.count !== written) throw new NotPlainJson();
    return doc;
  } catch {
    return parseLossless(text);
  }
}

/** The page body as JSON; a body that is not JSON means the layout changed. */
export function parseJsonPage(sourceId: string, page: Page): unknown {
  try {
    return parseJsonText(page.body);
  } catch (cause) {
    throw new LayoutError(sourceId, page.url, 'a JSON document', { cause });
  }
}

/** A JSON number (or decimal string) as the decimal text it was written with; undefined for anything else. */
export function numberText(raw: unknown): string | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? String(raw) : undefined;
  if (isLosslessNumber(raw)) return (raw as LosslessNumber).value;
  if (typeof raw === 'string' && raw.trim() !== '' && isDecimal(raw)) return raw.trim();
  return undefined;
}

/** Whether the value is a JSON number (either representation). */
export const isJsonNumber = (raw: unknown): boolean => typeof raw === 'number' || isLosslessNumber(raw);

/** JSON text of a parsed value with numbers as the file wrote them, for excerpts. */
export function jsonText(value: unknown): string {
  return stringify(value) ?? 'undefined';
}

/**
 * A stated price as a money value: the exact decimal text, or, when the
 * publisher wrote a binary-float artifact, the short decimal it means with
 * the stated text kept beside it as the flag.
 */
export function statedMoney(text: string): MoneyValue {
  const artifact = floatArtifact(text);
  return artifact === undefined ? { kind: 'money', usd: decimal(text) } : { kind: 'money', usd: decimal(artifact), floatArtifact: text };
}

/** Accepts `{"data": [...]}` (live responses) or the bare array (archived copies). */
export function modelList(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (isRecord(doc) && Array.isArray(doc.data)) return doc.data;
  return undefined;
}
