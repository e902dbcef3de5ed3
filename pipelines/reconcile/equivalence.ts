/**
 * Comparing meanings, not strings. Every value gets a meaning key; two values
 * mean the same when their keys are equal, and they are compatible when one
 * is a less precise statement of the other (2025-10 contains 2025-10-06; a
 * licence with unknown commercial terms contains the same licence with known
 * terms). The less precise keys a value is compatible with are its ancestors.
 */
import { VALUE_KINDS, type Attribute } from '../../schema/attributes.js';
import { compare, relativeDifference } from '../../schema/decimal.js';
import type { Value } from '../../schema/values.js';
import { canonicalDecimal } from '../../schema/keys.js';

// canonical texts live in schema/keys.ts (the store hashes with them too); re-exported for the rules
export { canonicalDecimal, canonicalValue } from '../../schema/keys.js';

export interface Meaning {
  key: string;
  /** Keys of less precise statements this value is compatible with. */
  ancestors: readonly string[];
}

/** The meaning key of "does not apply" — also what 0 means for a limit that can be not applicable. */
export const NOT_APPLICABLE_KEY = 'na';

const NO_ANCESTORS: readonly string[] = [];

/** Case-, width- and spacing-insensitive text; hyphens and underscores count as spaces ("gpt-image" = "GPT Image"). */
export function normText(s: string): string {
  return s.normalize('NFKC').replace(/[\s_-]+/g, ' ').trim().toLowerCase();
}

/** "Apache 2.0", "apache-2.0" and "Apache_2.0" are one licence name. */
function licenseName(s: string): string {
  return normText(s).replace(/[\s_-]+/g, '');
}

/** Attributes where 0 is a catalog's way of saying "not applicable" (an image model's context window). */
export function zeroMeansNotApplicable(attribute: Attribute): boolean {
  return VALUE_KINDS[attribute].includes('not_applicable');
}

export function meaningOf(value: Value, attribute: Attribute): Meaning {
  switch (value.kind) {
    case 'date': {
      const [y, m] = value.date.split('-');
      if (value.precision === 'day') return { key: `d:${value.date}`, ancestors: [`d:${y}-${m}`, `d:${y}`] };
      if (value.precision === 'month') return { key: `d:${value.date}`, ancestors: [`d:${y}`] };
      return { key: `d:${value.date}`, ancestors: NO_ANCESTORS };
    }
    case 'money':
      return { key: `m:${canonicalDecimal(value.usd)}`, ancestors: NO_ANCESTORS };
    case 'count':
      if (value.count === 0 && zeroMeansNotApplicable(attribute)) return { key: NOT_APPLICABLE_KEY, ancestors: NO_ANCESTORS };
      return { key: `c:${value.count}`, ancestors: isTokenLimit(attribute) ? limitForms(value.count) : NO_ANCESTORS };
    case 'not_applicable':
      return { key: NOT_APPLICABLE_KEY, ancestors: NO_ANCESTORS };
    case 'text':
      return { key: `t:${normText(value.text)}`, ancestors: NO_ANCESTORS };
    case 'list': {
      const modal = attribute === 'input_modalities' || attribute === 'output_modalities';
      const items = [...new Set(value.items.map((i) => (modal ? modalityWord(i) : normText(i))))].sort();
      return { key: `l:${JSON.stringify(items)}`, ancestors: NO_ANCESTORS };
    }
    case 'license': {
      const name = licenseName(value.name);
      const ancestors = value.commercialUse === 'unknown' ? NO_ANCESTORS : [`lic:${name}|unknown`];
      return { key: `lic:${name}|${value.commercialUse}`, ancestors };
    }
  }
}

/** Token limits, which catalogs state in binary or decimal thousands. */
export function isTokenLimit(attribute: Attribute): boolean {
  return attribute === 'context_window' || attribute === 'max_output_tokens';
}

/**
 * The less precise forms a token limit is stated in (its ancestors): a
 * binary-thousands limit (a multiple of 1024 that is no round thousand,
 * 131072 = 128 × 1024) is what a catalog writing "128K" as 128000 means, and
 * a power of two (65536) is what a catalog stating the largest index (65535)
 * means. The exact binary value is the more precise statement and wins, as
 * 2025-10-06 wins over 2025-10. 128000 itself is a round thousand: no binary
 * value, no ancestor.
 */
export function limitForms(count: number): readonly string[] {
  if (!Number.isSafeInteger(count) || count < 1024) return NO_ANCESTORS;
  const out: string[] = [];
  if (count % 1024 === 0 && count % 1000 !== 0) out.push(`c:${(count / 1024) * 1000}`);
  if (Number.isInteger(Math.log2(count))) out.push(`c:${count - 1}`);
  return out.length > 0 ? out : NO_ANCESTORS;
}

/** One word per modality: catalogs call a document upload "pdf" (models.dev) or "file" (OpenRouter); both mean the same input. */
function modalityWord(item: string): string {
  const t = normText(item);
  return t === 'pdf' ? 'file' : t;
}

export function compatible(a: Meaning, b: Meaning): boolean {
  return a.key === b.key || a.ancestors.includes(b.key) || b.ancestors.includes(a.key);
}

/**
 * With a price tolerance, prices within it of each other share one key:
 * distinct amounts are sorted and neighbours closer than the tolerance are
 * chained together; the cluster's smallest amount names it. Deterministic,
 * whatever order the amounts came in.
 */
export function moneyClusterKeys(keys: Iterable<string>, tolerance: number): Map<string, string> {
  const amounts = [...new Set([...keys].filter((k) => k.startsWith('m:')).map((k) => k.slice(2)))];
  amounts.sort((a, b) => compare(a, b));
  const out = new Map<string, string>();
  let head: string | undefined;
  let prev: string | undefined;
  for (const amount of amounts) {
    if (head === undefined || prev === undefined || relativeDifference(prev, amount) > tolerance) head = amount;
    out.set(`m:${amount}`, `m:${head}`);
    prev = amount;
  }
  return out;
}

/** Whether two values say the same thing (or one is a less precise form of the other). */
export function sameMeaning(a: Value, b: Value, attribute: Attribute, priceTolerance = 0): boolean {
  if (a.kind === 'money' && b.kind === 'money') {
    return priceTolerance > 0
      ? relativeDifference(a.usd, b.usd) <= priceTolerance
      : canonicalDecimal(a.usd) === canonicalDecimal(b.usd);
  }
  return compatible(meaningOf(a, attribute), meaningOf(b, attribute));
}
