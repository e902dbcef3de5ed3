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

/** The page body as JSON; a body that is not JSON means the layout changed. */
export function parseJsonPage(sourceId: string, page: Page): unknown {
  try {
    return parse(page.body, null, readNumber);
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
