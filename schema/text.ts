/**
 * Text Postgres can store. A NUL character is refused by both text and jsonb
 * columns, and a lone UTF-16 surrogate is not Unicode at all ("unsupported
 * Unicode escape sequence"): one such character in one scraped string used to
 * abort a whole run after every source had finished. Scraped values are
 * checked here, at the schema boundary, and refused one by one.
 */

// NUL, or a high surrogate not followed by a low one, or a low surrogate not preceded by a high one
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const UNSTORABLE_ALL = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface UnstorableText {
  /** Where in the value: `model`, `value.text`, `qualifiers.route` … */
  path: string;
  problem: string;
}

function describe(text: string): string {
  const m = UNSTORABLE.exec(text)!;
  return m[0] === '\u0000' ? 'a NUL character (U+0000)' : `a lone surrogate (U+${m[0].charCodeAt(0).toString(16).toUpperCase()})`;
}

/** The first string (or object key) in `value` that cannot be stored, with its path; undefined when all can. */
export function findUnstorableText(value: unknown, path = ''): UnstorableText | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { path: path || '(value)', problem: describe(value) } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const at = Array.isArray(value) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    if (UNSTORABLE.test(k)) return { path: at, problem: `a key with ${describe(k)}` };
    const found = findUnstorableText(v, at);
    if (found) return found;
  }
  return undefined;
}

/** A copy that can be stored (for an issue's detail): each bad character becomes U+FFFD. */
export function storableCopy<T>(value: T): T {
  if (typeof value === 'string') return value.replace(UNSTORABLE_ALL, '\ufffd') as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(storableCopy) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableCopy(k), storableCopy(v)])) as T;
}
