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
export const Modality = z.enum(['text', 'image', 'audio', 'video']);
export const Quality = z.enum(['low', 'medium', 'high', 'standard', 'hd', 'auto']);
/** Pricing tier: batch and flex discounts, priority surcharges, long-context bands. */
export const Tier = z.string().regex(/^[a-z0-9_>.-]+$/, 'tier must be a lower-case slug such as batch or above_200k');

export const Size = z.string().regex(/^\d+x\d+$/, 'size must look like 1024x1024');

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
  })
  .strict();
export type Qualifiers = z.infer<typeof Qualifiers>;

const ORDER: (keyof Qualifiers)[] = ['route', 'unit', 'direction', 'modality', 'quality', 'size', 'tier'];

/** A stable text key for a qualifier set, e.g. `route=openai;unit=per_image;quality=low;size=1024x1024`. */
export function qualifiersKey(q: Qualifiers): string {
  return ORDER.filter((k) => q[k] !== undefined)
    .map((k) => `${k}=${q[k]}`)
    .join(';');
}

