/**
 * A fact version's candidates as one packed byte string (fact_versions.candidate_refs, migration 0015): the
 * claim version each candidate came from, the page read it was seen on when that is not the claim version's
 * own, and its flags as bits. A real week re-versions a thousand facts of six candidates each; as three arrays
 * (bigint[], bigint[], jsonb) their references took ≈ 200 bytes a row, packed ≈ 30–60.
 *
 * Layout: byte 0 says what follows (bit 0: page ids, bit 1: flag bits); then one unsigned 32-bit big-endian
 * claim version id per candidate; then, with bit 0, one 32-bit page read id per candidate (0: the claim
 * version's own page read); then, with bit 1, one 16-bit flag mask per candidate (bit k: FLAG_BITS[k]).
 * The SQL functions of migration 0015 read the same layout (fact_candidate_refs, fact_flag_names).
 */
import { FLAG, type Flag } from '../../schema/flags.js';

/**
 * The flags in the order of their bits. Append only: a stored mask means what this order said when it was
 * written. migration 0015's fact_flag_names() returns the same list (a test compares them); a new flag
 * needs a migration that adds it there too.
 */
export const FLAG_BITS: readonly Flag[] = [
  FLAG.placeholder,
  FLAG.zeroNotApplicable,
  FLAG.stale,
  FLAG.approximate,
  FLAG.unqualifiedMatch,
  FLAG.possibleCopy,
  FLAG.conflicting,
  FLAG.rejected,
  FLAG.otherListing,
  FLAG.passThrough,
  FLAG.farFromGateway,
  FLAG.unitSlip,
  FLAG.zeroPrice,
  FLAG.cacheReadAboveInput,
  FLAG.cacheWriteBelowInput,
];

const bitsOf = new WeakMap<readonly string[], Map<string, number>>();
function bitOf(names: readonly string[], flag: string): number | undefined {
  let m = bitsOf.get(names);
  if (m === undefined) bitsOf.set(names, (m = new Map(names.map((f, i) => [f, i]))));
  return m.get(flag);
}

/** The largest id a packed reference holds. */
const MAX_ID = 0xffff_ffff;

/** A fact version's candidate references, in the candidates' order. */
export interface CandidateRefs {
  claims: readonly number[];
  /** Each candidate's page read; null (or the array null) where it is the claim version's own. */
  pages: readonly (number | null)[] | null;
  /** Each candidate's flags; null when no candidate has one. */
  flags: readonly (readonly string[])[] | null;
}

export class CandidateRefsError extends Error {}

function checkId(id: number, what: string): number {
  if (!Number.isInteger(id) || id < 1 || id > MAX_ID) throw new CandidateRefsError(`candidate references: ${what} id ${id} is not an integer from 1 to ${MAX_ID}`);
  return id;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The packed references as hex (the column's driver text is `\x` and this). `names` are the flags by bit
 * (FLAG_BITS; at most 16).
 */
export function packCandidateRefs(refs: CandidateRefs, names: readonly string[] = FLAG_BITS): string {
  const n = refs.claims.length;
  const pages = refs.pages && refs.pages.some((p) => p !== null && p !== 0) ? refs.pages : null;
  const flags = refs.flags && refs.flags.some((f) => f.length > 0) ? refs.flags : null;
  if (pages && pages.length !== n) throw new CandidateRefsError(`candidate references: ${pages.length} page reads for ${n} claims`);
  if (flags && flags.length !== n) throw new CandidateRefsError(`candidate references: ${flags.length} flag lists for ${n} claims`);
  let out = HEX[(pages ? 1 : 0) | (flags ? 2 : 0)]!;
  const u32 = (v: number) => {
    out += HEX[v >>> 24]! + HEX[(v >>> 16) & 0xff]! + HEX[(v >>> 8) & 0xff]! + HEX[v & 0xff]!;
  };
  for (const id of refs.claims) u32(checkId(id, 'claim version'));
  if (pages) for (const p of pages) u32(p === null || p === 0 ? 0 : checkId(p, 'page read'));
  if (flags) {
    for (const list of flags) {
      let mask = 0;
      for (const f of list) {
        const bit = bitOf(names, f);
        if (bit === undefined || bit > 15) throw new CandidateRefsError(`candidate references: no bit for the flag ${JSON.stringify(f)} (schema/flags.ts and FLAG_BITS disagree)`);
        mask |= 1 << bit;
      }
      out += HEX[mask >>> 8]! + HEX[mask & 0xff]!;
    }
  }
  return out;
}

/** The references packCandidateRefs packed (flags in FLAG_BITS order). */
export function unpackCandidateRefs<F extends string = Flag>(
  hex: string,
  names: readonly F[] = FLAG_BITS as readonly F[],
): { claims: number[]; pages: (number | null)[] | null; flags: F[][] | null } {
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length === 0 || bytes.length * 2 !== hex.length) throw new CandidateRefsError('candidate references: not packed references (empty or not hex)');
  const mode = bytes[0]!;
  const width = 4 + (mode & 1 ? 4 : 0) + (mode & 2 ? 2 : 0);
  const n = (bytes.length - 1) / width;
  if (mode > 3 || !Number.isInteger(n)) throw new CandidateRefsError(`candidate references: ${bytes.length} bytes do not fit the layout ${mode}`);
  const claims: number[] = [];
  for (let i = 0; i < n; i++) claims.push(bytes.readUInt32BE(1 + 4 * i));
  let pages: (number | null)[] | null = null;
  if (mode & 1) {
    pages = [];
    for (let i = 0; i < n; i++) pages.push(bytes.readUInt32BE(1 + 4 * (n + i)) || null);
  }
  let flags: F[][] | null = null;
  if (mode & 2) {
    flags = [];
    const at = 1 + 4 * n * (mode & 1 ? 2 : 1);
    for (let i = 0; i < n; i++) {
      const mask = bytes.readUInt16BE(at + 2 * i);
      flags.push(names.filter((_, k) => mask & (1 << k)));
    }
  }
  return { claims, pages, flags };
}
