/**
 * One catalog, one voice. A multi-provider catalog (models.dev) lists a model
 * under several providers, and those listings often disagree with each other
 * (release dates of the openai listing vs the poe listing). They are one
 * source: the catalog gets one vote. Which listing speaks for it:
 *  - for facts about the model itself (no route), the creator's own listing
 *    (models.dev's openai entry for an OpenAI model);
 *  - otherwise the value most of its listings (or entries) state, if one does;
 *  - when its listings split evenly, the catalog's vote stays split.
 * The other listings stay candidates, marked with their `via` and the flag
 * "other-listing": they support or dissent, they never vote.
 */
import { FLAG } from './flags.js';
import { leavesOf, supports, type Cand } from './model.js';

const DEMOTED = [FLAG.placeholder, FLAG.approximate, FLAG.stale, FLAG.unitSlip, FLAG.zeroPrice];
const demoted = (c: Cand) => DEMOTED.some((f) => c.flags.has(f));

export interface ListingContext {
  /** Creator of the fact's model (`openai`). */
  creator: string;
  /** Whether the fact is about the model itself (no route). */
  modelLevel: boolean;
  /** The route a listing of a source stands for (`models-dev` + `moonshotai` → `moonshot`), learned from its price claims. */
  routeOfListing: (sourceId: string, via: string) => string | undefined;
}

/** The source's voters that speak for it, or undefined when its listings split evenly. */
function pickVoice(list: readonly Cand[], ctx: ListingContext): Cand[] | undefined {
  const leaves = leavesOf(list);
  if (ctx.modelLevel) {
    const own = list.filter((c) => c.candidate.provenance.via !== undefined && (ctx.routeOfListing(c.sourceId, c.candidate.provenance.via) ?? c.candidate.provenance.via) === ctx.creator);
    const ownLeaves = leaves.filter((l) => own.some((c) => supports(c, l)));
    const [leaf] = ownLeaves;
    if (ownLeaves.length === 1 && leaf) return list.filter((c) => supports(c, leaf));
  }
  const pool = list.some((c) => !demoted(c)) ? list.filter((c) => !demoted(c)) : [...list];
  const ranked = leaves
    .map((l) => ({ l, n: pool.filter((c) => supports(c, l)).length }))
    .sort((a, b) => b.n - a.n || (a.l.key < b.l.key ? -1 : 1));
  const [first, second] = ranked;
  if (!first || first.n === 0 || (second && second.n === first.n)) return undefined;
  return list.filter((c) => supports(c, first.l));
}

/** Turns all but one voice per source into non-voting "other-listing" candidates (in place). */
export function oneVoicePerSource(cands: readonly Cand[], ctx: ListingContext): void {
  const bySource = new Map<string, Cand[]>();
  for (const c of cands) {
    if (!c.voter || c.witness) continue;
    const list = bySource.get(c.sourceId);
    if (list) list.push(c);
    else bySource.set(c.sourceId, [c]);
  }
  for (const list of bySource.values()) {
    // compatible statements (2025-10 and 2025-10-06) are one voice already
    if (list.length < 2 || leavesOf(list).length < 2) continue;
    const voice = pickVoice(list, ctx);
    if (!voice) continue;
    for (const c of list) {
      if (voice.includes(c)) continue;
      c.voter = false;
      c.flags.add(FLAG.otherListing);
    }
  }
}
