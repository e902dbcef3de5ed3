/**
 * The review side of reconciliation (IO): conflict reports for a week,
 * reviewer decisions, and how often each source agrees with the final value.
 * Rendering lives in cli/report-*.ts; this module only gathers data and writes
 * decisions.
 */
import { InputError } from '../../schema/errors.js';
import { and, desc, eq, max, ne } from 'drizzle-orm';
import { cleanText, parseCount, parseDate, parseModalities, parseMoney, ParseError } from '../../extractors/parse.js';
import { attributeBehaviour } from '../../schema/attribute-behaviour.js';
import { VALUE_KINDS, type Attribute } from '../../schema/attributes.js';
import { parseOrThrow, SchemaError } from '../../schema/errors.js';
import { FactStatus, REVIEW_STATUSES } from '../../schema/fact.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import { conflicts, runs, type SourceRunStatus } from '../../schema/tables.js';
import { CommercialUse, Value, type DateValue } from '../../schema/values.js';
import type { Db } from '../store/db.js';
import { ballotsFromFacts, learnReliability, majorityOfFact, reliabilityKey, sameMeaning, sourceReliability, type Decision, type SourceReliability } from '../reconcile/index.js';
import { queryFacts } from '../store/queries.js';
import { reliabilityEvidence } from '../store/reliability-evidence.js';
import { loadWeekReliability } from '../store/week-reliability.js';
import { isoTimestamp, rowToDecision, sourcesOf } from '../store/rows.js';
import type { Derivation } from '../../schema/observation.js';

export const FACT_STATUSES: readonly FactStatus[] = FactStatus.options;
/** What a conflict report lists unless asked otherwise: facts where sources disagree. */
export { REVIEW_STATUSES };
/** closed: the candidates came to agree (or one source is left) in a later week; it re-opens when they split again. */
export const CONFLICT_STATES = ['open', 'resolved', 'reopened', 'deferred', 'closed'] as const;
export type ConflictState = (typeof CONFLICT_STATES)[number];

/** Bad reviewer input (unknown conflict, unreadable value, a fact no longer published): fix the command, don't retry. */
export class ReviewInputError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReviewInputError';
  }
}

/** Nothing has been published yet, so there is no week to report on or decide in. */
export class NothingPublishedError extends ReviewInputError {
  constructor() {
    super('nothing has been published yet: run `modelfacts refresh` first');
    this.name = 'NothingPublishedError';
  }
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type Reader = Db | Tx;

// ---------------------------------------------------------------- weeks and runs

/** The latest week any run published (runs are written in the publishing transaction; a run stopped by a fault published nothing). */
export async function latestPublishedWeek(db: Reader): Promise<string | undefined> {
  const [row] = await db.select({ week: max(runs.week) }).from(runs).where(ne(runs.status, 'aborted'));
  return row?.week ?? undefined;
}

export async function latestRunOfWeek(db: Reader, week: string) {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.week, week), ne(runs.status, 'aborted')))
    .orderBy(desc(runs.id))
    .limit(1);
  return row;
}

// ---------------------------------------------------------------- report data

export interface ReportFilter {
  /** Default: the latest published week. */
  week?: string;
  /** Default: REVIEW_STATUSES. */
  statuses?: readonly FactStatus[];
  /** Conflict states to keep; facts without a conflict row are dropped when given. */
  states?: readonly ConflictState[];
  model?: string;
  /** Only facts with a candidate from this source. */
  source?: string;
}

export interface ReportCandidate {
  sourceId: string;
  via: string | null;
  url: string;
  fetchedAt: string;
  /** The page's own "last verified / refreshed" date. */
  statedAsOf: DateValue | null;
  excerpt: string;
  locator: string;
  value: Value;
  flags: string[];
  /** Only on a value the page implies by a stated rule (batch 50% off), not states. */
  derived?: Derivation;
}

export interface ReportDecision {
  value: Value;
  note: string;
  by: string;
  at: string;
  /** Whether the candidates are still the ones the reviewer saw. */
  candidatesUnchanged: boolean;
}

export interface ReportConflict {
  id: number;
  /**
   * The state in the report's week: resolved where the decision holds (the
   * fact reads reviewed), reopened where the candidates differ from the ones
   * reviewed, open otherwise (no decision, or a week reconciled before it).
   * closed from the week its candidates came to agree. The conflicts row
   * holds one state for all weeks.
   */
  state: ConflictState;
  /** The state stored on the conflicts row (as of the latest reconcile of any week). */
  recordedState: ConflictState;
  /** Why it was re-opened (state reopened). */
  reason: string | null;
  openedWeek: string;
  /** The week its candidates came to agree (state closed). */
  closedWeek: string | null;
  decision: ReportDecision | null;
}

/** Another fact this one was matched against (a price stated without quality or size, and the qualified prices it could mean). */
export interface RelatedFact {
  factKey: string;
  qualifiers: Qualifiers;
  status: FactStatus;
  chosen: Value | null;
  sources: string[];
}

export interface ReportFact {
  factKey: string;
  modelId: string;
  attribute: Attribute;
  qualifiers: Qualifiers;
  status: FactStatus;
  chosen: Value | null;
  /** What a plain majority vote (one vote per source) would have chosen; null on a tie or when all agree. */
  majority: Value | null;
  /** Whether the chosen value is the majority's (null without a majority or a chosen value). */
  majorityAgrees: boolean | null;
  /** The rule's name (the part of `rule` before the first colon). */
  ruleId: string;
  /** The rule in plain words, with what it found for this fact. */
  rule: string;
  confidence: number;
  validFrom: string;
  sources: string[];
  conflict: ReportConflict | null;
  candidates: ReportCandidate[];
  related: RelatedFact[];
}

export interface ReportSourceProblem {
  sourceId: string;
  status: SourceRunStatus['status'];
  reason: string | null;
  lastGoodWeek: string | null;
}

export interface ConflictReport {
  week: string;
  generatedAt: string;
  filters: { statuses: FactStatus[]; states: ConflictState[] | null; model: string | null; source: string | null };
  run: { id: number; status: string; mode: string; startedAt: string; finishedAt: string | null } | null;
  /** Sources that were not ok in the week's latest run (broken, quarantined, stale, skipped), with the reason. */
  sourceProblems: ReportSourceProblem[];
  summary: {
    /** Facts of the week matching the model/source filters, any status. */
    facts: number;
    /** Facts listed in this report. */
    listed: number;
    byStatus: Record<FactStatus, number>;
    /** Conflict states of the listed facts. */
    byState: Record<ConflictState, number>;
    byModel: { modelId: string; listed: number; byStatus: Record<FactStatus, number> }[];
  };
  models: { modelId: string; attributes: { attribute: Attribute; facts: ReportFact[] }[] }[];
  reliability: SourceReliability[];
}

type WeekFact = Awaited<ReturnType<typeof queryFacts>>[number];

/** Every fact of a week (in no particular order: reports sort what they list). */
const weekFacts = (db: Reader, week: string): Promise<WeekFact[]> => queryFacts(db, { asOf: week });

const reportDecision = ({ value, note, by, at }: Decision) => ({ value, note, by, at });

const zeroStatuses = (): Record<FactStatus, number> =>
  Object.fromEntries(FACT_STATUSES.map((s) => [s, 0])) as Record<FactStatus, number>;

/** Most urgent first, so a reader meets what needs a decision before what was decided. */
const STATUS_ORDER: Record<FactStatus, number> = {
  'needs-review': 0,
  reviewed: 1,
  'auto-resolved': 2,
  'single-source': 3,
  agreed: 4,
};


/** What a plain majority vote would have chosen, beside the engine's choice. */
function majorityFields(f: WeekFact): Pick<ReportFact, 'majority' | 'majorityAgrees'> {
  const majority = majorityOfFact(f) ?? null;
  return { majority, majorityAgrees: majority && f.chosen ? sameMeaning(majority, f.chosen, f.attribute) : null };
}

export function ruleIdOf(rule: string): string {
  const i = rule.indexOf(':');
  return i > 0 ? rule.slice(0, i) : rule;
}

/** The rule text without its leading "<rule-id>:", for reports that show the id separately. */
export function ruleWords(f: { rule: string; ruleId: string }): string {
  return f.rule.startsWith(`${f.ruleId}:`) ? f.rule.slice(f.ruleId.length + 1).trim() : f.rule;
}

export async function buildConflictReport(db: Reader, filter: ReportFilter = {}, now = new Date()): Promise<ConflictReport> {
  const week = filter.week ?? (await latestPublishedWeek(db));
  if (!week) throw new NothingPublishedError();
  // closed conflicts are facts sources agree on now: asked for by state, they are listed whatever their status
  const statuses = [...(filter.statuses ?? (filter.states?.includes('closed') ? FACT_STATUSES : REVIEW_STATUSES))];
  const states = filter.states ? [...filter.states] : null;

  const run = await latestRunOfWeek(db, week);
  const all = await weekFacts(db, week);
  const byKey = new Map(all.map((f) => [f.factKey, f]));
  const conflictRows = await db.select().from(conflicts);
  const conflictByKey = new Map(conflictRows.map((c) => [c.factKey, c]));

  const inScope = all.filter(
    (f) =>
      (!filter.model || f.modelId === filter.model) &&
      (!filter.source || f.candidates.some((c) => c.provenance.sourceId === filter.source)),
  );

  const toConflict = (f: WeekFact): ReportConflict | null => {
    const c = conflictByKey.get(f.factKey);
    if (!c) return null;
    const recordedState = c.state as ConflictState;
    // a week reconciled before the decision was taken still reads open there; before it closed, not closed
    const closed = recordedState === 'closed' && c.closedWeek !== null && c.closedWeek <= week;
    const state: ConflictState = closed
      ? 'closed'
      : c.decisionValue === null
        ? recordedState === 'closed'
          ? 'open'
          : recordedState
        : f.status === 'reviewed'
          ? 'resolved'
          : c.decisionCandidatesHash !== f.candidatesHash
            ? 'reopened'
            : 'open';
    return {
      id: c.id,
      state,
      recordedState,
      reason: state === 'reopened' ? (recordedState === 'reopened' && c.reason ? c.reason : ruleWords({ rule: f.rule, ruleId: ruleIdOf(f.rule) })) : null,
      openedWeek: c.openedWeek,
      closedWeek: closed ? c.closedWeek : null,
      decision:
        c.decisionValue === null
          ? null
          : {
              ...reportDecision(rowToDecision(c)),
              candidatesUnchanged: c.decisionCandidatesHash === f.candidatesHash,
            },
    };
  };

  const listed: ReportFact[] = [];
  for (const f of inScope) {
    if (!statuses.includes(f.status)) continue;
    const conflict = toConflict(f);
    if (states && (!conflict || !states.includes(conflict.state))) continue;
    listed.push({
      factKey: f.factKey,
      modelId: f.modelId,
      attribute: f.attribute,
      qualifiers: f.qualifiers,
      status: f.status,
      chosen: f.chosen ?? null,
      ...majorityFields(f),
      ruleId: ruleIdOf(f.rule),
      rule: f.rule,
      confidence: f.confidence,
      validFrom: f.validFrom,
      sources: sourcesOf(f),
      conflict,
      candidates: f.candidates.map((c) => ({
        sourceId: c.provenance.sourceId,
        via: c.provenance.via ?? null,
        url: c.provenance.url,
        fetchedAt: c.provenance.fetchedAt,
        statedAsOf: c.provenance.statedAsOf ?? null,
        excerpt: c.provenance.excerpt,
        locator: c.provenance.locator,
        value: c.value,
        flags: [...c.flags],
        ...(c.provenance.derived ? { derived: c.provenance.derived } : {}),
      })),
      related: (f.related ?? []).flatMap((k): RelatedFact[] => {
        const r = byKey.get(k);
        return r ? [{ factKey: k, qualifiers: r.qualifiers, status: r.status, chosen: r.chosen ?? null, sources: sourcesOf(r) }] : [];
      }),
    });
  }

  // grouped by model, then attribute (schema order), most urgent first
  const attrOrder = new Map(Object.keys(VALUE_KINDS).map((a, i) => [a, i]));
  const models = new Map<string, Map<Attribute, ReportFact[]>>();
  for (const f of listed) {
    const m = models.get(f.modelId) ?? new Map<Attribute, ReportFact[]>();
    const list = m.get(f.attribute) ?? [];
    list.push(f);
    m.set(f.attribute, list);
    models.set(f.modelId, m);
  }
  const grouped = [...models.keys()].sort().map((modelId) => ({
    modelId,
    attributes: [...models.get(modelId)!.entries()]
      .sort(([a], [b]) => (attrOrder.get(a) ?? 99) - (attrOrder.get(b) ?? 99))
      .map(([attribute, list]) => ({
        attribute,
        facts: list.sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || (a.factKey < b.factKey ? -1 : 1)),
      })),
  }));

  const byStatus = zeroStatuses();
  for (const f of inScope) byStatus[f.status]++;
  const byState = Object.fromEntries(CONFLICT_STATES.map((s) => [s, 0])) as Record<ConflictState, number>;
  for (const f of listed) if (f.conflict) byState[f.conflict.state]++;
  const byModel = grouped.map(({ modelId }) => {
    const counts = zeroStatuses();
    for (const f of inScope) if (f.modelId === modelId) counts[f.status]++;
    return { modelId, listed: listed.filter((f) => f.modelId === modelId).length, byStatus: counts };
  });

  const reliability = sourceReliability(filter.model ? all.filter((f) => f.modelId === filter.model) : all).filter(
    (r) => !filter.source || r.sourceId === filter.source,
  );

  return {
    week,
    generatedAt: now.toISOString(),
    filters: { statuses, states, model: filter.model ?? null, source: filter.source ?? null },
    run: run
      ? { id: run.id, status: run.status, mode: run.mode, startedAt: isoTimestamp(run.startedAt), finishedAt: isoTimestamp(run.finishedAt) }
      : null,
    sourceProblems: run
      ? Object.entries(run.sourceStatus)
          .filter(([, s]) => s.status !== 'ok')
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([sourceId, s]) => ({ sourceId, status: s.status, reason: s.reason ?? null, lastGoodWeek: s.lastGoodWeek ?? null }))
      : [],
    summary: { facts: inScope.length, listed: listed.length, byStatus, byState, byModel },
    models: grouped,
    reliability,
  };
}

// ---------------------------------------------------------------- reliability

/** Per source and attribute, the share of its claims that agreed with the week's final value. */
export interface LearnedSourceReliability extends SourceReliability {
  /** The learned weight (log-odds of agreeing with the other sources' weighted verdict), null when never compared. */
  weight: number | null;
  /** Multi-source facts (across the stored weeks up to this one) the weight was learned from. */
  compared: number;
}

export async function reliabilityForWeek(
  db: Reader,
  week?: string,
): Promise<{ week: string; rows: LearnedSourceReliability[]; weights: 'stored' | 'learned' }> {
  const w = week ?? (await latestPublishedWeek(db));
  if (!w) throw new NothingPublishedError();
  // the weights the week's reconcile learned (stored with it); for a week reconciled before they were stored,
  // learned again from every multi-source fact stored up to this week
  const stored = await loadWeekReliability(db, w);
  const learned = stored
    ? new Map(stored.rows.map((r) => [reliabilityKey(r.voter, r.attribute), r]))
    : learnReliability(ballotsFromFacts(await reliabilityEvidence(db, { upTo: w }))).weights;
  const rows = sourceReliability(await weekFacts(db, w)).map((r) => {
    const l = learned.get(reliabilityKey(r.sourceId, r.attribute));
    return { ...r, weight: l ? Math.round(l.weight * 1000) / 1000 : null, compared: l?.compared ?? 0 };
  });
  return { week: w, rows, weights: stored ? 'stored' : 'learned' };
}

// ---------------------------------------------------------------- decisions

export async function findConflict(db: Reader, id: number) {
  const [row] = await db.select().from(conflicts).where(eq(conflicts.id, id));
  if (!row) throw new ReviewInputError(`no conflict with id ${id} (see \`modelfacts conflicts\` for the ids)`);
  return row;
}

const VALUE_HELP: Record<string, string> = {
  money: 'a decimal amount in USD such as 0.005 or $0.005',
  date: 'a date such as 2025-10-06, 2025-10 or 2025',
  license: 'NAME:COMMERCIAL_USE such as "Proprietary:conditional" (commercial use one of allowed, conditional, non-commercial, unknown)',
  count: 'a whole number such as 128000 or 128K',
  not_applicable: '"n/a" (not applicable)',
  list: 'comma-separated items such as "text, image"',
  text: 'any non-empty text',
};

const MONEY_TEXT = /^(?:US)?\$?\s*(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)$/i;
const COUNT_TEXT = /^[0-9][0-9,]*(?:\.[0-9]+)?\s*[kKmM]?$/;
const NOT_APPLICABLE_TEXT = /^(?:n\/?a|not applicable|none)$/i;

function parseLicense(text: string): Value {
  // "Proprietary:conditional", or the way reports print it: "Proprietary (commercial use: conditional)"
  const printed = /^(.+?)\s*\(\s*commercial use:\s*([a-z-]+)\s*\)$/i.exec(text);
  const i = text.lastIndexOf(':');
  const [name, use] = printed ? [printed[1]!, printed[2]!] : i > 0 ? [text.slice(0, i), text.slice(i + 1)] : [text, ''];
  const commercialUse = CommercialUse.safeParse(use.trim().toLowerCase());
  if (!commercialUse.success) throw new ParseError('a commercial-use term (allowed, conditional, non-commercial, unknown)', text);
  return { kind: 'license', name: name.trim(), commercialUse: commercialUse.data };
}

/** The text read by the attribute's `--value` parser (schema/attribute-behaviour.ts). */
function parseByKind(attribute: Attribute, text: string): Value {
  const kinds = VALUE_KINDS[attribute];
  if (kinds.includes('not_applicable') && NOT_APPLICABLE_TEXT.test(text)) return { kind: 'not_applicable', stated: text };
  switch (attributeBehaviour(attribute).reviewValue) {
    case 'money':
      if (!MONEY_TEXT.test(text)) throw new ParseError('a dollar amount', text);
      return { kind: 'money', usd: parseMoney(text.includes('$') ? text : `$${text}`) };
    case 'date':
      return parseDate(text);
    case 'license':
      return parseLicense(text);
    case 'count':
      if (!COUNT_TEXT.test(text)) throw new ParseError('a count', text);
      return { kind: 'count', count: parseCount(text) };
    case 'modalities':
      return { kind: 'list', items: parseModalities(commaList(text).join(', ')) };
    case 'list':
      return { kind: 'list', items: commaList(text) };
    case 'text':
      return { kind: 'text', text };
  }
}

function commaList(text: string): string[] {
  return text.split(',').map((s) => cleanText(s)).filter(Boolean);
}

/**
 * A reviewer's `--value` read as the attribute's kind of value: a price as a
 * decimal ("0.005", "$0.005"), a date at its stated precision, a licence as
 * "Name:commercial-use", a count or "n/a", a comma list, text, or any JSON
 * Value (`{"kind":"date",...}`). Validated by the canonical zod schema.
 */
export function parseDecisionValue(attribute: Attribute, input: string): Value {
  const text = cleanText(input);
  const kinds = VALUE_KINDS[attribute];
  const expected = kinds.map((k) => VALUE_HELP[k] ?? k).join(', or ');
  if (!text) throw new ReviewInputError(`--value is empty; a ${attribute} value is ${expected}`);
  let value: Value;
  try {
    value = parseOrThrow(Value, text.startsWith('{') ? JSON.parse(text) : parseByKind(attribute, text), `${attribute} value`);
  } catch (cause) {
    if (cause instanceof ParseError || cause instanceof SchemaError || cause instanceof SyntaxError) {
      throw new ReviewInputError(`cannot read --value ${JSON.stringify(input)} as a ${attribute} value (${expected}): ${cause.message}`, {
        cause,
      });
    }
    throw cause;
  }
  if (!kinds.includes(value.kind)) {
    throw new ReviewInputError(`--value ${JSON.stringify(input)} is a ${value.kind} value; a ${attribute} value is ${expected}`);
  }
  return value;
}
