/**
 * References instead of copies (compact storage): a fact's candidate is
 * stored as the claim version it came from plus the page read it was seen on.
 * The store remembers which claim version each claim object in memory is
 * (claims read back, and claims just written), so facts reconciled from those
 * very objects can point at them; and it finds or adds the provenance row of
 * each page read.
 */
import { inArray } from 'drizzle-orm';
import type { Candidate } from '../../schema/fact.js';
import type { Claim, Provenance } from '../../schema/observation.js';
import { factRules, provenance } from '../../schema/tables.js';
import type { Tx } from './db.js';
import { fetchedAtIso } from './rows.js';
import { chunks } from './versions.js';

/** A stored claim version: its id, and the provenanceKey of its own page read when known. */
export interface ClaimVersionRef {
  id: number;
  ownPage?: string;
}

/**
 * What the store knows of one provenance object: the claim version of the
 * claim (its value object) it belongs to.
 * One entry per provenance object in one WeakMap, not a map per claim: a week
 * has 50,000 claims, each with its own provenance.
 */
interface PageReadMemo {
  value?: object;
  ref?: ClaimVersionRef;
  /** Further claims sharing this provenance object (rare): value object → claim version. */
  more?: Map<object, ClaimVersionRef>;
  /** Its provenanceKey, once worked out (a provenance object is never changed once its claim is made). */
  page?: string;
}

const memoOf = new WeakMap<object, PageReadMemo>();

function memo(p: object): PageReadMemo {
  let m = memoOf.get(p);
  if (m === undefined) memoOf.set(p, (m = {}));
  return m;
}

export function rememberClaimVersion(c: Pick<Claim, 'value' | 'provenance'>, ref: ClaimVersionRef): void {
  const m = memo(c.provenance);
  if (m.value === undefined || m.value === c.value) {
    m.value = c.value;
    m.ref = ref;
  } else (m.more ??= new Map()).set(c.value, ref);
}

export function claimVersionOf(c: Pick<Candidate, 'value' | 'provenance'>): ClaimVersionRef | undefined {
  const m = memoOf.get(c.provenance);
  if (m === undefined) return undefined;
  return m.value === c.value ? m.ref : m.more?.get(c.value);
}

/**
 * JSON with keys sorted: a value read back from jsonb (keys reordered) has the text it had when written.
 * Written out in one pass (no filtered, sorted and mapped arrays per object; the keys are sorted only when
 * they are not in order already): the store keys every distinct value, qualifier set and page read by it.
 */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out += ',';
      // a hole stays empty, as map and join leave it
      if (i in v) out += stableJson(v[i]);
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    if (keys[i - 1]! > keys[i]!) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (const k of keys) {
    const x = o[k];
    if (x === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${stableJson(x)}`;
  }
  return `${out}}`;
}

type PageRead = Pick<Provenance, 'sourceId' | 'url' | 'fetchedAt' | 'pageHash' | 'extractorVersion' | 'statedAsOf'>;

/**
 * The same date (a page's claims share their page's object; claims read back each have their own):
 * the same keys holding the same primitive values. Anything else counts as different (the key is then
 * worked out again, never wrong).
 */
function sameShallow(a: object | undefined, b: object | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) {
    const v = x[k];
    if ((v !== null && typeof v === 'object') || v !== y[k] || !(k in y)) return false;
  }
  return true;
}

/** The last page read keyed: a week's claims come page by page, so most keys are the one before. */
let last: { p: PageRead; key: string } | undefined;

/**
 * What makes two page reads one provenance row. Remembered per provenance object: the store keys each claim's
 * page read three times, and each fact candidate's twice, in fact order (no longer page by page).
 */
export function provenanceKey(p: PageRead): string {
  const m = memo(p);
  return (m.page ??= pageKeyOf(p));
}

function pageKeyOf(p: PageRead): string {
  const l = last;
  if (
    l !== undefined &&
    l.p.url === p.url &&
    l.p.fetchedAt === p.fetchedAt &&
    l.p.pageHash === p.pageHash &&
    l.p.sourceId === p.sourceId &&
    l.p.extractorVersion === p.extractorVersion &&
    sameShallow(l.p.statedAsOf, p.statedAsOf)
  ) {
    return l.key;
  }
  const key = pageReadKey(p);
  // the fields only, not the claim's provenance object: nothing of a claim is kept alive by this
  last = { p: { sourceId: p.sourceId, url: p.url, fetchedAt: p.fetchedAt, pageHash: p.pageHash, extractorVersion: p.extractorVersion, statedAsOf: p.statedAsOf }, key };
  return key;
}

function pageReadKey(p: PageRead): string {
  return `${p.sourceId}\u0000${p.url}\u0000${fetchedAtIso(p.fetchedAt)}\u0000${p.pageHash}\u0000${p.extractorVersion}\u0000${p.statedAsOf ? stableJson(p.statedAsOf) : ''}`;
}

/** The provenance row id of each page read given (by provenanceKey), adding the rows not stored yet. */
export async function provenanceIds(tx: Tx, reads: Iterable<PageRead>): Promise<Map<string, number>> {
  const wanted = new Map<string, PageRead>();
  for (const p of reads) {
    const k = provenanceKey(p);
    if (!wanted.has(k)) wanted.set(k, p);
  }
  const out = new Map<string, number>();
  if (wanted.size === 0) return out;
  const urls = [...new Set([...wanted.values()].map((p) => p.url))];
  for (const batch of chunks(urls, 500)) {
    const rows = await tx.select().from(provenance).where(inArray(provenance.url, batch));
    for (const r of rows) {
      const k = pageReadKey({ ...r, statedAsOf: (r.statedAsOf ?? undefined) as Provenance['statedAsOf'] });
      if (wanted.has(k) && !out.has(k)) out.set(k, r.id);
    }
  }
  const missing = [...wanted].filter(([k]) => !out.has(k));
  for (const batch of chunks(missing, 500)) {
    const ids = await tx
      .insert(provenance)
      .values(
        batch.map(([, p]) => ({
          sourceId: p.sourceId,
          url: p.url,
          fetchedAt: p.fetchedAt,
          pageHash: p.pageHash,
          extractorVersion: p.extractorVersion,
          statedAsOf: p.statedAsOf ?? null,
        })),
      )
      .returning({ id: provenance.id });
    batch.forEach(([k], i) => out.set(k, ids[i]!.id));
  }
  return out;
}

/** A rule text as stored: its first sentence (kept once in fact_rules) and the rest. */
export function splitRule(rule: string): { head: string; tail: string | null } {
  const i = rule.indexOf('. ');
  return i < 0 ? { head: rule, tail: null } : { head: rule.slice(0, i), tail: rule.slice(i + 2) };
}

/** The fact_rules id of each rule head, adding the heads not stored yet. */
export async function ruleHeadIds(tx: Tx, heads: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(heads)];
  const out = new Map<string, number>();
  for (const batch of chunks(wanted, 500)) {
    await tx.insert(factRules).values(batch.map((head) => ({ head }))).onConflictDoNothing();
    for (const r of await tx.select().from(factRules).where(inArray(factRules.head, batch))) out.set(r.head, r.id);
  }
  return out;
}
