/**
 * Fact outcomes stored once (migration 0012): what a fact version concluded
 * (rule text, status, confidence, chosen value, candidates hash …) is shared
 * by every version that concluded the same — a real week's 33,000 facts have
 * 14,000 distinct outcomes. A week's outcomes are found among the stored ones
 * with the same candidates hash (one statement per batch, no index: a scan of
 * the small table), the others added by one COPY. A rule's tail is stored as
 * the ids of its parts, each part once (migration 0015): tails list the
 * candidates' sources and listings, the same for every fact of a model.
 */
import { sql } from 'drizzle-orm';
import { factOutcomes, factRuleParts } from '../../schema/tables.js';
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

/** Where a tail is split: after a list's separator, a sentence, a colon and around parentheses (migration 0015 splits alike). */
const TAIL_PART_END = /(?<=, |: |\. |\(|\) )/;
/** Longer parts are stored in pieces: a unique index's entries hold at most ≈ 2,700 bytes. */
const TAIL_PIECE = 500;

/** A rule tail's parts, in order: joined they are the tail (an empty tail is one empty part). */
export function splitRuleTail(tail: string): string[] {
  const out: string[] = [];
  for (const part of tail.split(TAIL_PART_END)) {
    if (part.length <= TAIL_PIECE) {
      out.push(part);
      continue;
    }
    for (let i = 0; i < part.length; ) {
      let end = Math.min(i + TAIL_PIECE, part.length);
      // never between the two halves of a surrogate pair (a lone half is no text Postgres stores)
      const last = part.charCodeAt(end - 1);
      if (end < part.length && last >= 0xd800 && last <= 0xdbff) end--;
      out.push(part.slice(i, end));
      i = end;
    }
  }
  return out;
}

/** The fact_rule_parts id of each part given, adding the ones not stored yet. */
async function rulePartIds(tx: Tx, parts: Iterable<string>): Promise<Map<string, number>> {
  const wanted = [...new Set(parts)];
  const out = new Map<string, number>();
  for (const batch of chunks(wanted, 5000)) {
    // one statement: the stored ones, and the others inserted (a concurrent writer's insert is found by the next lookup)
    const res = (await tx.execute(sql`
      with w as (select unnest(${sql.param(batch)}::text[]) as part),
      added as (insert into ${factRuleParts} (part) select w.part from w where not exists (select 1 from ${factRuleParts} p where p.part = w.part)
                on conflict do nothing returning id, part)
      select p.id, p.part from ${factRuleParts} p join w on w.part = p.part union all select id, part from added`)) as unknown as {
      rows: { id: number; part: string }[];
    };
    for (const r of res.rows) out.set(r.part, r.id);
  }
  const missing = wanted.filter((p) => !out.has(p));
  if (missing.length > 0) {
    for (const r of await tx.select().from(factRuleParts).where(sql`${factRuleParts.part} = any(${sql.param(missing)}::text[])`)) out.set(r.part, r.id);
  }
  return out;
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
  // the tails' parts; a stored outcome's tail is read back from them (one with a part not among these is no match)
  const tailParts = distinct.map((o) => (o.ruleTail === null ? null : splitRuleTail(o.ruleTail)));
  const partIds = await rulePartIds(
    tx,
    tailParts.flatMap((p) => p ?? []),
  );
  const partText = new Map<number, string>();
  for (const [part, id] of partIds) partText.set(id, part);
  const tailOf = (parts: number[] | null): string | null | undefined => {
    if (parts === null) return null;
    let tail = '';
    for (const id of parts) {
      const part = partText.get(id);
      if (part === undefined) return undefined;
      tail += part;
    }
    return tail;
  };
  const ids = new Array<number | undefined>(distinct.length).fill(undefined);
  const hashes = [...new Set(distinct.map((o) => o.candidatesHash))];
  for (const batch of chunks(hashes, 5000)) {
    const stored = await tx
      .select()
      .from(factOutcomes)
      .where(sql`${factOutcomes.candidatesHash} in (select decode(h, 'hex') from unnest(${sql.param(batch)}::text[]) as h)`);
    for (const r of stored) {
      const ruleTail = tailOf(r.ruleTailParts);
      if (ruleTail === undefined) continue;
      const j = index.get(
        outcomeKey({
          ...r,
          ruleTail,
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
    await copyInto(
      tx,
      factOutcomes,
      missing,
      (j) => ({ ...distinct[j]!, id: ids[j]!, ruleTailParts: tailParts[j]?.map((p) => partIds.get(p)!) ?? null }),
      true,
    );
  }
  return Array.from(which, (j) => ids[j]!);
}
