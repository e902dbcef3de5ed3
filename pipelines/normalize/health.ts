/**
 * Drift and health checks (pure): is this run's output from a source fit to
 * publish, judged against what the same source said the week before? A site
 * that changed its layout rarely throws; it more often yields half the
 * claims, drops an attribute, or shifts a price column by a unit (×1000).
 * A source failing any check here is quarantined by the caller: its new claims
 * are not published and its last good ones stay current. These are the
 * whole-source checks (empty, claim count, coverage, models lost, prices
 * turned to 0, negative values, future dates); a single suspicious value (a
 * price jump, a unit slip) quarantines that claim only
 * (normalize/claim-quarantine.ts).
 */
import { SourceFailure } from '../../schema/errors.js';
import type { Attribute } from '../../schema/attributes.js';
import { compare, isNegative, multiply } from '../../schema/decimal.js';
import type { Claim, ExtractionIssue } from '../../schema/observation.js';
import type { Value } from '../../schema/values.js';
import { claimIdentity } from '../../schema/keys.js';

export interface HealthOptions {
  /** Fail when the claim count falls by more than this fraction of the previous run's (0.5 = halved). */
  maxClaimDrop: number;
  /** Fail when a required attribute is stated for fewer models than this fraction of the previous run's. */
  maxCoverageDrop: number;
  /** A price this many times higher or lower than last week's for the same claim is a unit slip, not a price change. */
  priceJumpFactor: number;
  /** Fail when more than this share of the prices compared with last week jumped by priceJumpFactor (a whole column shifted a unit); fewer jumps quarantine those claims only. */
  maxJumpShare: number;
  /** Fail when the number of models the source states falls by more than this fraction (a catalog losing entries). */
  maxModelDrop: number;
  /** The models-lost check applies to sources that stated at least this many models (a catalog), not to a site with five pages. */
  minModelsForDropCheck: number;
  /** Fail when more than this share of last week's non-zero prices (of at least `minZeroedPrices`) now read 0. */
  maxZeroedShare: number;
  minZeroedPrices: number;
  /** Dates after the fetch by more than this many days are in the future. */
  futureToleranceDays: number;
  /** How many findings the one-line reason lists before "and N more". */
  reasonFindings: number;
}

const DEFAULT_HEALTH: HealthOptions = {
  maxClaimDrop: 0.5,
  maxCoverageDrop: 0.5,
  priceJumpFactor: 100,
  maxJumpShare: 0.2,
  maxModelDrop: 0.15,
  minModelsForDropCheck: 20,
  maxZeroedShare: 0.05,
  minZeroedPrices: 10,
  futureToleranceDays: 1,
  reasonFindings: 3,
};

export type HealthCheck = 'empty' | 'claim_count' | 'coverage' | 'price_jump' | 'models_lost' | 'prices_zeroed' | 'negative' | 'future_date';

export interface HealthFinding {
  check: HealthCheck;
  message: string;
}

export interface HealthInput {
  sourceId: string;
  requiredAttributes: readonly Attribute[];
  /** The claims this run extracted from the source. */
  claims: readonly Claim[];
  /** The source's claims valid in the week before the run's week (its last published state). */
  previous: readonly Claim[];
  /** How many pages were extracted this run (for the message only). */
  pages?: number;
  /** Validation issues of this run; values the schema refused (a negative price) show up here. */
  issues?: readonly ExtractionIssue[];
}

export interface HealthReport {
  ok: boolean;
  findings: HealthFinding[];
  /** One line for the run's source status; undefined when ok. */
  reason?: string;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

function describeKey(c: Claim): string {
  const q = Object.entries(c.qualifiers)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${c.modelId} ${c.attribute}${q ? ` (${q})` : ''}`;
}

/** First day of a date value's period: `2026-05` → 2026-05-01; `2026` → 2026-01-01. */
function periodStart(v: Extract<Value, { kind: 'date' }>): number {
  const [y, m, d] = v.date.split('-').map(Number) as [number, number?, number?];
  return Date.UTC(y, (m ?? 1) - 1, d ?? 1);
}

function checkCounts(input: HealthInput, opts: HealthOptions, out: HealthFinding[]): void {
  if (input.claims.length === 0) {
    out.push({
      check: 'empty',
      message: `no claims${input.pages !== undefined ? ` from ${input.pages} page(s)` : ''}${input.previous.length ? ` (last week: ${input.previous.length})` : ''}`,
    });
    return;
  }
  const before = input.previous.length;
  const now = input.claims.length;
  if (before > 0 && now < before * (1 - opts.maxClaimDrop)) {
    out.push({
      check: 'claim_count',
      message: `claim count fell from ${before} to ${now} (-${pct(1 - now / before)}, limit -${pct(opts.maxClaimDrop)})`,
    });
  }
}

function checkModels(input: HealthInput, opts: HealthOptions, out: HealthFinding[]): void {
  const before = new Set(input.previous.map((c) => c.modelId)).size;
  const now = new Set(input.claims.map((c) => c.modelId)).size;
  if (before >= opts.minModelsForDropCheck && now < before * (1 - opts.maxModelDrop)) {
    out.push({
      check: 'models_lost',
      message: `models stated fell from ${before} to ${now} (-${pct(1 - now / before)}, limit -${pct(opts.maxModelDrop)})`,
    });
  }
  const was = new Map<string, string>();
  for (const c of input.previous) if (c.value.kind === 'money' && compare(c.value.usd, '0') > 0) was.set(claimIdentity(c), c.value.usd);
  let compared = 0;
  let zeroed = 0;
  // nothing non-zero last week (a first week): no claim's identity needs working out
  for (const c of was.size > 0 ? input.claims : []) {
    if (c.value.kind !== 'money' || !was.has(claimIdentity(c))) continue;
    compared++;
    if (compare(c.value.usd, '0') === 0) zeroed++;
  }
  if (zeroed >= opts.minZeroedPrices && zeroed > compared * opts.maxZeroedShare) {
    out.push({
      check: 'prices_zeroed',
      message: `${zeroed} of ${compared} prices that were non-zero last week now read 0 (${pct(zeroed / compared)}, limit ${pct(opts.maxZeroedShare)})`,
    });
  }
}

function checkCoverage(input: HealthInput, opts: HealthOptions, out: HealthFinding[]): void {
  // counted in models, not pages: a catalog states many models on one page, and
  // some pages of a source legitimately lack an attribute another page gives
  const models = (list: readonly Claim[], attribute: Attribute) =>
    new Set(list.filter((c) => c.attribute === attribute).map((c) => c.modelId)).size;
  for (const required of input.requiredAttributes) {
    const now = models(input.claims, required);
    const before = models(input.previous, required);
    if (now === 0) {
      out.push({
        check: 'coverage',
        message: `required attribute ${required} stated for no model${before ? ` (last week: ${before} models)` : ''}`,
      });
    } else if (before > 0 && now < before * (1 - opts.maxCoverageDrop)) {
      out.push({
        check: 'coverage',
        message: `required attribute ${required} stated for ${now} models, last week ${before} (limit -${pct(opts.maxCoverageDrop)})`,
      });
    }
  }
}

/** Many prices jumping ×100 at once is the source's unit or column shifting: the whole source is held back. */
function checkJumps(input: HealthInput, opts: HealthOptions, out: HealthFinding[]): void {
  const previous = new Map(input.previous.map((c) => [claimIdentity(c), c]));
  const factor = String(opts.priceJumpFactor);
  let compared = 0;
  const jumps: HealthFinding[] = [];
  for (const c of previous.size > 0 ? input.claims : []) {
    const v = c.value;
    // a jump is from one price to another: only a price's identity is looked up
    if (v.kind !== 'money') continue;
    const before = previous.get(claimIdentity(c))?.value;
    if (before?.kind !== 'money' || compare(v.usd, '0') <= 0 || compare(before.usd, '0') <= 0) continue;
    compared++;
    if (compare(v.usd, multiply(before.usd, factor)) >= 0 || compare(before.usd, multiply(v.usd, factor)) >= 0) {
      jumps.push({
        check: 'price_jump',
        message: `${describeKey(c)} went from ${before.usd} to ${v.usd} (×${opts.priceJumpFactor} or more: a unit slip?)`,
      });
    }
  }
  if (jumps.length >= 2 && jumps.length > compared * opts.maxJumpShare) out.push(...jumps);
}

function checkValues(input: HealthInput, opts: HealthOptions, out: HealthFinding[]): void {
  for (const c of input.claims) {
    const v = c.value;
    if ((v.kind === 'money' && isNegative(v.usd)) || (v.kind === 'count' && v.count < 0)) {
      out.push({ check: 'negative', message: `negative value for ${describeKey(c)}: ${v.kind === 'money' ? v.usd : v.count}` });
    }
    if (v.kind === 'date') {
      const fetched = Date.parse(c.provenance.fetchedAt);
      if (periodStart(v) > fetched + opts.futureToleranceDays * 86_400_000) {
        out.push({
          check: 'future_date',
          message: `date in the future for ${describeKey(c)}: ${v.date} (fetched ${c.provenance.fetchedAt.slice(0, 10)})`,
        });
      }
    }
  }
  for (const issue of input.issues ?? []) {
    const obs = (issue.detail as { observation?: { value?: Value; model?: string; attribute?: string } } | undefined)
      ?.observation;
    const v = obs?.value;
    const negative =
      (v?.kind === 'money' && typeof v.usd === 'string' && v.usd.trim().startsWith('-')) ||
      (v?.kind === 'count' && typeof v.count === 'number' && v.count < 0);
    if (negative) {
      out.push({
        check: 'negative',
        message: `negative value for ${obs?.model ?? '?'} ${obs?.attribute ?? '?'}: ${v.kind === 'money' ? v.usd : v.count}`,
      });
    }
  }
}

/** Runs every check; the report's reason is one line naming the first findings. */
export function checkHealth(input: HealthInput, options: Partial<HealthOptions> = {}): HealthReport {
  const opts = { ...DEFAULT_HEALTH, ...options };
  const findings: HealthFinding[] = [];
  checkCounts(input, opts, findings);
  if (input.claims.length > 0) {
    checkCoverage(input, opts, findings);
    checkModels(input, opts, findings);
    checkJumps(input, opts, findings);
    checkValues(input, opts, findings);
  }
  if (findings.length === 0) return { ok: true, findings };
  const shown = findings.slice(0, opts.reasonFindings).map((f) => f.message);
  const more = findings.length - shown.length;
  return {
    ok: false,
    findings,
    reason: `health check failed: ${shown.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
  };
}

/** A source's output failed the health checks: quarantine it (its last good claims stay). */
export class HealthCheckError extends SourceFailure {
  constructor(
    readonly sourceId: string,
    readonly report: HealthReport,
  ) {
    super(`${sourceId}: ${report.reason ?? 'health check failed'}`);
    this.name = 'HealthCheckError';
  }
}
