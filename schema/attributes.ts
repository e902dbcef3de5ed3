import { z } from 'zod';
import type { ValueKind } from './values.js';

/** The attribute vocabulary, extended with facts the catalog pages state. */
export const Attribute = z.enum([
  'release_date',
  'license',
  'context_window',
  'max_output_tokens',
  'input_modalities',
  'output_modalities',
  'family',
  'architecture',
  'price',
  'specialization',
  'openness',
  'organization',
  'endpoints',
  'provider_model_id',
  'gateway_count',
  'page_updated',
]);
export type Attribute = z.infer<typeof Attribute>;

/** Which value kinds each attribute accepts: a licence is never a number, a price never a date. */
export const VALUE_KINDS: Record<Attribute, readonly ValueKind[]> = {
  release_date: ['date'],
  license: ['license'],
  context_window: ['count', 'not_applicable'],
  max_output_tokens: ['count', 'not_applicable'],
  input_modalities: ['list'],
  output_modalities: ['list'],
  family: ['text'],
  architecture: ['text'],
  price: ['money'],
  specialization: ['text'],
  openness: ['text'],
  organization: ['text'],
  endpoints: ['list'],
  provider_model_id: ['text'],
  gateway_count: ['count'],
  page_updated: ['date'],
};

