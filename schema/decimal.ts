/**
 * Exact decimal arithmetic on strings. Money never passes through a float:
 * "2e-7" per token becomes exactly "0.2" per 1M tokens.
 */

export class DecimalError extends Error {
  constructor(readonly input: unknown) {
    super(`not a decimal number: ${JSON.stringify(input)}`);
    this.name = 'DecimalError';
  }
}

interface Dec {
  /** the digits as an integer */
  int: bigint;
  /** number of digits after the decimal point */
  scale: number;
}

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parse(input: string | number): Dec {
  const text = typeof input === 'number' ? numberToText(input) : input.trim().replace(/,/g, '');
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new DecimalError(input);
  const [, sign, whole, frac = '', exp = '0'] = m;
  let scale = frac.length - Number(exp);
  let digits = `${whole}${frac}` || '0';
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const int = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { int, scale };
}

function numberToText(n: number): string {
  if (!Number.isFinite(n)) throw new DecimalError(n);
  // String(n) is the shortest text that round-trips, e.g. 2e-7 or 0.0000025:
  // it is the value the publisher wrote, not the binary float's expansion.
  return String(n);
}

function format({ int, scale }: Dec): string {
  const neg = int < 0n;
  let digits = (neg ? -int : int).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    let whole = digits.slice(0, digits.length - scale);
    const frac = digits.slice(digits.length - scale).replace(/0+$/, '');
    if (whole === '') whole = '0';
    digits = frac ? `${whole}.${frac}` : whole;
  }
  if (digits === '0') return '0';
  return neg ? `-${digits}` : digits;
}

/** Canonical text of a decimal: no exponent, no trailing zeros ("0.200" → "0.2"). */
export function decimal(input: string | number): string {
  return format(parse(input));
}

export function isDecimal(input: unknown): boolean {
  if (typeof input !== 'string' && typeof input !== 'number') return false;
  try {
    parse(input);
    return true;
  } catch {
    // a parse failure is the answer to the question, not an error to keep
    return false;
  }
}

/** Multiplies by 10^places exactly (places may be negative). */
export function shift(input: string | number, places: number): string {
  const d = parse(input);
  if (places >= 0) {
    const take = Math.min(places, d.scale);
    return format({ int: d.int * 10n ** BigInt(places - take), scale: d.scale - take });
  }
  return format({ int: d.int, scale: d.scale - places });
}

export function multiply(a: string | number, b: string | number): string {
  const x = parse(a);
  const y = parse(b);
  return format({ int: x.int * y.int, scale: x.scale + y.scale });
}

function align(a: Dec, b: Dec): [bigint, bigint] {
  const scale = Math.max(a.scale, b.scale);
  return [a.int * 10n ** BigInt(scale - a.scale), b.int * 10n ** BigInt(scale - b.scale)];
}

export function compare(a: string | number, b: string | number): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function subtract(a: string | number, b: string | number): string {
  const pa = parse(a);
  const pb = parse(b);
  const [x, y] = align(pa, pb);
  return format({ int: x - y, scale: Math.max(pa.scale, pb.scale) });
}

/**
 * Relative difference |a-b| / max(|a|,|b|) as a float. Only used for
 * tolerance checks and drift ratios, never stored.
 */
export function relativeDifference(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const m = Math.max(Math.abs(x), Math.abs(y));
  return m === 0 ? 0 : Math.abs(x - y) / m;
}

export function isNegative(a: string): boolean {
  return parse(a).int < 0n;
}

/** Significant digits as written: "2.0345052083e-09" has 11, "0.20" has 2, "0" has 1. */
export function significantDigits(input: string): number {
  const m = DECIMAL_RE.exec(input.trim());
  if (!m) throw new DecimalError(input);
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  return Math.max(1, digits.length);
}

/** Rounds to `digits` significant digits, half away from zero, exactly (0.0031999999999475712 at 11 → 0.0032). */
export function roundSignificant(input: string | number, digits: number): string {
  const d = parse(input);
  const neg = d.int < 0n;
  const abs = neg ? -d.int : d.int;
  const len = abs.toString().length;
  if (abs === 0n || len <= digits) return format(d);
  const drop = BigInt(len - digits);
  const unit = 10n ** drop;
  let kept = abs / unit;
  if ((abs % unit) * 2n >= unit) kept += 1n;
  const int = kept * unit * (neg ? -1n : 1n);
  return format({ int, scale: d.scale });
}

/**
 * A number the publisher wrote through a binary double: 16–17 significant
 * digits that, rounded at 15, read as a short decimal (0.7989999999999999 →
 * 0.799, 2.9000000000000004 → 2.9). Returns the short decimal, or undefined
 * when the text is what it says.
 */
export function floatArtifact(input: string): string | undefined {
  const sig = significantDigits(input);
  if (sig < 16 || sig > 17) return undefined;
  const short = roundSignificant(input, 15);
  return significantDigits(short) <= 12 ? short : undefined;
}

/**
 * `stated × factor` (factor exact, e.g. a pixel count) as the shortest decimal
 * the stated number's precision supports: the stated text is good to half a
 * unit of its last digit, so the product is good to that times the factor.
 * 2.0345052083e-09 × 1572864 = 0.0031999999999475712 exactly, which is
 * 0.0032 within that margin.
 */
export function meantProduct(stated: string, factor: string): string {
  const exact = multiply(stated, factor);
  const s = parse(stated);
  const halfUnit = format({ int: 5n, scale: s.scale + 1 });
  const tolerance = multiply(halfUnit, factor);
  const digits = significantDigits(exact);
  for (let n = 1; n < digits; n++) {
    const r = roundSignificant(exact, n);
    const diff = subtract(r, exact);
    if (compare(isNegative(diff) ? diff.slice(1) : diff, tolerance) <= 0) return r;
  }
  return exact;
}
