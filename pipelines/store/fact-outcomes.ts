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
import { sequenceIds } from './sequence.js';
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
  // each outcome by the index of its distinct key: a week's 33,000 keys are long texts, and most repeat (14,000 distinct),
  // so only the distinct ones are kept while the rows are written
  const index = new Map<string, number>();
  const distinct: FactOutcome[] = [];
  const which = new Int32Array(outcomes.length);
  outcomes.forEach((o, i) => {
    const k = outcomeKey(o);
    let j = index.get(k);
    if (j === undefined) {
      j = distinct.length;
      index.set(k, j);
      distinct.push(o);
    }
    which[i] = j;
  });
  const ids = new Array<number | undefined>(distinct.length).fill(undefined);
  const hashes = [...new Set(distinct.map((o) => o.candidatesHash))];
  for (const batch of chunks(hashes, 5000)) {
    const stored = await tx
      .select()
      .from(factOutcomes)
      .where(sql`${factOutcomes.candidatesHash} in (select decode(h, 'hex') from unnest(${sql.param(batch)}::text[]) as h)`);
    for (const r of stored) {
      const j = index.get(
        outcomeKey({
          ...r,
          related: r.related as string[] | null,
          majority: r.majority as Value | null,
        }),
      );
      if (j !== undefined && ids[j] === undefined) ids[j] = r.id;
    }
  }
  const missing: number[] = [];
  ids.forEach((id, j) => {
    if (id === undefined) missing.push(j);
  });
  if (missing.length > 0) {
    // ids from the table's own sequence, then one COPY of the new rows
    const fresh = await sequenceIds(tx, factOutcomes, missing.length);
    missing.forEach((j, n) => (ids[j] = fresh[n]!));
    await copyInto(tx, factOutcomes, missing, (j) => ({ ...distinct[j]!, id: ids[j]! }), true);
  }
  return Array.from(which, (j) => ids[j]!);
}
