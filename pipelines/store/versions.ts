/**
 * Slowly-changing-dimension (type 2) writes over ISO weeks, shared by claims
 * and facts: a row is valid from its `valid_from` week up to (excluding)
 * `valid_to`. Publishing week W compares the new content hashes with the rows
 * valid at W: unchanged rows stay, changed ones are closed at W and a new
 * version starts at W, vanished ones are closed at W. Re-publishing the same
 * week replaces that week's versions.
 *
 * Weeks may arrive out of order. Publishing W before an already published
 * later week N of the same scope changes nothing from N on: N's own publish
 * said what held there. A version written at W ends at N at the latest, and a
 * version that W closes but that still held at N is carried on from N.
 *
 * Version rows are append-only: a version's end is a row of its table's ends
 * table (claim_version_ends, fact_version_ends), written when it is closed,
 * and the views read `valid_to` from there. Closing a version by an UPDATE
 * wrote its whole row again, with new entries in every index.
 */
import { and, eq, getTableColumns, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { copyInto } from './copy.js';
import { sequenceIds } from './sequence.js';
import { claimVersionEnds, claimVersions, claims, factVersionEnds, factVersions, facts } from '../../schema/tables.js';
import type { Db } from './db.js';

/** Read through the compatibility views (claims, facts), written to their tables (claim_versions, fact_versions). */
type Versioned = typeof claims | typeof facts;
type Stored = typeof claimVersions | typeof factVersions;

function storedOf(table: Versioned): Stored {
  return table === claims ? claimVersions : factVersions;
}
/** Where the versions of a stored table end. */
export function endsOf(table: Stored): typeof claimVersionEnds | typeof factVersionEnds {
  return table === claimVersions ? claimVersionEnds : factVersionEnds;
}
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** A row to publish: its content hash decides "unchanged"; the row itself is built only if it is inserted. */
export interface VersionRow {
  contentHash: string;
}

const CHUNK = 1000;

/** `items` in slices of `size`, for statements that take a bounded list of rows or ids. */
export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function keyColumn(table: Versioned) {
  return 'identity' in table ? (table as typeof claims).identity : (table as typeof facts).factKey;
}

export function validAt(table: Versioned, week: string): SQL {
  return and(lte(table.validFrom, week), or(isNull(table.validTo), gt(table.validTo, week)))!;
}

/** The earlier of two weeks, where null means "open-ended". */
function earliest(a: string | null | undefined, b: string | null | undefined): string | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return a < b ? a : b;
}

export interface VersionResult {
  added: number;
  closed: number;
  unchanged: number;
  /** With `withIds`: key → id of the version valid at the week (kept or inserted). */
  ids?: Map<string, number>;
  /** With `withIds`: the keys given a new version. */
  inserted?: Set<string>;
}

/**
 * Writes the week's rows for one scope (a source's claims, or all facts).
 * `rows` maps key → an item with its content hash; `toInsert` turns an item
 * that must be inserted into a new object of its insert values (without id and valid_from, which are set on it),
 * a batch at a time, so a week's rows are never all held twice.
 */
export async function writeVersions<R extends VersionRow>(
  tx: Tx,
  table: Versioned,
  scope: SQL | undefined,
  week: string,
  rows: Map<string, R>,
  toInsert: (row: R) => Record<string, unknown>,
  /** The earliest week after `week` at which this scope was already published, or null. */
  nextWeek: string | null,
  /** Return each key's version id (ids of new versions are taken from the sequence before the COPY). */
  withIds = false,
  /** Called with the rows to insert before any is built (e.g. to look up the parts they reference). */
  beforeInsert?: (rows: R[]) => Promise<void>,
  /**
   * Load the new versions in the order of this key (after `beforeInsert`), e.g. an index's: the index's pages then fill
   * in turn instead of splitting half-empty. Their ids are still taken in the rows' own order.
   */
  sortKey?: (row: R) => string,
): Promise<VersionResult> {
  if (nextWeek !== null && nextWeek <= week) throw new RangeError(`next published week ${nextWeek} is not after ${week}`);
  const key = keyColumn(table);
  const current = await tx
    .select({ id: table.id, key, contentHash: table.contentHash, validFrom: table.validFrom, validTo: table.validTo })
    .from(table)
    .where(and(scope, validAt(table, week)));
  const later = new Map<string, string>();
  const laterRows = await tx
    .select({ key, next: sql<string>`min(${table.validFrom})` })
    .from(table)
    .where(and(scope, gt(table.validFrom, week)))
    .groupBy(key);
  for (const r of laterRows) later.set(r.key, r.next);

  const byKey = new Map(current.map((r) => [r.key, r]));
  const toClose: number[] = [];
  const toDelete: number[] = [];
  /** Versions this week ends that still held at the next published week: carried on from there. */
  const toCarry: number[] = [];
  const end = (ex: (typeof current)[number]) => {
    (ex.validFrom === week ? toDelete : toClose).push(ex.id);
    if (nextWeek !== null && (ex.validTo === null || ex.validTo > nextWeek)) toCarry.push(ex.id);
  };
  const inserts: { row: R; key: string; validTo: string | null; id?: number }[] = [];
  const ids = withIds ? new Map<string, number>() : undefined;
  let unchanged = 0;
  for (const [k, row] of rows) {
    const ex = byKey.get(k);
    if (ex && ex.contentHash === row.contentHash) {
      unchanged++;
      ids?.set(k, ex.id);
      continue;
    }
    if (ex) end(ex);
    inserts.push({ row, key: k, validTo: earliest(ex ? ex.validTo : later.get(k), nextWeek) });
  }
  for (const ex of current) if (!rows.has(ex.key)) end(ex);
  const stored = storedOf(table);
  const ends = endsOf(stored);
  for (const batch of chunks(toCarry)) await carryOn(tx, stored, batch, nextWeek!);
  // an end row, or a later end moved earlier (a week published before a later one)
  for (const batch of chunks(toClose)) await endVersions(tx, ends, batch.map((id) => ({ id, validTo: week })));
  for (const batch of chunks(toDelete)) {
    await tx.delete(stored).where(inArray(stored.id, batch));
    await tx.delete(ends).where(inArray(ends.id, batch));
  }
  // a version written before a later published week ends there at the latest: it needs its id for its end row
  const ownIds = ids !== undefined || sortKey !== undefined || inserts.some((i) => i.validTo !== null);
  if (ownIds && inserts.length > 0) {
    const fresh = await sequenceIds(tx, stored, inserts.length);
    inserts.forEach((ins, i) => {
      ins.id = fresh[i]!;
      ids?.set(ins.key, ins.id);
    });
  }
  if (beforeInsert && inserts.length > 0) await beforeInsert(inserts.map((i) => i.row));
  let load = inserts;
  if (sortKey) {
    const keyed = inserts.map((ins) => ({ ins, k: sortKey(ins.row) }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    load = keyed.map((x) => x.ins);
  }
  await copyInto(
    tx,
    stored,
    load,
    ({ row, id }) => {
      // toInsert builds a fresh object per row: completed in place rather than copied by spreading
      const values = toInsert(row);
      if (id !== undefined) values.id = id;
      values.validFrom = week;
      return values;
    },
    ownIds,
  );
  const closedFromStart = inserts.flatMap((i) => (i.validTo === null ? [] : [{ id: i.id!, validTo: i.validTo }]));
  for (const batch of chunks(closedFromStart)) await endVersions(tx, ends, batch);
  const inserted = ids ? new Set(inserts.map((i) => i.key)) : undefined;
  return { added: inserts.length, closed: toClose.length + toDelete.length, unchanged, ...(ids ? { ids, inserted } : {}) };
}

/** Ends the given versions at their weeks (an end already stored moves). */
async function endVersions(tx: Tx, ends: typeof claimVersionEnds | typeof factVersionEnds, rows: { id: number; validTo: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insert(ends)
    .values(rows)
    .onConflictDoUpdate({ target: ends.id, set: { validTo: sql`excluded.valid_to` } });
}

/** Copies of the given versions starting at `from`, each up to where the original ended (its end row copied too). */
async function carryOn(tx: Tx, table: Stored, ids: number[], from: string): Promise<void> {
  const ends = endsOf(table);
  const old = [...ids].sort((a, b) => a - b);
  const fresh = await sequenceIds(tx, table, old.length);
  const columns = Object.values(getTableColumns(table)).filter((c) => c.name !== 'id');
  const names = sql.raw(columns.map((c) => `"${c.name}"`).join(', '));
  const values = sql.join(
    columns.map((c) => (c.name === 'valid_from' ? sql`${from}` : sql.raw(`v."${c.name}"`))),
    sql`, `,
  );
  const pairs = sql`unnest(${sql.param(old)}::bigint[], ${sql.param(fresh)}::bigint[]) as m(old_id, new_id)`;
  await tx.execute(sql`insert into ${table} ("id", ${names}) select m.new_id, ${values} from ${table} v join ${pairs} on m.old_id = v.id`);
  await tx.execute(sql`insert into ${ends} ("id", "valid_to") select m.new_id, e.valid_to from ${ends} e join ${pairs} on m.old_id = e.id`);
}

export function sourceScope(sourceId: string): SQL {
  return eq(claims.sourceId, sourceId);
}
