/**
 * One catalog, one voice. A multi-provider catalog (models.dev) lists a model
 * under several providers, and those listings often disagree with each other
 * (release dates of the openai listing vs the poe listing). They are one
 * source: the catalog gets one vote. Which listing speaks for it:
 *  - for facts about the model itself (no route), the creator's own listing
 *    (models.dev's openai entry for an OpenAI model);
 *  - otherwise the value most of its listings (or entries) state, if one does;
 *  - when its listings split evenly, the catalog's vote stays split between
 *    the values tied (the creator's listing stating two: between those).
 * The other listings stay candidates, marked with their `via` and the flag
 * "other-listing": they support or dissent, they never vote.
 */
import { FLAG } from './flags.js';
import { leavesOf, setAsideInOrder, supports, type Cand, type Leaf } from './model.js';

export interface ListingContext {
  /** Creator of the fact's model (`openai`). */
  creator: string;
  /** Whether the fact is about the model itself (no route). */
  modelLevel: boolean;
  /** The route a listing of a source stands for (`models-dev` + `moonshotai` → `moonshot`), learned from its price claims. */
  routeOfListing: (sourceId: string, via: string) => string | undefined;
}

const SAME_COUNT = 1e-9;

/**
 * Of `among`, the values most of the catalog's soundest statements support: one, or several tied (none when nothing
 * sound supports any). A less precise statement (a licence of unknown commercial use) fits several values: it counts
 * for each in part, as a source's vote splits among the values it states (rules.ts, votes), not wholly for each.
 */
function mostListed(among: readonly Leaf[], leaves: readonly Leaf[], sound: readonly Cand[]): Leaf[] {
  const share = new Map(sound.map((c) => [c, 1 / Math.max(1, leaves.filter((l) => supports(c, l)).length)]));
  const counted = among.map((l) => ({ l, n: sound.reduce((n, c) => (supports(c, l) ? n + share.get(c)! : n), 0) }));
  const most = Math.max(0, ...counted.map((x) => x.n));
  // shares are fractions: counts closer than this are equal, whatever order they were summed in
  return most <= SAME_COUNT ? [] : counted.filter((x) => most - x.n <= SAME_COUNT).map((x) => x.l);
}

/**
 * The source's voters that speak for it: those stating the value that speaks, or when its listings split evenly,
 * those stating one of the values tied (its vote split among them); undefined when nothing is set aside.
 */
function pickVoice(list: readonly Cand[], ctx: ListingContext): Cand[] | undefined {
  // its soundest statements, as the ladder would keep them: else restating a value in a listing that also states a
  // worse one could change which listing speaks for the catalog
  const sound = setAsideInOrder(list).kept;
  // and the values they state: a value only a set-aside listing states draws no share of a vague listing's count (a
  // stale restatement of the chosen licence split an "unknown" listing between two stale readings; seed 101), as a
  // stale other listing draws no share of a vague vote in the ladder (rules.ts, otherListingValues)
  const leaves = leavesOf(sound);
  let among = leaves;
  if (ctx.modelLevel) {
    // the creator's listing speaks with what it states among the catalog's soundest statements: not with a placeholder
    // or a stale value where another listing states a sound one (restating a value there must not change who speaks)
    const own = sound.filter((c) => c.via !== undefined && (ctx.routeOfListing(c.sourceId, c.via) ?? c.via) === ctx.creator);
    const ownLeaves = leaves.filter((l) => own.some((c) => supports(c, l)));
    // stating several values, it speaks with the one most of the catalog's listings state, else with those tied: never
    // with a value only another listing states (restating the chosen value there gave a demoted listing back its vote)
    if (ownLeaves.length > 0) among = ownLeaves;
  }
  // a value fewer listings state than the most-listed one(s) draws no share of the catalog's vote: else restating the
  // chosen value in one listing, by tying it with the value that spoke, gave a listing outvoted before a share back
  const top = mostListed(among, leaves, sound);
  if (top.length === 0) return undefined;
  return list.filter((c) => top.some((l) => supports(c, l)));
}

/** Turns all but one voice per source into non-voting "other-listing" candidates (in place). */
export function oneVoicePerSource(cands: readonly Cand[], ctx: ListingContext): void {
  // one candidate (most facts) is one voice
  if (cands.length < 2) return;
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

/** Whether at least two (voting, if `voters`) stated candidates have a listing (`via`): else no catalog's listings can split. */
function twoListed(cands: readonly Cand[], voters: boolean): boolean {
  let n = 0;
  for (const c of cands) {
    if (c.witness || c.via === undefined || (voters && !c.voter)) continue;
    if (++n >= 2) return true;
  }
  return false;
}

/** A listing's voter id for the listing-level reliability: `models-dev/poe`. */
export function listingVoter(c: Cand): string | undefined {
  return c.via === undefined ? undefined : `${c.sourceId}/${c.via}`;
}

/**
 * Evidence for learning how reliable each listing of a catalog is: on every
 * fact a catalog lists more than once, each listing's value, beside the other
 * sources' voices.
 */
export function listingBallots(cands: readonly Cand[]): { voter: string; leaves: string[] }[] | undefined {
  // two listings need two candidates with a `via`: most facts have none
  if (!twoListed(cands, false)) return undefined;
  const stated = cands.filter((c) => !c.witness && !c.flags.has(FLAG.unqualifiedMatch));
  const vias = new Set(stated.map(listingVoter).filter((v) => v !== undefined));
  if (vias.size < 2) return undefined;
  const leaves = leavesOf(stated);
  const by = new Map<string, Set<string>>();
  for (const c of stated) {
    const voter = listingVoter(c) ?? c.sourceId;
    for (const l of leaves) {
      if (!supports(c, l)) continue;
      const set = by.get(voter) ?? new Set<string>();
      set.add(l.key);
      by.set(voter, set);
    }
  }
  return [...by].map(([voter, set]) => ({ voter, leaves: [...set] }));
}

/** How much more weight the winning listing value needs over the runner-up to speak for a split catalog. */
const LISTING_MARGIN = 1.0001;

/**
 * For a catalog whose listings still split evenly: its voice is the value its
 * listings support with the most learned reliability, when that is at least
 * LISTING_MARGIN× the runner-up's. Returns the sources it gave a voice to.
 */
export function weightedVoices(cands: readonly Cand[], weightOf: (listing: string) => number): string[] {
  if (!twoListed(cands, true)) return [];
  const bySource = new Map<string, Cand[]>();
  for (const c of cands) {
    if (!c.voter || c.witness || listingVoter(c) === undefined) continue;
    const list = bySource.get(c.sourceId);
    if (list) list.push(c);
    else bySource.set(c.sourceId, [c]);
  }
  const done: string[] = [];
  for (const [sourceId, list] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const leaves = leavesOf(list);
    if (leaves.length < 2) continue;
    const score = leaves.map((l) => {
      const listings = new Set(list.filter((c) => supports(c, l)).map((c) => listingVoter(c)!));
      let s = 0;
      for (const v of [...listings].sort()) s += weightOf(v);
      return { l, s };
    });
    score.sort((a, b) => b.s - a.s || (a.l.key < b.l.key ? -1 : 1));
    const [first, second] = score;
    if (!first || !second || first.s < LISTING_MARGIN * second.s) continue;
    for (const c of list) {
      if (supports(c, first.l)) continue;
      c.voter = false;
      c.flags.add(FLAG.otherListing);
    }
    done.push(sourceId);
  }
  return done;
}
