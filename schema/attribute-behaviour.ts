/**
 * Per-attribute behaviour in one table, read everywhere instead of
 * if-chains on attribute names: which value kinds it takes (VALUE_KINDS),
 * how a reviewer's `--value` text is parsed, which canonical form
 * normalization gives a stated value, whether a tier read from a model's
 * name qualifies it, and whether it is provenance only (a page's own
 * freshness date feeds `statedAsOf` and is never reconciled into a fact).
 */
import { VALUE_KINDS, type Attribute } from './attributes.js';
import type { ValueKind } from './values.js';

/** How a reviewer's `--value` text is read (any attribute also takes a JSON Value, and "n/a" where not_applicable is a kind). */
export type ReviewValueParser = 'money' | 'date' | 'license' | 'count' | 'list' | 'modalities' | 'text';

/** The canonical form normalization gives a stated value: one vocabulary across sources. */
export type Normalization = 'as-stated' | 'openness-vocabulary' | 'endpoint-paths';

export interface AttributeBehaviour {
  kinds: readonly ValueKind[];
  reviewValue: ReviewValueParser;
  normalization: Normalization;
  /** An offering tier in the model's name (`:free`) qualifies it: a listing's prices and ids, not the model's facts. */
  tieredByName: boolean;
  /** Stated by pages about themselves, kept as provenance, not a fact about the model. */
  provenanceOnly: boolean;
}

type Row = Omit<AttributeBehaviour, 'kinds'>;
const plain = (reviewValue: ReviewValueParser): Row => ({ reviewValue, normalization: 'as-stated', tieredByName: false, provenanceOnly: false });

const ROWS: Readonly<Record<Attribute, Row>> = {
  release_date: plain('date'),
  license: plain('license'),
  context_window: plain('count'),
  max_output_tokens: plain('count'),
  input_modalities: plain('modalities'),
  output_modalities: plain('modalities'),
  family: plain('text'),
  architecture: plain('text'),
  price: { ...plain('money'), tieredByName: true },
  specialization: plain('text'),
  openness: { ...plain('text'), normalization: 'openness-vocabulary' },
  organization: plain('text'),
  endpoints: { ...plain('list'), normalization: 'endpoint-paths' },
  provider_model_id: { ...plain('text'), tieredByName: true },
  gateway_count: plain('count'),
  page_updated: { ...plain('date'), provenanceOnly: true },
};

export const ATTRIBUTE_BEHAVIOUR: Readonly<Record<Attribute, AttributeBehaviour>> = Object.fromEntries(
  (Object.keys(VALUE_KINDS) as Attribute[]).map((a) => [a, { kinds: VALUE_KINDS[a], ...ROWS[a] }]),
) as Record<Attribute, AttributeBehaviour>;

export function attributeBehaviour(attribute: Attribute): AttributeBehaviour {
  return ATTRIBUTE_BEHAVIOUR[attribute];
}
