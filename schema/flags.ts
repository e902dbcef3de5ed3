/**
 * The flags reconcile attaches to candidates: known failure shapes of
 * aggregators (placeholder dates, 0 for "not applicable", stale values,
 * approximate dates, copies) and disagreement with the chosen value. Their
 * names live here, below reconcile, so the schema, the rules and the reports
 * share one list.
 */
import { z } from 'zod';

export const FLAG = {
  /** January 1st, or "January YYYY" while another source gives a precise date in another month. */
  placeholder: 'likely-placeholder',
  /** A 0 where the attribute can be "not applicable": read as not applicable. */
  zeroNotApplicable: 'zero-means-not-applicable',
  /** The claim's "as of" date (stated "last verified", else the fetch) is older than the staleness limit. */
  stale: 'stale',
  /** The source itself says the date is approximate. */
  approximate: 'approximate',
  /** A price stated without some qualifiers (quality, size, route ...) attached to the qualified fact whose value it equals. */
  unqualifiedMatch: 'unqualified-match',
  /** Another source on the same site states exactly the same value: possibly a copy, not independent evidence. */
  possibleCopy: 'possible-copy',
  /** Disagrees with the chosen value. */
  conflicting: 'conflicting',
} as const;

export type Flag = (typeof FLAG)[keyof typeof FLAG];
export const Flag = z.enum(Object.values(FLAG) as [Flag, ...Flag[]]);
