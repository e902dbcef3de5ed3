/**
 * Reconcile (pure): normalized claims → facts, each with all its candidates,
 * the chosen value, the rule that chose it in plain words, a confidence and a
 * status. The rules themselves are in rules.ts, in the order they apply.
 */
export { appliedWeight, reconcile } from './engine.js';
export { factKey } from './group.js';
export { candidatesHash } from './review.js';
export { REJECTED_FLAG, type Rejection } from './rejections.js';
export { sourceReliability, type SourceReliability } from './reliability.js';
export { limitForms, sameMeaning } from './equivalence.js';
export { ballotsFromFacts, type StoredCandidate, type StoredFact } from './history.js';
export { learnReliability, reliabilityKey, type BallotFact, type VoterReliability } from './truth.js';
export { majorityOfFact } from './majority.js';
export { FLAG } from './flags.js';
export { LADDER, recordedWeight, REVIEW_RULES, UNQUALIFIED_RULE, type RuleId } from './rules.js';
export { UnknownSourceError } from './authority.js';
export type { Decision, ReconcileOptions, ReconcileResult, SourceInfo } from './types.js';
