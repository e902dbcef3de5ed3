/**
 * A catalog page's JSON is read by the engine's parser with numbers kept as their source text
 * (extractors/json.ts parseJsonText). It must give exactly what lossless-json gives — the same
 * values, numbers as LosslessNumbers of the same text — or fail where lossless-json fails.
 */
import fc from 'fast-check';
import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseJsonText, parseLossless } from '../extractors/json.js';

/** Plain data with each LosslessNumber as a tagged text, so deep equality compares the texts. */
function plain(value: unknown): unknown {
  if (isLosslessNumber(value)) return { lossless: (value as LosslessNumber).value };
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function outcome(read: (text: string) => unknown, text: string): { ok: unknown } | { fails: true } {
  try {
    return { ok: plain(read(text)) };
  } catch {
    return { fails: true };
  }
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
/** Number texts as catalogs write them: integers short and long, fractions, exponents, leading zeros (not JSON). */
const numberText = fc.oneof(
  fc.tuple(fc.constantFrom('', '-'), digits(1, 22)).map(([s, d]) => `${s}${d}`),
  fc
    .tuple(fc.constantFrom('', '-'), digits(1, 3), digits(1, 18), fc.constantFrom('', 'e-9', 'E+3', 'e05', 'e-06'))
    .map(([s, i, f, e]) => `${s}${i}.${f}${e}`),
  fc.constantFrom('0', '-0', '1e-7', '2.0345052083e-09', '0.30000000000000004', '123456789012345', '1234567890123456', '9007199254740993'),
);
const stringText = fc.oneof(
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"a\\"b"', '"\\\\"', '"\\u00e9"', '"\\ud83d\\ude00"', '"1.5"', '"\\"2.5\\""', '"__proto__"', '"12"', '"x:y"'),
);
const ws = fc.constantFrom('', ' ', '\n  ', '\t');

/** A JSON text built from parts, so numbers keep the spelling under test; names may repeat. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom('true', 'false', 'null'),
    fc.array(tie('value'), { maxLength: 4 }).chain((items) => ws.map((w) => `[${w}${items.join(`,${w}`)}]`)),
    fc
      .array(fc.tuple(fc.oneof(stringText, fc.constantFrom('"k"', '"k"', '"1"')), tie('value')), { maxLength: 4 })
      .chain((members) => ws.map((w) => `{${w}${members.map(([k, v]) => `${k}${w}:${w}${v}`).join(`,${w}`)}}`)),
  ),
})).value;

describe('parseJsonText: the JSON of a catalog page', () => {
  it('gives what lossless-json gives, numbers as their source text, for any document', () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        expect(outcome(parseJsonText, text)).toEqual(outcome(parseLossless, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('fails where lossless-json fails, and reads what it reads, when a document is damaged', () => {
    fc.assert(
      fc.property(jsonText, fc.nat(), fc.constantFrom('', '"', '1', '.5', ':', ',', '\\', '\u0000', 'e', '}'), (text, at, insert) => {
        const i = at % (text.length + 1);
        const damaged = `${text.slice(0, i)}${insert}${text.slice(i + 1)}`;
        expect(outcome(parseJsonText, damaged)).toEqual(outcome(parseLossless, damaged));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps each number as written where a double would change it', () => {
    const doc = parseJsonText('{"p": 2.0345052083e-09, "q": 0.30000000000000004, "n": 12, "big": 9007199254740993, "s": "1.5"}') as Record<
      string,
      unknown
    >;
    expect((doc.p as LosslessNumber).value).toBe('2.0345052083e-09');
    expect((doc.q as LosslessNumber).value).toBe('0.30000000000000004');
    expect(doc.n).toBe(12);
    expect((doc.big as LosslessNumber).value).toBe('9007199254740993');
    expect(doc.s).toBe('1.5');
  });

  it('refuses a number where a name must stand, and a member named twice with two values, as lossless-json does', () => {
    expect(() => parseJsonText('{1.5: 2}')).toThrow();
    expect(() => parseJsonText('{"a": 1.5, "a": 2.5}')).toThrow(/Duplicate key/);
    expect(parseJsonText('{"a": 1.5, "a": 1.5}')).toEqual(parseLossless('{"a": 1.5, "a": 1.5}'));
  });

  it('reads a document whose strings hold a NUL, escaped or not, without mistaking them for numbers', () => {
    const text = '{"a": "\\u00001.5", "b": 2.5}';
    const doc = parseJsonText(text) as Record<string, unknown>;
    expect(doc.a).toBe('\u00001.5');
    expect((doc.b as LosslessNumber).value).toBe('2.5');
  });
});
