import { z } from 'zod';
import { isDecimal } from './decimal.js';

export const DatePrecision = z.enum(['day', 'month', 'year']);
export type DatePrecision = z.infer<typeof DatePrecision>;

const DATE_BY_PRECISION: Record<DatePrecision, RegExp> = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  month: /^\d{4}-\d{2}$/,
  year: /^\d{4}$/,
};

/** A date as precise as its source states it: `2025-10` is October 2025, not October 1st. */
export const DateValue = z
  .object({
    kind: z.literal('date'),
    date: z.string(),
    precision: DatePrecision,
    approximate: z.boolean().optional(),
  })
  .refine((v) => DATE_BY_PRECISION[v.precision].test(v.date), {
    message: 'date text does not match its precision (day YYYY-MM-DD, month YYYY-MM, year YYYY)',
    path: ['date'],
  });
export type DateValue = z.infer<typeof DateValue>;

export const DecimalString = z.string().refine((s) => isDecimal(s), { message: 'must be a decimal number as a string' });

/**
 * An amount of US dollars as an exact decimal string; the unit lives in the
 * claim's qualifiers. `floatArtifact` flags a source that wrote the amount
 * through a binary double (the text it wrote; `usd` is the short decimal it
 * means). `derivation` keeps the exact result of a conversion whose published
 * amount was rounded to the significant digits its inputs support.
 */
export const MoneyValue = z.object({
  kind: z.literal('money'),
  usd: DecimalString.refine((s) => !s.startsWith('-'), { message: 'a price cannot be negative' }),
  floatArtifact: z.string().optional(),
  derivation: z.object({ exact: DecimalString, formula: z.string() }).optional(),
});
export type MoneyValue = z.infer<typeof MoneyValue>;

export const CountValue = z.object({ kind: z.literal('count'), count: z.number().int().nonnegative() });
export type CountValue = z.infer<typeof CountValue>;

/** "Does not apply" (an image model's context window), as opposed to zero. */
export const NotApplicableValue = z.object({ kind: z.literal('not_applicable'), stated: z.string() });
export type NotApplicableValue = z.infer<typeof NotApplicableValue>;

export const TextValue = z.object({ kind: z.literal('text'), text: z.string().min(1) });
export type TextValue = z.infer<typeof TextValue>;

export const ListValue = z.object({ kind: z.literal('list'), items: z.array(z.string().min(1)) });
export type ListValue = z.infer<typeof ListValue>;

export const CommercialUse = z.enum(['allowed', 'conditional', 'non-commercial', 'unknown']);
export type CommercialUse = z.infer<typeof CommercialUse>;

export const LicenseValue = z.object({
  kind: z.literal('license'),
  name: z.string().min(1),
  commercialUse: CommercialUse,
});
export type LicenseValue = z.infer<typeof LicenseValue>;

export const Value = z.union([DateValue, MoneyValue, CountValue, NotApplicableValue, TextValue, ListValue, LicenseValue]);
export type Value = z.infer<typeof Value>;
export type ValueKind = Value['kind'];
