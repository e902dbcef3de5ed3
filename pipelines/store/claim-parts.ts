/**
 * Parts of version rows stored once and referenced (migration 0011): the
 * qualifier sets, the values, and the heads of excerpts and locators — the
 * model entry a catalog's claims are read from ("openai/gpt-4o: " and
 * `$["openai/gpt-4o"]`), shared by that entry's ten or so claims. The views
 * give the whole texts back (head + rest). Finding a part's id reads the
 * (small) lookup table once per publish and adds the parts not stored yet.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Claim } from '../../schema/observation.js';
import { qualifiersKey, type Qualifiers } from '../../schema/qualifiers.js';
import { claimHeads, claimValues, qualifierSets } from '../../schema/tables.js';
import type { Value } from '../../schema/values.js';
import { stableJson } from './claim-refs.js';
import type { Tx } from './db.js';
import { copyInto } from './copy.js';
import { sequenceIds } from './sequence.js';
import type { ClaimParts } from './rows.js';

/** A head shorter than this is stored in the row (a reference costs 4 bytes, a lookup row ~30). */
const MIN_HEAD = 12;

/** An excerpt's head: up to and including its first ": " (`openai/gpt-4o: "max_tokens": 4096`). */
export function splitExcerpt(text: string): [head: string, rest: string] {
  const i = text.indexOf(': ');
  return i > 0 ? [text.slice(0, i + 2), text.slice(i + 2)] : ['', text];
}

/** A locator's head: up to and including its last "]" before a "." (`$["openai/gpt-4o"].max_tokens`). */
export function splitLocator(text: string): [head: string, rest: string] {
  const i = text.lastIndexOf('].');
  return i >= 0 ? [text.slice(0, i + 1), text.slice(i + 1)] : ['', text];
}


/** Ids of `wanted` (by key) in a lookup table, adding the missing rows. */
async function intern<Row extends Record<string, unknown>>(
  tx: Tx,
  table: PgTable & { id: unknown },
  keyOf: (row: Row) => string,
  wanted: Map<string, Row>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (wanted.size === 0) return out;
  const stored = (await tx.select().from(table as never)) as unknown as (Row & { id: number })[];
  for (const r of stored) {
    const k = keyOf(r);
    if (wanted.has(k) && !out.has(k)) out.set(k, r.id);
  }
  const missing = [...wanted].filter(([k]) => !out.has(k));
  if (missing.length === 0) return out;
  // ids from the table's own sequence, then one COPY of the new rows
  const ids = await sequenceIds(tx, table, missing.length);
  missing.forEach(([k], i) => out.set(k, ids[i]!));
  await copyInto(tx, table, missing, ([k, row]) => ({ ...row, id: out.get(k)! }), true);
  return out;
}

const headKey = (h: { excerpt: string; locator: string }) => `${h.excerpt}\u0000${h.locator}`;
const qualifiersRowKey = (q: { key: string; qualifiers: unknown }) => `${q.key}\u0000${stableJson(q.qualifiers)}`;
const valueKey = (v: { value: unknown }) => stableJson(v.value);

function ownKeyCount(o: object): number {
  let n = 0;
  for (const k in o) if (Object.hasOwn(o, k)) n++;
  return n;
}

/**
 * A text that tells values apart, cheaper than their JSON for the two shapes most claims state: a
 * price (`money`, its decimal, and the float artifact it may carry) and a count, when the object holds
 * exactly those fields. Anything else is its JSON text (which starts with `{`, so the two never meet).
 */
function valueShapeKey(v: Value): string {
  const n = ownKeyCount(v);
  if (v.kind === 'money' && typeof v.usd === 'string') {
    if (n === 2) return `money\u0000${v.usd}`;
    if (n === 3 && typeof v.floatArtifact === 'string') return `money\u0000${v.usd}\u0000${v.floatArtifact}`;
  }
  if (v.kind === 'count' && n === 2 && typeof v.count === 'number') return `count\u0000${v.count}`;
  return JSON.stringify(v);
}

/**
 * Keys values by JSON text with sorted object keys (a jsonb value read back has its keys reordered),
 * each distinct value sorted once: a week's 50,000 claims have a few thousand distinct values.
 */
function valueMemoKey(): (v: Value) => string {
  const seen = new Map<string, string>();
  return (v) => {
    const fast = valueShapeKey(v);
    let k = seen.get(fast);
    if (k === undefined) seen.set(fast, (k = valueKey({ value: v })));
    return k;
  };
}

/**
 * The key a qualifier set is interned by, memoised by its qualifiersKey: for
 * schema-valid qualifiers (slug values, no `;` or `=`) that key already tells
 * two sets apart, and it is cheaper to build than JSON text.
 */
function qualifiersRowKeyOf(): (q: Qualifiers) => string {
  const seen = new Map<string, string>();
  return (q) => {
    const key = qualifiersKey(q);
    let k = seen.get(key);
    if (k === undefined) seen.set(key, (k = qualifiersRowKey({ key, qualifiers: q })));
    return k;
  };
}

/** The qualifier set ids of `sets`, adding the sets not stored yet. */
export async function qualifierSetIds(tx: Tx, sets: Iterable<Qualifiers>): Promise<(q: Qualifiers) => number> {
  const keyOf = qualifiersRowKeyOf();
  const wanted = new Map<string, { key: string; qualifiers: unknown }>();
  for (const qualifiers of sets) {
    const k = keyOf(qualifiers);
    if (!wanted.has(k)) wanted.set(k, { key: qualifiersKey(qualifiers), qualifiers });
  }
  const ids = await intern(tx, qualifierSets, qualifiersRowKey, wanted);
  return (q) => ids.get(keyOf(q))!;
}

/** The value ids of `values`, adding the values not stored yet. */
export async function valueIds(tx: Tx, values: Iterable<Value>): Promise<(v: Value) => number> {
  const keyOf = valueMemoKey();
  const wanted = new Map<string, { value: unknown }>();
  for (const value of values) {
    const k = keyOf(value);
    if (!wanted.has(k)) wanted.set(k, { value });
  }
  const ids = await intern(tx, claimValues, valueKey, wanted);
  return (v) => ids.get(keyOf(v))!;
}

/**
 * Each claim's parts as its claim version row stores them, adding the lookup rows not stored yet.
 * Each claim is split and keyed once: its parts are kept until its row is written (a few MB for a
 * week) instead of being worked out again per row.
 */
export async function claimPartIds(tx: Tx, claims: readonly Claim[]): Promise<(c: Claim) => ClaimParts> {
  const qualifierKey = qualifiersRowKeyOf();
  const valueKeyOf = valueMemoKey();
  const heads = new Map<string, { excerpt: string; locator: string }>();
  const qualifiers = new Map<string, { key: string; qualifiers: unknown }>();
  const values = new Map<string, { value: unknown }>();
  /** Per claim: its head's key (undefined: no head), the rest of its excerpt and locator, its qualifiers' and value's keys. */
  const split = new Map<Claim, { head: string | undefined; excerpt: string; locator: string; q: string; v: string }>();
  for (const c of claims) {
    const [eh, excerpt] = splitExcerpt(c.provenance.excerpt);
    const [lh, locator] = splitLocator(c.provenance.locator);
    let head: string | undefined;
    if (eh.length + lh.length >= MIN_HEAD) {
      head = headKey({ excerpt: eh, locator: lh });
      if (!heads.has(head)) heads.set(head, { excerpt: eh, locator: lh });
    }
    const q = qualifierKey(c.qualifiers);
    if (!qualifiers.has(q)) qualifiers.set(q, { key: qualifiersKey(c.qualifiers), qualifiers: c.qualifiers });
    const v = valueKeyOf(c.value);
    if (!values.has(v)) values.set(v, { value: c.value });
    split.set(
      c,
      head === undefined
        ? { head, excerpt: c.provenance.excerpt, locator: c.provenance.locator, q, v }
        : { head, excerpt, locator, q, v },
    );
  }
  const headIds = await intern(tx, claimHeads, headKey, heads);
  const qualifierIds = await intern(tx, qualifierSets, qualifiersRowKey, qualifiers);
  const valueIdsOf = await intern(tx, claimValues, valueKey, values);
  return (c) => {
    const s = split.get(c);
    if (s === undefined) throw new Error(`claim ${c.modelId} ${c.attribute}: its parts were not looked up`);
    const headId = s.head === undefined ? null : headIds.get(s.head);
    if (headId === undefined) throw new Error(`claim ${c.modelId} ${c.attribute}: its excerpt head was not looked up`);
    return { headId, excerpt: s.excerpt, locator: s.locator, qualifiersId: qualifierIds.get(s.q)!, valueId: valueIdsOf.get(s.v)! };
  };
}
