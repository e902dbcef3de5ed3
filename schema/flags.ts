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
  /** A reviewer said this source is wrong here: kept, but it does not vote while it says the same. */
  rejected: 'rejected-by-reviewer',
  /** Another listing of the same catalog (models.dev's poe entry beside its openai one): supports or dissents, never a vote of its own. */
  otherListing: 'other-listing',
  /** A price on a pass-through gateway's route (OpenRouter, Vercel) attached as evidence for the creator's route: it weighs in the reliability step and the plausibility checks, never in agreement. */
  passThrough: 'pass-through-route',
  /** A creator-route price more than 1.5× away from the same model's price on a pass-through gateway route. */
  farFromGateway: 'far-from-gateway-price',
  /** A factor of about 10^6 (per token vs per 1M tokens) or 10^3 from another source's value for the same key: a unit slip. */
  unitSlip: 'unit-slip',
  /** A price of 0 while other sources state a non-zero price for the same key. */
  zeroPrice: 'zero-price',
  /** A cache-read price above the input price of the same model and route. */
  cacheReadAboveInput: 'cache-read-above-input',
  /** A cache-write price below the input price of the same model and route. */
  cacheWriteBelowInput: 'cache-write-below-input',
} as const;

export type Flag = (typeof FLAG)[keyof typeof FLAG];
export const Flag = z.enum(Object.values(FLAG) as [Flag, ...Flag[]]);
