/**
 * Slowly-changing-dimension (type 2) writes over ISO weeks, shared by claims
 * and facts: a row is valid from its `valid_from` week up to (excluding)
 * `valid_to`. Publishing week W compares the new content hashes with the rows
 * valid at W: unchanged rows stay, changed ones are closed at W and a new
 * version starts at W, vanished ones are closed at W. Re-publishing the same
 * week replaces that week's versions. Weeks may arrive out of order.
 */
import { and, eq, getTableColumns, getTableName, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { claims, facts } from '../schema/tables.js';
import type { Db } from './db.js';

type Versioned = typeof claims | typeof facts;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface VersionRow {
  key: string;
  contentHash: string;
}

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
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

export interface VersionResult {
  added: number;
  closed: number;
  unchanged: number;
}

/**
 * Writes the week's rows for one scope (a source's claims, or all facts).
 * `rows` maps key → insert values (without valid_from/valid_to).
 */
export async function writeVersions<R extends VersionRow>(
  tx: Tx,
  table: Versioned,
  scope: SQL | undefined,
  week: string,
  rows: Map<string, R>,
  toInsert: (row: R) => Record<string, unknown>,
): Promise<VersionResult> {
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
  const inserts: Record<string, unknown>[] = [];
  let unchanged = 0;
  for (const [k, row] of rows) {
    const ex = byKey.get(k);
    if (ex && ex.contentHash === row.contentHash) {
      unchanged++;
      continue;
    }
    if (ex) (ex.validFrom === week ? toDelete : toClose).push(ex.id);
    inserts.push({ ...toInsert(row), validFrom: week, validTo: ex?.validTo ?? later.get(k) ?? null });
  }
  for (const ex of current) {
    if (rows.has(ex.key)) continue;
    (ex.validFrom === week ? toDelete : toClose).push(ex.id);
  }
  for (const ids of chunks(toClose)) await tx.update(table).set({ validTo: week }).where(inArray(table.id, ids));
  for (const ids of chunks(toDelete)) await tx.delete(table).where(inArray(table.id, ids));
  await bulkInsert(tx, table, inserts);
  return { added: inserts.length, closed: toClose.length + toDelete.length, unchanged };
}

export function sourceScope(sourceId: string): SQL {
  return eq(claims.sourceId, sourceId);
}

/**
 * Inserts many rows in a few statements: each batch travels as one JSON
 * parameter expanded by json_populate_recordset, which Postgres and PGlite
 * parse far faster than thousands of bound parameters. Still parameterized.
 */
export async function bulkInsert(tx: Tx, table: Versioned, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).filter(([, c]) => c.name !== 'id');
  const names = sql.raw(columns.map(([, c]) => `"${c.name}"`).join(', '));
  const tableName = sql.raw(`"${getTableName(table)}"`);
  const keys = columns.map(([key, c]) => [key, c.name] as const);
  for (const batch of chunks(rows, 5000)) {
    const json = batch.map((row) => {
      const out: Record<string, unknown> = {};
      for (const [key, name] of keys) out[name] = row[key] ?? null;
      return out;
    });
    await tx.execute(
      sql`insert into ${tableName} (${names}) select ${names} from json_populate_recordset(null::${tableName}, ${JSON.stringify(json)}::json)`,
    );
  }
}
