/**
 * Fact candidates' page reads and flags stored once (migration 0015): a fact
 * version refers to its arrays by id (fact_versions.pages_id, flags_id). A real
 * week's changed facts are mostly wide ones whose candidates were re-read on
 * the week's pages; the facts of one model share them (W17: 2,082 versions,
 * 120 distinct page arrays, 437 distinct flags), and as arrays in every row
 * they were ≈ 260 kB of the week's growth. Found again by value (one statement
 * per batch, a hash join over the small table).
 */
import { sql } from 'drizzle-orm';
import { factCandidateFlags, factCandidatePages } from '../../schema/tables.js';
import { sequenceIds } from './sequence.js';
import type { Tx } from './db.js';
import { chunks } from './versions.js';

/** Each value's id in its table (null for null), adding the values not stored yet; `text` is the value as its column's text input. */
async function storedOnce<V>(
  tx: Tx,
  table: typeof factCandidatePages | typeof factCandidateFlags,
  values: readonly (V | null)[],
  text: (v: V) => string,
): Promise<(number | null)[]> {
  const index = new Map<string, number>();
  const distinct: { value: V; text: string }[] = [];
  const which = values.map((v) => {
    if (v === null) return -1;
    const t = text(v);
    let j = index.get(t);
    if (j === undefined) {
      j = distinct.length;
      index.set(t, j);
      distinct.push({ value: v, text: t });
    }
    return j;
  });
  const column = sql.raw(table === factCandidatePages ? '"pages"' : '"flags"');
  const type = sql.raw(table === factCandidatePages ? 'bigint[]' : 'jsonb');
  const ids = new Array<number | undefined>(distinct.length).fill(undefined);
  for (const [n, batch] of chunks(distinct, 5000).entries()) {
    const res = (await tx.execute(sql`
      select w.i::int as i, min(s.id)::int as id
      from unnest(${sql.param(batch.map((d) => d.text))}::text[]) with ordinality as w(v, i)
      join ${table} s on s.${column} = w.v::${type}
      group by w.i`)) as unknown as { rows: { i: number; id: number }[] };
    for (const r of res.rows) ids[n * 5000 + r.i - 1] = r.id;
  }
  const missing: number[] = [];
  ids.forEach((id, j) => {
    if (id === undefined) missing.push(j);
  });
  if (missing.length > 0) {
    const fresh = await sequenceIds(tx, table, missing.length);
    missing.forEach((j, n) => (ids[j] = fresh[n]!));
    for (const batch of chunks(missing, 5000)) {
      await tx.execute(sql`
        insert into ${table} ("id", ${column})
        select u.id, u.v::${type} from unnest(${sql.param(batch.map((j) => ids[j]!))}::int[], ${sql.param(batch.map((j) => distinct[j]!.text))}::text[]) as u(id, v)`);
    }
  }
  return which.map((j) => (j < 0 ? null : ids[j]!));
}

/** The fact_candidate_pages id of each candidates' page reads given (null: each candidate's own page read). */
export function candidatePagesIds(tx: Tx, pages: readonly (number[] | null)[]): Promise<(number | null)[]> {
  return storedOnce(tx, factCandidatePages, pages, (p) => `{${p.join(',')}}`);
}

/** The fact_candidate_flags id of each candidates' flags given (null: no candidate has a flag). */
export function candidateFlagsIds(tx: Tx, flags: readonly (Record<string, string[]> | null)[]): Promise<(number | null)[]> {
  return storedOnce(tx, factCandidateFlags, flags, (f) => JSON.stringify(f));
}
