/**
 * The one storage schema module (drizzle, Postgres dialect; PGlite runs the same SQL).
 * History is kept as validity ranges over ISO weeks (slowly changing dimension,
 * type 2): a claim or fact that did not change adds no row. Money is numeric.
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** A hash kept as bytes (half the hex text's size); the views give it back as hex text. Written by COPY as `\\x…`. */
const hexBytes = customType<{ data: string; driverData: string | Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (hex) => `\\x${hex}`,
  fromDriver: (v) => (typeof v === 'string' ? v.replace(/^\\x/, '') : Buffer.from(v).toString('hex')),
});

export const sources = pgTable('sources', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  description: text('description').notNull(),
  authority: text('authority').notNull(),
  hosts: jsonb('hosts').$type<string[]>().notNull(),
});

export const runs = pgTable(
  'runs',
  {
    id: serial('id').primaryKey(),
    week: text('week').notNull(),
    mode: text('mode').notNull(),
    status: text('status').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
    /** Per source: status (ok | broken | quarantined | skipped | stale), reason, counts. */
    sourceStatus: jsonb('source_status').$type<Record<string, SourceRunStatus>>().notNull(),
    counts: jsonb('counts').$type<RunCounts>().notNull(),
    error: text('error'),
  },
  (t) => [index('runs_week_idx').on(t.week)],
);

/** `partial`: published what it got, some discovered pages were missing (see the reason). */
export interface SourceRunStatus {
  status: 'ok' | 'partial' | 'broken' | 'quarantined' | 'stale' | 'skipped';
  reason?: string;
  pages: number;
  observations: number;
  claims: number;
  issues: number;
  /** For a stale source: the week its kept claims were last confirmed. */
  lastGoodWeek?: string;
  /** The extractor version that ran. */
  version?: string;
  /** Its pages were byte-for-byte those of its last good run: not re-extracted, its claims stay as they were. */
  unchanged?: boolean;
  /** Fingerprint of the alias table its names were resolved with; a reviewer decision changes it. */
  identity?: string;
  /** Claims held back by the claim-level checks; their last good versions stay current. */
  quarantinedClaims?: number;
}

/** Did the source publish its claims in the run (fully, or without its missing pages)? */
export function sourcePublished(status: SourceRunStatus['status'] | undefined): boolean {
  return status === 'ok' || status === 'partial';
}

export interface RunCounts {
  pages: number;
  claims: number;
  claimsAdded: number;
  claimsClosed: number;
  facts: number;
  factsChanged: number;
  needsReview: number;
  issues: number;
  unmatched: number;
}

/**
 * Raw responses stored once per content hash, gzip-compressed. A body whose URL
 * was archived before is stored as a delta against that earlier body
 * (`base_hash`; `body_gz` then holds the gzip'd delta), in chains of at most
 * RAW_PAGE_CHAIN bodies that start with a full one (`chain_depth` 0).
 */
export const rawPages = pgTable('raw_pages', {
  hash: text('hash').primaryKey(),
  contentType: text('content_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  bodyGz: bytea('body_gz').notNull(),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'string' }).notNull(),
  /** The stored body this one is a delta against; null for a full body. */
  baseHash: text('base_hash').references((): AnyPgColumn => rawPages.hash),
  /** Deltas between this body and the full body its chain starts with. */
  chainDepth: smallint('chain_depth').notNull().default(0),
});

/** Every page fetched by a run: which body it returned, or why it failed. */
export const fetches = pgTable(
  'fetches',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    url: text('url').notNull(),
    httpStatus: integer('http_status'),
    pageHash: text('page_hash'),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'string' }).notNull(),
    etag: text('etag'),
    lastModified: text('last_modified'),
    /** The page's own "last verified / refreshed" date: page metadata, so it lives with the fetch, not the claims. */
    statedAsOf: jsonb('stated_as_of'),
    error: text('error'),
  },
  (t) => [index('fetches_run_idx').on(t.runId), index('fetches_url_idx').on(t.url)],
);

/**
 * Provenance stored once per page read: the page a run fetched (URL, fetch
 * time, content hash, the page's own "as of" date) and the extractor version
 * that read it. Claim versions and facts' candidates point here instead of
 * carrying copies.
 */
export const provenance = pgTable(
  'provenance',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceId: text('source_id').notNull(),
    url: text('url').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'string' }).notNull(),
    pageHash: text('page_hash').notNull(),
    extractorVersion: text('extractor_version').notNull(),
    statedAsOf: jsonb('stated_as_of'),
  },
  (t) => [index('provenance_url_idx').on(t.url)],
);

/**
 * The stored claim versions (what the `claims` view reads): the claim as
 * stated, with its page read by reference (`provenance_id`). Written by the
 * store's version writer only.
 */
export const claimVersions = pgTable(
  'claim_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Hash of the value and provenance text; equal hash = unchanged claim = no new row. */
    contentHash: hexBytes('content_hash').notNull(),
    sourceId: text('source_id').notNull(),
    modelId: text('model_id').notNull(),
    attribute: text('attribute').notNull(),
    amountUsd: numeric('amount_usd'),
    via: text('via'),
    /** The excerpt after its head (`claim_heads.excerpt`; all of it when `head_id` is null). */
    excerpt: text('excerpt').notNull(),
    /** The locator after its head (`claim_heads.locator`). */
    locator: text('locator').notNull(),
    /** `{ rule, from }` when the page implies the value by a stated rule (batch 50% off); null when stated. */
    derived: jsonb('derived'),
    provenanceId: bigint('provenance_id', { mode: 'number' }).notNull(),
    runId: integer('run_id').notNull(),
    validFrom: text('valid_from').notNull(),
    /** The start of the excerpt and locator, shared by the claims read from one model entry; null: none. */
    headId: integer('head_id'),
    /** The qualifiers and their key (qualifier_sets). */
    qualifiersId: integer('qualifiers_id').notNull(),
    /** The value (claim_values). */
    valueId: integer('value_id').notNull(),
  },
  (t) => [index('claim_versions_model_idx').on(t.modelId, t.attribute), index('claim_versions_source_idx').on(t.sourceId)],
);

/**
 * Where claim versions end (migration 0013): the exclusive end week of each
 * version that is no longer current, one narrow row per closed version (none
 * while current). Version rows are append-only: closing a version writes this
 * row instead of rewriting the version. The `claims` view reads `valid_to` from here.
 */
export const claimVersionEnds = pgTable('claim_version_ends', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  validTo: text('valid_to').notNull(),
});

/** The start of excerpts and locators, stored once for the claims of one model entry (claim_versions.head_id). */
export const claimHeads = pgTable('claim_heads', {
  id: serial('id').primaryKey(),
  excerpt: text('excerpt').notNull(),
  locator: text('locator').notNull(),
});

/** Qualifier sets with their key, stored once (claim_versions.qualifiers_id). */
export const qualifierSets = pgTable('qualifier_sets', {
  id: serial('id').primaryKey(),
  key: text('key').notNull(),
  qualifiers: jsonb('qualifiers').notNull(),
});

/** Values, stored once (claim_versions.value_id, fact_outcomes.chosen_id). */
export const claimValues = pgTable('claim_values', {
  id: serial('id').primaryKey(),
  value: jsonb('value').notNull(),
});

/**
 * The stored fact versions (what the `facts` view reads). Candidates are
 * references, not copies, packed into `candidate_refs` (pipelines/store/candidate-refs.ts
 * has the layout; SQL reads it with fact_candidate_refs): candidate i is a claim
 * version, read on a page read (its own when none is stored), with its flags as bits. What a fact concluded (its outcome: rule text,
 * status, confidence, chosen value, candidates hash …) is the same for many
 * facts (29,000 single-source facts of a real week have 11,000 distinct
 * outcomes) and is stored once in fact_outcomes. Fixed-width columns come
 * first: no alignment padding between them.
 */
export const factVersions = pgTable(
  'fact_versions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id').notNull(),
    /** What the fact concluded (fact_outcomes). */
    outcomeId: integer('outcome_id').notNull(),
    /** The qualifiers and their key (qualifier_sets). */
    qualifiersId: integer('qualifiers_id').notNull(),
    contentHash: hexBytes('content_hash').notNull(),
    modelId: text('model_id').notNull(),
    attribute: text('attribute').notNull(),
    validFrom: text('valid_from').notNull(),
    /** The candidates' claim versions, page reads and flags, packed (packCandidateRefs), as hex. */
    candidateRefs: hexBytes('candidate_refs').notNull(),
  },
  // one entry per model and attribute (btree deduplication keeps the ids of its versions in one posting list: a week's
  // new versions add a few bytes each, a week's first ones ≈ 25 bytes a fact instead of ≈ 140 with the whole key);
  // lookups by model and attribute, and the review queue's join of a conflict to its fact, read the few versions of
  // that model and attribute (at most ≈ 170, a model's prices) and compare the rest of the key there
  (t) => [index('fact_versions_key_idx').on(t.modelId, t.attribute)],
);

/** Where fact versions end (migration 0013), as claim_version_ends does for claims: the `facts` view reads `valid_to` from here. */
export const factVersionEnds = pgTable('fact_version_ends', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  validTo: text('valid_to').notNull(),
});

/**
 * What fact versions concluded, stored once (fact_versions.outcome_id): the
 * rule text (`fact_rules.head`, then `. ` and `rule_tail` when there is a tail),
 * status, confidence, chosen value, the hash of the candidates' sources and
 * values, related facts, the majority vote and the voters whose weights the
 * reliability rule used. Found again by candidates hash when a fact is written.
 */
export const factOutcomes = pgTable('fact_outcomes', {
  id: serial('id').primaryKey(),
  ruleHead: integer('rule_head').notNull(),
  confidence: real('confidence').notNull(),
  /** The chosen value (claim_values); null when none was chosen. */
  chosenId: integer('chosen_id'),
  candidatesHash: hexBytes('candidates_hash').notNull(),
  status: text('status').notNull(),
  ruleTail: text('rule_tail'),
  chosenUsd: numeric('chosen_usd'),
  related: jsonb('related'),
  /** What a plain majority vote would have chosen (fact.majority); null on a tie or when sources agree. */
  majority: jsonb('majority'),
  /**
   * The voters whose learned weights the reliability rule used (fact.weights' keys), null when it did not decide;
   * the weights themselves are week_reliability's `applied` of the fact version's first week, not copied per fact.
   */
  weightVoters: text('weight_voters').array(),
});

/** The first sentences of rule texts, stored once (fact_outcomes.rule_head). */
export const factRules = pgTable('fact_rules', {
  id: serial('id').primaryKey(),
  head: text('head').notNull().unique(),
});

/**
 * Read-only: the `claims` VIEW (migration 0007) over claim_versions and
 * provenance, with the columns the claims table had (`identity` is
 * source|url|model|attribute|qualifiers|via). Declared as a table so queries
 * select from it as before; writes go to claim_versions.
 */
export const claims = pgTable('claims', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** Identity of the claim over time: source, model, attribute, qualifiers, listing. */
  identity: text('identity').notNull(),
  contentHash: text('content_hash').notNull(),
  sourceId: text('source_id').notNull(),
  modelId: text('model_id').notNull(),
  attribute: text('attribute').notNull(),
  qualifiersKey: text('qualifiers_key').notNull(),
  qualifiers: jsonb('qualifiers').notNull(),
  value: jsonb('value').notNull(),
  amountUsd: numeric('amount_usd'),
  via: text('via'),
  url: text('url').notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true, mode: 'string' }).notNull(),
  excerpt: text('excerpt').notNull(),
  locator: text('locator').notNull(),
  extractorVersion: text('extractor_version').notNull(),
  pageHash: text('page_hash').notNull(),
  statedAsOf: jsonb('stated_as_of'),
  derived: jsonb('derived'),
  runId: integer('run_id').notNull(),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
});

/**
 * Read-only: the `facts` VIEW (migration 0007) over fact_versions, with the
 * columns the facts table had; `candidates` is built from the referenced
 * claim versions and pages. Writes go to fact_versions.
 */
export const facts = pgTable('facts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  factKey: text('fact_key').notNull(),
  contentHash: text('content_hash').notNull(),
  modelId: text('model_id').notNull(),
  attribute: text('attribute').notNull(),
  qualifiersKey: text('qualifiers_key').notNull(),
  qualifiers: jsonb('qualifiers').notNull(),
  chosen: jsonb('chosen'),
  chosenUsd: numeric('chosen_usd'),
  rule: text('rule').notNull(),
  confidence: real('confidence').notNull(),
  status: text('status').notNull(),
  candidates: jsonb('candidates').notNull(),
  candidatesHash: text('candidates_hash').notNull(),
  related: jsonb('related'),
  runId: integer('run_id').notNull(),
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
  /** fact.majority (migration 0010). */
  majority: jsonb('majority'),
  /** fact.weights: voter → the weight the reliability rule used, from week_reliability (migration 0010); null when the rule did not decide. */
  weights: jsonb('weights').$type<Record<string, number>>(),
});

/**
 * The reliability weights a full reconcile of a week learned (issue 13: the
 * fact records the weights it used), one row per voter: `kind` voter (a
 * source, or `<source>@pass-through`) or listing (`<catalog>/<via>`, which
 * listing of a split catalog speaks), and per attribute (`attributes[i]`, in
 * order) its weight, applied weight, comparisons and agreements at position
 * i (migration 0013: a row per voter and attribute had a primary key as large
 * as the table). A re-reconcile of one model after a reviewer decision reuses
 * them instead of learning again from a slice.
 */
export const weekReliability = pgTable(
  'week_reliability',
  {
    week: text('week').notNull(),
    /** voter | listing */
    kind: text('kind').notNull(),
    voter: text('voter').notNull(),
    runId: integer('run_id').notNull(),
    attributes: text('attributes').array().notNull(),
    /** The learned weights (log-odds of agreeing with the others' weighted verdict). */
    weights: doublePrecision('weights').array().notNull(),
    /** The weights the rules applied (1 below the evidence threshold), rounded to three decimals as fact.weights records them. */
    applied: doublePrecision('applied').array().notNull(),
    compared: integer('compared').array().notNull(),
    agreed: doublePrecision('agreed').array().notNull(),
  },
  (t) => [primaryKey({ columns: [t.week, t.kind, t.voter] })],
);

/** A fact that sources disagree on; its id is what `modelfacts resolve <id>` takes. */
export const conflicts = pgTable(
  'conflicts',
  {
    id: serial('id').primaryKey(),
    factKey: text('fact_key').notNull(),
    modelId: text('model_id').notNull(),
    attribute: text('attribute').notNull(),
    qualifiersKey: text('qualifiers_key').notNull(),
    openedWeek: text('opened_week').notNull(),
    /**
     * open | resolved | reopened | deferred | closed: closed when the candidates
     * came to agree (or one source is left) in `closed_week`; re-opened when they split again.
     */
    state: text('state').notNull(),
    reason: text('reason'),
    decisionValue: jsonb('decision_value'),
    decisionNote: text('decision_note'),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
    decisionCandidatesHash: text('decision_candidates_hash'),
    /** The week a closed conflict's candidates came to agree; null unless closed. */
    closedWeek: text('closed_week'),
  },
  (t) => [uniqueIndex('conflicts_fact_key_idx').on(t.factKey)],
);

/**
 * Names that map to a canonical model id; reviewable. A reviewer's decision
 * (`modelfacts aliases confirm|map|split`) is a row with `decision` set; it is
 * applied before the identity rules in every later run.
 */
export const aliases = pgTable('aliases', {
  alias: text('alias').primaryKey(),
  modelId: text('model_id').notNull(),
  origin: text('origin').notNull(),
  reviewed: boolean('reviewed').notNull().default(false),
  /** confirm | map | split, when a reviewer decided. */
  decision: text('decision'),
  /** The id the rules gave the name when the reviewer decided (what a split separated it from). */
  ruleModelId: text('rule_model_id'),
  decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }),
});

/**
 * Every raw model name a source used in a run, with the id it resolved to and
 * the rules that did it (or, unmatched, why not): what `modelfacts aliases` lists.
 */
export const modelNames = pgTable(
  'model_names',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    /** Null when unmatched. */
    modelId: text('model_id'),
    rule: text('rule'),
    count: integer('count').notNull(),
    /**
     * The run whose set no longer has this row (it changed or went); null while it is in the
     * source's latest set. A run writes only the rows that changed (`run_id` is the run that first had it).
     */
    untilRunId: integer('until_run_id'),
  },
  (t) => [
    index('model_names_run_idx').on(t.runId, t.sourceId),
    index('model_names_model_idx').on(t.modelId),
    index('model_names_current_idx').on(t.sourceId).where(sql`until_run_id is null`),
  ],
);

/** Names a source used that no alias or rule could match, with counts, per run. */
export const unmatchedNames = pgTable(
  'unmatched_names',
  {
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    count: integer('count').notNull(),
    /** unknown-family | unknown-creator | ambiguous: which table row is missing, or that the evidence disagrees. */
    reason: text('reason'),
    /** For an ambiguous name: the ids the rules disagree on. */
    candidates: jsonb('candidates').$type<string[]>(),
  },
  (t) => [index('unmatched_run_idx').on(t.runId, t.sourceId)],
);

/**
 * What failed validation or extraction, stored once per distinct issue: most
 * repeat week after week. `key` is extraction_issue_key(source, url, message,
 * detail), a sha256 computed by the database (migration 0014).
 */
export const issueTexts = pgTable(
  'extraction_issue_texts',
  {
    id: serial('id').primaryKey(),
    key: bytea('key').notNull(),
    sourceId: text('source_id').notNull(),
    url: text('url').notNull(),
    message: text('message').notNull(),
    detail: jsonb('detail'),
  },
  (t) => [uniqueIndex('extraction_issue_texts_key_idx').on(t.key)],
);

/** Each run's extraction issues, in the order the run recorded them: recorded, never dropped. */
export const extractionIssues = pgTable(
  'extraction_issues',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    runId: integer('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    issueId: integer('issue_id')
      .notNull()
      .references(() => issueTexts.id),
  },
  (t) => [index('issues_run_idx').on(t.runId)],
);

/**
 * Every reviewer decision, append-only: a new decision on a conflict
 * supersedes the previous one (the latest id holds) and never erases it.
 * `rejected` is the set of rejected claims in force after this decision.
 */
export const decisions = pgTable(
  'decisions',
  {
    id: serial('id').primaryKey(),
    conflictId: integer('conflict_id')
      .notNull()
      .references(() => conflicts.id),
    factKey: text('fact_key').notNull(),
    /** accept | override | reject | equivalent | defer */
    action: text('action').notNull(),
    /** The value decided (accept, override, equivalent); null for reject and defer. */
    value: jsonb('value'),
    /** For reject: the source (and listing) whose claim is rejected. */
    sourceId: text('source_id'),
    via: text('via'),
    note: text('note').notNull(),
    decidedBy: text('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'string' }).notNull(),
    /** The week whose candidates the reviewer saw. */
    week: text('week').notNull(),
    candidatesHash: text('candidates_hash').notNull(),
    /** The candidates the reviewer saw: source, via, value, URL. */
    candidates: jsonb('candidates').$type<SeenCandidate[]>().notNull(),
    rejected: jsonb('rejected').$type<RejectedClaim[]>().notNull(),
  },
  (t) => [index('decisions_conflict_idx').on(t.conflictId, t.id)],
);

export interface SeenCandidate {
  sourceId: string;
  via: string | null;
  value: unknown;
  url: string;
}

export interface RejectedClaim {
  sourceId: string;
  via: string | null;
  value: unknown;
  note: string;
  by: string;
  at: string;
}
