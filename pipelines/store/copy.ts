/**
 * Bulk loading with COPY (IO). A week's tens of thousands of claim and fact
 * versions go to the database as one COPY ... FROM STDIN stream on Postgres
 * and as COPY ... FROM '/dev/blob' batches on PGlite: about twice as fast as
 * INSERT ... SELECT over a JSON parameter, and no statement text is built from
 * the data. Values travel in COPY's text format, escaped field by field.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Column, getTableColumns, getTableName, is } from 'drizzle-orm';
import { PgArray, type PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './db.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** What a PGlite transaction offers for COPY: a query taking a blob. */
interface PgliteTx {
  query(text: string, params?: unknown[], options?: { blob?: Blob }): Promise<unknown>;
  rollback(): Promise<void>;
}

export class CopyTargetError extends Error {}

/** The connection a drizzle transaction runs on: a node-postgres client or a PGlite transaction. */
function connectionOf(tx: Tx): { kind: 'pg'; client: pg.ClientBase } | { kind: 'pglite'; client: PgliteTx } {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client;
  if (client instanceof pg.Client) return { kind: 'pg', client };
  const maybe = client as Partial<PgliteTx> | undefined;
  if (typeof maybe?.query === 'function' && typeof maybe.rollback === 'function') return { kind: 'pglite', client: maybe as PgliteTx };
  throw new CopyTargetError('bulk load: this transaction runs on neither a node-postgres client nor a PGlite transaction');
}

/** One field in COPY text format: \N for null, backslash escapes for the four special characters. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  // a number's text holds none of them
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : String(value);
  if (!/[\\\n\r\t]/.test(text)) return text;
  // the backslash first, so the ones added after are not escaped again; literal replacements, no callback per match,
  // each only when its character is there (a bytea field's `\x` prefix is the only special character most fields hold)
  let out = text.includes('\\') ? text.replaceAll('\\', '\\\\') : text;
  if (out.includes('\n')) out = out.replaceAll('\n', '\\n');
  if (out.includes('\r')) out = out.replaceAll('\r', '\\r');
  if (out.includes('\t')) out = out.replaceAll('\t', '\\t');
  return out;
}

/** Whether a column's driver mapping is drizzle's default, which passes the value through. */
const passesThrough = (c: Column) => c.mapToDriverValue === Column.prototype.mapToDriverValue;

/**
 * A column's non-null value as a COPY field. Text columns, and the others whose driver mapping passes the
 * value through (integers), go as they are; the rest (jsonb, numeric, bytes) through their mapping. An
 * array of such pass-through elements that are all numbers is `{1,2,3}`, the text drizzle's mapping gives
 * (that mapping asks per element whether the element column is itself an array: most of a fact row's cost).
 */
export function encoderOf(c: Column): (v: unknown) => string {
  if (c.columnType === 'PgText' || passesThrough(c)) return copyField;
  if (is(c, PgArray) && !is(c.baseColumn, PgArray) && passesThrough(c.baseColumn)) {
    return (v) => {
      const items = v as unknown[];
      for (let i = 0; i < items.length; i++) if (typeof items[i] !== 'number') return copyField(c.mapToDriverValue(items));
      // a number's text holds nothing COPY or an array literal escapes
      return `{${items.join(',')}}`;
    };
  }
  return (v) => copyField(c.mapToDriverValue(v));
}

/**
 * COPY text in chunks of about `chunkChars` characters, built only as they are
 * asked for. Large chunks, not a few hundred rows each: every chunk is one
 * stream write and one CopyData message, and a week's 50,000 rows in 500-row
 * chunks spent more in the stream than in the text.
 */
export function* chunksOf<T>(items: readonly T[], toLine: (item: T) => string, chunkChars: number) {
  let chunk = '';
  for (let i = 0; i < items.length; i++) {
    chunk += toLine(items[i]!);
    chunk += '\n';
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** About 256 KB of COPY text per stream write on Postgres. */
const PG_CHUNK_CHARS = 1 << 18;

/** COPY text per statement on PGlite, whose input is one in-memory blob (about 5,000 version rows). */
const PGLITE_CHUNK_CHARS = 1 << 20;

/**
 * Appends rows to a table with COPY, inside the caller's transaction. `toRow`
 * gives a row's values by the table's property names; every column but the
 * serial `id` (unless `withId`) is loaded, through each column's own driver mapping (jsonb as
 * JSON text, numbers and timestamps as text).
 */
export async function copyInto<T>(
  tx: Tx,
  table: PgTable,
  items: readonly T[],
  toRow: (item: T) => Record<string, unknown>,
  /** Rows carry their own `id` (taken from the sequence beforehand). */
  withId = false,
): Promise<void> {
  if (items.length === 0) return;
  const columns = Object.entries(getTableColumns(table)).filter(([, c]) => withId || c.name !== 'id') as [string, Column][];
  const statement = `copy "${getTableName(table)}" (${columns.map(([, c]) => `"${c.name}"`).join(', ')}) from`;
  const keys = columns.map(([key]) => key);
  const encoders = columns.map(([, c]) => encoderOf(c));
  const n = keys.length;
  const toLine = (item: T) => {
    const row = toRow(item);
    let line = '';
    for (let i = 0; i < n; i++) {
      const v = row[keys[i]!];
      if (i > 0) line += '\t';
      line += v === null || v === undefined ? '\\N' : encoders[i]!(v);
    }
    return line;
  };
  const connection = connectionOf(tx);
  if (connection.kind === 'pg') {
    // one chunk ahead at most (Readable.from's default holds 16): the rows are built as the socket takes them
    const text = Readable.from(chunksOf(items, toLine, PG_CHUNK_CHARS), { objectMode: true, highWaterMark: 1 });
    await pipeline(text, connection.client.query(copyFrom(`${statement} stdin`)));
    return;
  }
  for (const text of chunksOf(items, toLine, PGLITE_CHUNK_CHARS)) {
    await connection.client.query(`${statement} '/dev/blob'`, [], { blob: new Blob([text]) });
  }
}
