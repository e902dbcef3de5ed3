/**
 * Ids from a table's own `serial` sequence, for rows loaded by COPY with their id.
 * The sequence is named once: `nextval(pg_get_serial_sequence(…))` in the select
 * looked it up again for every id (≈5× the time; ≈1 s of a first week's 55,828
 * claim versions). The ids come back as one row of text, not one row object per id.
 */
import { getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './db.js';

/** `n` fresh ids of `table`'s id column, in order. */
export async function sequenceIds(tx: Tx, table: PgTable, n: number): Promise<number[]> {
  if (n === 0) return [];
  const [{ seq }] = ((await tx.execute(sql`select pg_get_serial_sequence(${getTableName(table)}, 'id') as seq`)) as unknown as { rows: { seq: string }[] }).rows as [
    { seq: string },
  ];
  const res = (await tx.execute(
    sql`select string_agg(nextval(${seq}::regclass)::text, ',' order by i) as ids from generate_series(1, ${n}::int) as i`,
  )) as unknown as { rows: { ids: string }[] };
  return res.rows[0]!.ids.split(',').map(Number);
}
