/**
 * Fact outcomes stored once (migration 0012): what a fact version concluded
 * (rule text, status, confidence, chosen value, candidates hash …) is shared
 * by every version that concluded the same — a real week's 33,000 facts have
 * 14,000 distinct outcomes. A week's outcomes are found among the stored ones
 * with the same candidates hash (one statement per batch, no index: a scan of
 * the small table), the others added by one COPY.
 */
import { sql } from 'drizzle-orm';
import { factOutcomes } from '../../schema/tables.js';
import { stableJson } from './claim-refs.js';
import { copyInto } from './copy.js';
import type { Tx } from './db.js';
import type { FactOutcome } from './rows.js';
import { chunks } from './versions.js';
import type { Value } from '../../schema/values.js';

/**
 * What makes two outcomes one row: every part as the table gives it back (a real
 * read back is a float32; jsonb is compared as JSON with sorted keys). A part
 * that reads back otherwise only costs a duplicate row, never a wrong one.
 */
export function outcomeKey(o: FactOutcome): string {
  return [
    o.ruleHead,
    o.ruleTail === null ? '\u0001' : `=${o.ruleTail}`,
    o.status,
    Math.fround(o.confidence),
    o.chosenId ?? '',
    o.chosenUsd ?? '',
    o.candidatesHash,
    o.related === null ? '' : stableJson(o.related),
    o.majority === null ? '' : stableJson(o.majority),
    o.weightVoters === null ? '\u0001' : o.weightVoters.join('\u0001'),
  ].join('\u0000');
}

/** The fact_outcomes id of each outcome given (in their order), adding the ones not stored yet. */
export async function factOutcomeIds(tx: Tx, outcomes: readonly FactOutcome[]): Promise<number[]> {
  const keys = outcomes.map(outcomeKey);
  const wanted = new Map<string, FactOutcome>();
  outcomes.forEach((o, i) => {
    if (!wanted.has(keys[i]!)) wanted.set(keys[i]!, o);
  });
  const ids = new Map<string, number>();
  const hashes = [...new Set(outcomes.map((o) => o.candidatesHash))];
  for (const batch of chunks(hashes, 5000)) {
    const stored = await tx
      .select()
      .from(factOutcomes)
      .where(sql`${factOutcomes.candidatesHash} in (select decode(h, 'hex') from unnest(${sql.param(batch)}::text[]) as h)`);
    for (const r of stored) {
      const k = outcomeKey({
        ...r,
        related: r.related as string[] | null,
        majority: r.majority as Value | null,
      });
      if (wanted.has(k) && !ids.has(k)) ids.set(k, r.id);
    }
  }
  const missing = [...wanted].filter(([k]) => !ids.has(k));
  if (missing.length > 0) {
    // ids from the table's own sequence, then one COPY of the new rows
    const res = (await tx.execute(
      sql`select nextval(pg_get_serial_sequence('fact_outcomes', 'id'))::int as id from generate_series(1, ${missing.length}::int)`,
    )) as unknown as { rows: { id: number }[] };
    missing.forEach(([k], i) => ids.set(k, Number(res.rows[i]!.id)));
    await copyInto(tx, factOutcomes, missing, ([k, o]) => ({ ...o, id: ids.get(k)! }), true);
  }
  return keys.map((k) => ids.get(k)!);
}
