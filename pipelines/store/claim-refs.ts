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
import { isoTimestamp } from './rows.js';
import { chunks } from './versions.js';

/** A stored claim version: its id, and the provenanceKey of its own page read when known. */
export interface ClaimVersionRef {
  id: number;
  ownPage?: string;
}

/** provenance object → value object → claim version (a claim is its value and its provenance). */
const versionOf = new WeakMap<object, WeakMap<object, ClaimVersionRef>>();

export function rememberClaimVersion(c: Pick<Claim, 'value' | 'provenance'>, ref: ClaimVersionRef): void {
  let byValue = versionOf.get(c.provenance);
  if (!byValue) versionOf.set(c.provenance, (byValue = new WeakMap()));
  byValue.set(c.value, ref);
}

export function claimVersionOf(c: Pick<Candidate, 'value' | 'provenance'>): ClaimVersionRef | undefined {
  return versionOf.get(c.provenance)?.get(c.value);
}

/** JSON with keys sorted: a value read back from jsonb (keys reordered) has the text it had when written. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

type PageRead = Pick<Provenance, 'sourceId' | 'url' | 'fetchedAt' | 'pageHash' | 'extractorVersion' | 'statedAsOf'>;

/** A run has a few fetch times and tens of thousands of claims: each time is parsed once. */
const isoOf = new Map<string, string>();
function iso(ts: string): string {
  let out = isoOf.get(ts);
  if (out === undefined) {
    if (isoOf.size > 10_000) isoOf.clear();
    isoOf.set(ts, (out = isoTimestamp(ts)));
  }
  return out;
}

const keyOf = new WeakMap<object, string>();

/** What makes two page reads one provenance row. */
export function provenanceKey(p: PageRead): string {
  let key = keyOf.get(p);
  if (key === undefined) {
    key = [p.sourceId, p.url, iso(p.fetchedAt), p.pageHash, p.extractorVersion, p.statedAsOf ? stableJson(p.statedAsOf) : ''].join('\u0000');
    keyOf.set(p, key);
  }
  return key;
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
      const k = provenanceKey({ ...r, statedAsOf: (r.statedAsOf ?? undefined) as Provenance['statedAsOf'] });
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
