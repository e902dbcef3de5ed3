/**
 * Per-attribute behaviour in one table, read everywhere instead of
 * if-chains on attribute names: which value kinds it takes (VALUE_KINDS,
 * also how a reviewer's `--value` is checked), and whether it is
 * provenance only (a page's own freshness date feeds `statedAsOf` and is
 * never reconciled into a fact).
 */
import { VALUE_KINDS, type Attribute } from './attributes.js';
import type { ValueKind } from './values.js';

export interface AttributeBehaviour {
  kinds: readonly ValueKind[];
  /** Stated by pages about themselves, kept as provenance, not a fact about the model. */
  provenanceOnly: boolean;
}

const PROVENANCE_ONLY: ReadonlySet<Attribute> = new Set<Attribute>(['page_updated']);

export const ATTRIBUTE_BEHAVIOUR: Readonly<Record<Attribute, AttributeBehaviour>> = Object.fromEntries(
  (Object.keys(VALUE_KINDS) as Attribute[]).map((a) => [a, { kinds: VALUE_KINDS[a], provenanceOnly: PROVENANCE_ONLY.has(a) }]),
) as Record<Attribute, AttributeBehaviour>;

export function attributeBehaviour(attribute: Attribute): AttributeBehaviour {
  return ATTRIBUTE_BEHAVIOUR[attribute];
}
