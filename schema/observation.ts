import { z } from 'zod';
import { Attribute } from './attributes.js';
import { ModelId, SourceId } from './ids.js';
import { Qualifiers } from './qualifiers.js';
import { DateValue, Value } from './values.js';

/**
 * A value the page does not state as a number but implies by a rule it does
 * state ("Batch API: 50% off input and output"): the rule's text and the
 * stated value it was applied to. Absent = stated as written.
 */
export const Derivation = z
  .object({
    /** The rule as the page states it. */
    rule: z.string().min(1),
    /** The stated value the rule was applied to, e.g. "Input $3 / MTok". */
    from: z.string().min(1),
  })
  .strict();
export type Derivation = z.infer<typeof Derivation>;

/**
 * A claim as a page states it, before normalization: the model is named the
 * way the page names it and the route the way the page names the provider.
 */
export const Observation = z.object({
  /** The model as the page names it: a slug, a display name or a provider-prefixed id. */
  model: z.string().min(1),
  /** The creator as the page states it, when it does ("OpenAI"). */
  creator: z.string().min(1).optional(),
  attribute: Attribute,
  value: Value,
  /** Qualifiers with the route still as the page names the provider ("Vercel AI Gateway"). */
  qualifiers: Qualifiers.extend({ route: z.string().min(1).optional() }).strict(),
  /** Where on the page: a CSS path, a JSON path or a table cell. */
  locator: z.string().min(1),
  /** The text the value was read from, trimmed to a readable length. */
  excerpt: z.string().min(1),
  /** A listing inside the source, e.g. the models.dev provider whose entry states it. */
  via: z.string().min(1).optional(),
  /** Set when the value is derived from a stated rule rather than stated itself. */
  derived: Derivation.optional(),
});
export type Observation = z.infer<typeof Observation>;

export const Provenance = z.object({
  sourceId: SourceId,
  url: z.string().url(),
  fetchedAt: z.string().datetime(),
  excerpt: z.string(),
  locator: z.string(),
  extractorVersion: z.string(),
  pageHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The page's own "last verified / refreshed" date, when it states one. */
  statedAsOf: DateValue.optional(),
  via: z.string().optional(),
  /** Present when the page implies the value by a rule instead of stating it (see Derivation). */
  derived: Derivation.optional(),
});
export type Provenance = z.infer<typeof Provenance>;

/** A normalized claim: canonical model id and route, canonical unit, validated value. */
export const Claim = z.object({
  modelId: ModelId,
  attribute: Attribute,
  qualifiers: Qualifiers,
  value: Value,
  provenance: Provenance,
});
export type Claim = z.infer<typeof Claim>;

export const ExtractionIssue = z.object({
  sourceId: SourceId,
  url: z.string(),
  message: z.string(),
  detail: z.unknown().optional(),
});
export type ExtractionIssue = z.infer<typeof ExtractionIssue>;
