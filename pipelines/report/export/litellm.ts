/**
 * `--format litellm`: LiteLLM's model cost map. LiteLLM refuses a remote map
 * with fewer models than its bundled copy (and silently keeps the bundled
 * one), so the export is the week's stored LiteLLM map itself with the
 * reconciled values written over the values LiteLLM stated: a superset of
 * LiteLLM's entries. A value is replaced where the fact LiteLLM's claim
 * belongs to chose another value; the LiteLLM field is found from the claim's
 * locator (`$["key"].field`), the amount converted back to the field's unit.
 * Per-pixel fields are left as stated: their per-image facts are derived.
 */
import { LosslessNumber, parse } from 'lossless-json';
import { compare, isDecimal, shift } from '../../../schema/decimal.js';
import type { Candidate } from '../../../schema/fact.js';
import { canonicalValue } from '../../../schema/keys.js';
import { countUnchosen, jsonNumber, toJsonText, type ExportFact, type ExportResult } from './common.js';

const SOURCE_ID = 'litellm';
const LOCATOR = /^\$\[("(?:[^"\\]|\\.)*")\]\.([a-z0-9_]+)$/;
const COUNT_FIELDS: Record<string, string> = {
  max_input_tokens: 'context_window',
  max_tokens: 'max_output_tokens',
  max_output_tokens: 'max_output_tokens',
};

export class LitellmMapError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LitellmMapError';
  }
}

/** The chosen amount in the LiteLLM field's own unit, or undefined when the field is not one to write back. */
function fieldAmount(f: ExportFact, field: string, usd: string): string | undefined {
  switch (f.qualifiers.unit) {
    case 'per_1m_tokens':
      return shift(usd, -6);
    case 'per_1k_characters':
      return shift(usd, -3);
    case 'per_image':
      return field.includes('pixel') ? undefined : usd;
    case 'per_second':
    case 'per_request':
      return usd;
    default:
      return undefined;
  }
}

function locate(c: Candidate): { key: string; field: string } | undefined {
  if (c.provenance.sourceId !== SOURCE_ID) return undefined;
  const m = LOCATOR.exec(c.provenance.locator);
  return m ? { key: JSON.parse(m[1]!) as string, field: m[2]! } : undefined;
}

export function buildLitellm(facts: readonly ExportFact[], week: string, storedMap: string): ExportResult {
  let map: Record<string, Record<string, unknown>>;
  try {
    map = parse(storedMap) as Record<string, Record<string, unknown>>;
  } catch (cause) {
    throw new LitellmMapError('the stored LiteLLM map is not JSON', { cause });
  }
  let changed = 0;
  for (const f of facts) {
    if (!f.chosen) continue;
    for (const c of f.candidates) {
      const at = locate(c);
      if (!at) continue;
      const entry = map[at.key];
      if (!entry || !(at.field in entry) || canonicalValue(c.value) === canonicalValue(f.chosen)) continue;
      let next: LosslessNumber | undefined;
      if (f.chosen.kind === 'money') {
        const amount = fieldAmount(f, at.field, f.chosen.usd);
        if (amount !== undefined) next = jsonNumber(amount);
      } else if (f.chosen.kind === 'count' && COUNT_FIELDS[at.field] === f.attribute) {
        next = jsonNumber(String(f.chosen.count));
      }
      if (!next) continue;
      const old = entry[at.field];
      if (old instanceof LosslessNumber && isDecimal(old.value) && compare(old.value, next.value) === 0) continue;
      entry[at.field] = next;
      changed += 1;
    }
  }
  const entries = Object.keys(map).filter((k) => k !== 'sample_spec').length;
  return {
    text: toJsonText(map),
    summary: { format: 'litellm', week, models: entries, omittedUnchosen: countUnchosen(facts), valuesChanged: changed, baseEntries: entries, entries },
  };
}
