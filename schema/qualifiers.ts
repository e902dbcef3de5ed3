import { z } from 'zod';
import { RouteId } from './ids.js';

/** Units as sources state them; normalization turns per_token into per_1m_tokens and per_pixel into per_image. */
export const PriceUnit = z.enum([
  'per_1m_tokens',
  'per_token',
  'per_image',
  'per_pixel',
  'per_second',
  'per_minute',
  'per_request',
  'per_1k_characters',
]);
export type PriceUnit = z.infer<typeof PriceUnit>;

export const Direction = z.enum(['input', 'output', 'cache_read', 'cache_write']);
export type Direction = z.infer<typeof Direction>;
export const Modality = z.enum(['text', 'image', 'audio', 'video']);
export type Modality = z.infer<typeof Modality>;
export const Quality = z.enum(['low', 'medium', 'high', 'standard', 'hd', 'auto']);
export type Quality = z.infer<typeof Quality>;
/** Pricing tier: batch and flex discounts, priority surcharges, long-context bands. */
export const Tier = z.string().regex(/^[a-z0-9_>.-]+$/, 'tier must be a lower-case slug such as batch or above_200k');

export const Size = z.string().regex(/^\d+x\d+$/, 'size must look like 1024x1024');

/**
 * A time-of-day window in UTC, `HH:MM-HH:MM` (it may wrap past midnight:
 * `16:30-00:30`), for prices that hold only part of the day (off-peak discounts).
 */
export const TimeWindow = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d-(?:[01]\d|2[0-4]):[0-5]\d$/, 'window must look like 16:30-00:30 (UTC)');

/**
 * The tier of a price that holds only above a prompt size: `above_200k` for
 * "> 200K input tokens". The threshold lives in the tier word, as the catalogs
 * already state it (LiteLLM `_above_200k_tokens`, models.dev `context_over_200k`),
 * so a creator's long-context price keys together with theirs; combined with
 * another tier it comes first (`above_200k_batch`).
 */
export function contextTier(thresholdTokens: number): string {
  if (!Number.isInteger(thresholdTokens) || thresholdTokens <= 0) throw new RangeError(`context threshold must be a positive token count, got ${thresholdTokens}`);
  const t = thresholdTokens;
  const label = t % 1_000_000 === 0 ? `${t / 1_000_000}m` : t % 1000 === 0 ? `${t / 1000}k` : String(t);
  return `above_${label}`;
}

/** The prompt-size threshold a context tier word states (`above_200k` → 200000); undefined for other tiers. */
export function contextThreshold(tier: string | undefined): number | undefined {
  const m = /^above_(\d+)(k|m)?(?:_|$)/.exec(tier ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === 'k' ? 1000 : m[2] === 'm' ? 1_000_000 : 1);
}

/**
 * What a claim is about besides model and attribute. Two claims compare only
 * when their qualifiers are the same key: a per-image price without quality
 * or size is a different key from one with them.
 */
export const Qualifiers = z
  .object({
    route: RouteId.optional(),
    unit: PriceUnit.optional(),
    direction: Direction.optional(),
    modality: Modality.optional(),
    quality: Quality.optional(),
    size: Size.optional(),
    tier: Tier.optional(),
    /** Only during this UTC time window (DeepSeek's off-peak prices); absent = all day. */
    window: TimeWindow.optional(),
  })
  .strict();
export type Qualifiers = z.infer<typeof Qualifiers>;

/** Qualifier keys in schema order: the order of keys in qualifiersKey and in reconciled facts. */
export const ORDER = ['route', 'unit', 'direction', 'modality', 'quality', 'size', 'tier', 'window'] as const satisfies readonly (keyof Qualifiers)[];

/**
 * A stable text key for a qualifier set, e.g. `route=openai;unit=per_image;quality=low;size=1024x1024`.
 * Built without intermediate arrays: reconcile groups every claim by it.
 */
export function qualifiersKey(q: Qualifiers): string {
  let key = '';
  for (const k of ORDER) {
    const v = q[k];
    if (v === undefined) continue;
    key += key === '' ? `${k}=${v}` : `;${k}=${v}`;
  }
  return key;
}


/**
 * The qualifiers of the fact a claim speaks to: absent keys dropped, keys in
 * schema order, and a token price with no modality read as the text-token
 * price (one catalog labels its base prices `text`, another leaves them
 * unlabelled: they are one fact).
 */
export function factQualifiers(q: Qualifiers): Qualifiers {
  const out: Record<string, string> = {};
  const textByDefault = q.modality === undefined && (q.unit === 'per_1m_tokens' || q.unit === 'per_token');
  for (const k of ORDER) {
    const v = k === 'modality' && textByDefault ? 'text' : q[k];
    if (v !== undefined) out[k] = v;
  }
  return out as Qualifiers;
}

/** factQualifiers of a stated set with its qualifiersKey, shared by every claim stating that set. */
export interface FactQualifiers {
  qualifiers: Qualifiers;
  key: string;
}

/** By the stated set's qualifiersKey; bounded, so a long-lived process does not keep every set it saw. */
const factQualifiersByStated = new Map<string, FactQualifiers>();

/**
 * factQualifiers(q) and its qualifiersKey, worked out once per distinct qualifier
 * set: every claim of a week is grouped, quarantined and keyed by them, and a
 * week states a few hundred sets. The returned object is shared: never change it.
 * Remembered only when the stated key tells sets apart (no value holding `;` or
 * `=`, as schema-valid slugs never do), so any input gets exactly factQualifiers'.
 */
export function factQualifiersOf(q: Qualifiers): FactQualifiers {
  const stated = qualifiersKey(q);
  const plain = ORDER.every((k) => q[k] === undefined || !/[;=]/.test(q[k]));
  const hit = plain ? factQualifiersByStated.get(stated) : undefined;
  if (hit !== undefined) return hit;
  const qualifiers = factQualifiers(q);
  const out = { qualifiers, key: qualifiersKey(qualifiers) };
  if (plain) {
    if (factQualifiersByStated.size >= 10_000) factQualifiersByStated.clear();
    factQualifiersByStated.set(stated, out);
  }
  return out;
}
