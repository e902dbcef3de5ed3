/**
 * Packed candidate references (fact_versions.candidate_refs, migration 0015): what the store packs, it and
 * the SQL functions the views use read back the same, on both backends.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandidateRefsError, FLAG_BITS, packCandidateRefs, unpackCandidateRefs, type CandidateRefs } from '../pipelines/store/candidate-refs.js';
import { FLAG } from '../schema/flags.js';
import { BACKENDS, freshDb, type TestDb } from './helpers/db.js';

const CASES: CandidateRefs[] = [
  { claims: [1], pages: null, flags: null },
  { claims: [7, 300, 70_000], pages: [null, 12, null], flags: null },
  { claims: [2 ** 31 + 5, 2 ** 32 - 1], pages: null, flags: [[FLAG.conflicting, FLAG.stale], []] },
  { claims: [4, 5], pages: [2 ** 32 - 1, 9], flags: [[], [...FLAG_BITS]] },
  // nothing to say: no pages, no flags stored
  { claims: [3, 4], pages: [null, null], flags: [[], []] },
];

/** What unpack gives back: pages null when none is stored, flags in FLAG_BITS order, null when none. */
function normal(r: CandidateRefs) {
  const pages = r.pages?.some((p) => p !== null) ? r.pages.map((p) => p ?? null) : null;
  const flags = r.flags?.some((f) => f.length > 0) ? r.flags.map((f) => FLAG_BITS.filter((b) => f.includes(b))) : null;
  return { claims: [...r.claims], pages, flags };
}

describe('packed candidate references', () => {
  it('every flag has a bit, each once, within the mask', () => {
    expect(new Set(FLAG_BITS).size).toBe(FLAG_BITS.length);
    expect([...FLAG_BITS].sort()).toEqual(Object.values(FLAG).sort());
    expect(FLAG_BITS.length).toBeLessThanOrEqual(16);
  });

  it('reads back what it packs, in the layout byte 0 announces', () => {
    for (const c of CASES) expect(unpackCandidateRefs(packCandidateRefs(c))).toEqual(normal(c));
    // one byte of layout, then 4 bytes a claim; 4 more a candidate with pages, 2 more with flags
    expect(packCandidateRefs(CASES[0]!)).toBe('0000000001');
    expect(packCandidateRefs(CASES[4]!)).toBe('000000000300000004');
    expect(packCandidateRefs({ claims: [1, 2], pages: [null, 3], flags: [[FLAG.placeholder], [FLAG.zeroNotApplicable, FLAG.placeholder]] })).toBe(
      '03' + '00000001' + '00000002' + '00000000' + '00000003' + '0001' + '0003',
    );
  });

  it('refuses what it cannot pack or read, saying what', () => {
    expect(() => packCandidateRefs({ claims: [0], pages: null, flags: null })).toThrow(/claim version id 0 is not an integer from 1 to 4294967295/);
    expect(() => packCandidateRefs({ claims: [2 ** 32], pages: null, flags: null })).toThrow(CandidateRefsError);
    expect(() => packCandidateRefs({ claims: [1], pages: [1.5], flags: null })).toThrow(/page read id 1.5/);
    expect(() => packCandidateRefs({ claims: [1, 2], pages: [3], flags: null })).toThrow(/1 page reads for 2 claims/);
    expect(() => packCandidateRefs({ claims: [1], pages: null, flags: [['no-such-flag']] })).toThrow(/no bit for the flag "no-such-flag"/);
    expect(() => unpackCandidateRefs('')).toThrow(/not packed references/);
    expect(() => unpackCandidateRefs('zz')).toThrow(/not packed references/);
    expect(() => unpackCandidateRefs('01000000010000')).toThrow(/7 bytes do not fit the layout 1/);
  });

  it('takes other flag names when given them (the test databases plant names no rule makes)', () => {
    const names = [...FLAG_BITS, 'planted'];
    const hex = packCandidateRefs({ claims: [1], pages: null, flags: [['planted']] }, names);
    expect(hex).toBe('02000000018000');
    expect(unpackCandidateRefs(hex, names).flags).toEqual([['planted']]);
    // with the program's names, the planted bit has no name
    expect(unpackCandidateRefs(hex).flags).toEqual([[]]);
  });
});

describe.each(BACKENDS)('packed candidate references in SQL on %s', (kind) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await freshDb(kind);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });
  const one = async <T>(q: ReturnType<typeof sql>) => ((await t.database.db.execute(q)) as unknown as { rows: T[] }).rows;

  it('fact_flag_names() is FLAG_BITS', async () => {
    const [r] = await one<{ names: string[] }>(sql`select fact_flag_names() as names`);
    expect(r!.names).toEqual([...FLAG_BITS]);
  });

  it('fact_candidate_refs, fact_candidate_claims, fact_flags_of and fact_candidates_flagged read what the store packs', async () => {
    for (const c of CASES) {
      const hex = packCandidateRefs(c);
      const want = normal(c);
      const got = await one<{ ord: number; claim_id: string | number; page_id: string | number | null; flags: string[] }>(
        sql`select r.ord, r.claim_id, r.page_id, fact_flags_of(r.flag_bits) as flags from fact_candidate_refs(decode(${hex}, 'hex')) r order by r.ord`,
      );
      expect(got.map((g) => g.ord)).toEqual(want.claims.map((_, i) => i + 1));
      expect(got.map((g) => Number(g.claim_id))).toEqual(want.claims);
      expect(got.map((g) => (g.page_id === null ? null : Number(g.page_id)))).toEqual(want.pages ?? want.claims.map(() => null));
      expect(got.map((g) => g.flags)).toEqual(want.flags ?? want.claims.map(() => []));
      const [claims] = await one<{ ids: (string | number)[] }>(sql`select fact_candidate_claims(decode(${hex}, 'hex')) as ids`);
      expect(claims!.ids.map(Number)).toEqual(want.claims);
      for (const flag of [FLAG.conflicting, FLAG.cacheWriteBelowInput, 'no-such-flag']) {
        const [f] = await one<{ yes: boolean }>(sql`select fact_candidates_flagged(decode(${hex}, 'hex'), ${flag}) as yes`);
        expect(f!.yes, `${hex} ${flag}`).toBe(want.flags?.some((l) => l.includes(flag as never)) ?? false);
      }
    }
  });
});
