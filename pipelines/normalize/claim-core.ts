/**
 * The schema check of a normalized claim (pure), without running zod on each
 * of a week's 50,000 claims. A catalog states a few hundred model ids, a few
 * hundred qualifier sets and a few thousand values: each distinct one is
 * checked by zod once (zod's verdict is remembered by its text), and a claim
 * whose parts were all seen valid is copied the way zod would have copied it.
 * Anything not seen before goes through zod in full, so a claim that does not
 * fit fails with exactly the SchemaError it always did.
 */
import type { z } from 'zod';
import { parseOrThrow } from '../../schema/errors.js';
import { ORDER, qualifiersKey, type Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';

export interface ClaimCoreInput {
  modelId: string;
  attribute: string;
  qualifiers: Qualifiers;
  value: Value;
  excerpt: string;
  locator: string;
}

/** A copy of parsed data as zod builds it: object keys in the schema's order (present ones only), arrays copied. */
type Copier = (v: unknown) => unknown;

/** zod's internal definition, as far as the copier reads it (zod v4: `_zod.def`). */
interface Def {
  type: string;
  shape?: Record<string, { _zod: { def: Def } }>;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  options?: { _zod: { def: Def } }[];
}

/**
 * How zod's output of `schema` is built from a valid input. Only the shapes
 * claims use are known (objects, optional fields, arrays, unions of objects
 * told apart by a `kind` literal, leaves); for anything else undefined, and the
 * caller parses with zod.
 */
function copierOf(def: Def): Copier | undefined {
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
    case 'literal':
      return (v) => v;
    case 'optional':
      return def.innerType ? copierOf(def.innerType._zod.def) : undefined;
    case 'array': {
      const el = def.element && copierOf(def.element._zod.def);
      return el && ((v) => (v as unknown[]).map(el));
    }
    case 'object': {
      const keys = Object.keys(def.shape ?? {});
      const subs = keys.map((k) => copierOf(def.shape![k]!._zod.def));
      if (subs.some((s) => s === undefined)) return undefined;
      return (v) => {
        const o = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const k = keys[i]!;
          // zod keeps a key given as undefined (an optional field) and leaves out an absent one
          if (k in o) out[k] = o[k] === undefined ? undefined : subs[i]!(o[k]);
        }
        return out;
      };
    }
    case 'union': {
      const byKind = new Map<unknown, Copier>();
      for (const option of def.options ?? []) {
        const d = option._zod.def;
        const kind = d.shape?.kind?._zod.def as (Def & { values?: unknown[] }) | undefined;
        const copy = copierOf(d);
        if (d.type !== 'object' || kind?.type !== 'literal' || kind.values?.length !== 1 || !copy) return undefined;
        byKind.set(kind.values[0], copy);
      }
      return (v) => byKind.get((v as { kind?: unknown }).kind)!(v);
    }
    default:
      return undefined;
  }
}

/** Texts zod found valid, per part; bounded, so a long-running process does not keep every value it ever saw. */
class Seen {
  private readonly set = new Set<string>();
  has(k: string): boolean {
    return this.set.has(k);
  }
  add(k: string): void {
    if (this.set.size >= 100_000) this.set.clear();
    this.set.add(k);
  }
}

/**
 * A checker for the claim core schema `schema` (an object of modelId,
 * attribute, qualifiers, value, excerpt, locator): `check(input, what)` returns
 * what `parseOrThrow(schema, input, what)` returns, and throws what it throws.
 */
export function claimCoreChecker<S extends z.ZodType>(schema: S): (input: ClaimCoreInput, what: string) => z.infer<S> {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const shape = def.shape ?? {};
  const valueCopy = shape.value && copierOf(shape.value._zod.def);
  const qualifiersCopy = shape.qualifiers && copierOf(shape.qualifiers._zod.def);
  const expected = ['modelId', 'attribute', 'qualifiers', 'value', 'excerpt', 'locator'];
  const known = Object.keys(shape).join(',') === expected.join(',') && valueCopy && qualifiersCopy;
  const ids = new Seen();
  const attributes = new Seen();
  const qualifierSets = new Seen();
  const values = new Seen();
  const qualifierKeys = new Set<string>(ORDER);
  /** The qualifiers' key when every key is a known qualifier holding a string (then the key says all there is). */
  const qualifiersText = (q: Qualifiers): string | undefined => {
    for (const k in q) {
      if (!qualifierKeys.has(k) || typeof (q as Record<string, unknown>)[k] !== 'string') return undefined;
    }
    return qualifiersKey(q);
  };
  return (input, what) => {
    if (!known) return parseOrThrow(schema, input, what);
    const q = qualifiersText(input.qualifiers);
    const v = JSON.stringify(input.value);
    if (
      q !== undefined &&
      typeof input.excerpt === 'string' &&
      typeof input.locator === 'string' &&
      ids.has(input.modelId) &&
      attributes.has(input.attribute) &&
      qualifierSets.has(q) &&
      values.has(v)
    ) {
      return {
        modelId: input.modelId,
        attribute: input.attribute,
        qualifiers: qualifiersCopy(input.qualifiers),
        value: valueCopy(input.value),
        excerpt: input.excerpt,
        locator: input.locator,
      } as z.infer<S>;
    }
    const out = parseOrThrow(schema, input, what);
    // valid as a whole, so each part is: remember them
    ids.add(input.modelId);
    attributes.add(input.attribute);
    if (q !== undefined) qualifierSets.add(q);
    if (v !== undefined) values.add(v);
    return out;
  };
}
