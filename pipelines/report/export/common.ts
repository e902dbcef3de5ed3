/**
 * Shared shaping for the exports (pure). Every export is built from the
 * reconciled facts of one week. Policy for facts without a chosen value
 * (`needs-review` with no rule able to choose): they are left out of the
 * consumer formats, counted in the export's summary, and listed with their
 * candidates only in modelfacts' own `json` document.
 */
import { LosslessNumber, stringify } from 'lossless-json';
import type { Fact } from '../../../schema/fact.js';
import type { Value } from '../../../schema/values.js';
import { snapshotOf } from '../../normalize/identity.js';

export type ExportFact = Fact & { validFrom: string };

/** What an export run says besides the document: counts a user should know. */
export interface ExportSummary {
  format: string;
  week: string;
  models: number;
  /** Facts left out because no rule chose a value (needs-review). */
  omittedUnchosen: number;
  /** litellm: values of the stored map replaced by a reconciled one. */
  valuesChanged?: number;
  /** litellm: entries in the stored LiteLLM map of the week. */
  baseEntries?: number;
  entries?: number;
}

export interface ExportResult {
  /** The document as JSON text, numbers written exactly as their decimal text. */
  text: string;
  summary: ExportSummary;
}

/** A decimal string as a JSON number with exactly that text (never through a double). */
export const jsonNumber = (decimalText: string) => new LosslessNumber(decimalText);

/** JSON text of a document holding LosslessNumber values, indented. */
export function toJsonText(doc: unknown): string {
  const text = stringify(doc, undefined, 2);
  if (text === undefined) throw new TypeError('export document is not serializable');
  return `${text}\n`;
}

export const creatorOf = (modelId: string) => modelId.slice(0, modelId.indexOf('/'));
export const slugOf = (modelId: string) => modelId.slice(modelId.indexOf('/') + 1);

/** Facts grouped by model id, in id order. */
export function byModel<T extends ExportFact>(facts: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const f of [...facts].sort((a, b) => (a.modelId < b.modelId ? -1 : a.modelId > b.modelId ? 1 : 0))) {
    const list = out.get(f.modelId) ?? [];
    list.push(f);
    out.set(f.modelId, list);
  }
  return out;
}

/** The chosen value of a model-level fact (no route, no qualifiers). */
export function modelValue(facts: readonly ExportFact[], attribute: string): Value | undefined {
  return facts.find((f) => f.attribute === attribute && Object.keys(f.qualifiers).length === 0)?.chosen;
}

export const countOf = (v: Value | undefined) => (v?.kind === 'count' ? v.count : undefined);
export const listOf = (v: Value | undefined) => (v?.kind === 'list' ? v.items : undefined);
export const dateOf = (v: Value | undefined) => (v?.kind === 'date' ? v.date : undefined);
export const usdOf = (v: Value | undefined) => (v?.kind === 'money' ? v.usd : undefined);
export const textOf = (v: Value | undefined) => (v?.kind === 'text' ? v.text : undefined);

/** The token price keys every consumer format has: per 1M tokens, no tier, text (or unstated) modality. */
export type TokenDirection = 'input' | 'output' | 'cache_read' | 'cache_write';

export function tokenPrices(facts: readonly ExportFact[], route: string, modality: 'text' | 'image' = 'text'): Partial<Record<TokenDirection, string>> {
  const out: Partial<Record<TokenDirection, string>> = {};
  for (const f of facts) {
    const q = f.qualifiers;
    if (f.attribute !== 'price' || q.route !== route || q.unit !== 'per_1m_tokens' || q.tier !== undefined || !q.direction) continue;
    const m = q.modality ?? 'text';
    if (m !== modality) continue;
    const usd = usdOf(f.chosen);
    // an explicit text price wins over one stated without a modality
    if (usd !== undefined && (out[q.direction] === undefined || q.modality === modality)) out[q.direction] = usd;
  }
  return out;
}

/**
 * The per-token prices a one-price-per-direction format shows: text prices,
 * and where a direction has none, the image price (an image model's output
 * tokens are image tokens; models.dev lists them as its `output`).
 */
export function mainTokenPrices(facts: readonly ExportFact[], route: string): Partial<Record<TokenDirection, string>> {
  return { ...tokenPrices(facts, route, 'image'), ...tokenPrices(facts, route, 'text') };
}

/** Routes a model has prices on, sorted. */
export function routesOf(facts: readonly ExportFact[]): string[] {
  return [...new Set(facts.flatMap((f) => (f.attribute === 'price' && f.qualifiers.route ? [f.qualifiers.route] : [])))].sort();
}

export const countUnchosen = (facts: readonly ExportFact[]) => facts.filter((f) => f.chosen === undefined).length;

export { snapshotOf };
