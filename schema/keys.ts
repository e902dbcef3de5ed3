/**
 * Canonical texts and keys of values, claims and candidates: what makes two
 * statements "the same" for hashing, ordering and identity. Shared by
 * reconcile (equal meanings) and the store (content hashes, identities), so
 * it sits below both.
 */
import crypto, { createHash } from 'node:crypto';
import type { Candidate } from './fact.js';
import { decimal } from './decimal.js';
import type { Claim } from './observation.js';
import { qualifiersKey } from './qualifiers.js';
import type { Value } from './values.js';

const CANONICAL_DECIMAL = /^(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/** decimal() with a fast path for text that is already canonical ("0.2", "8"). */
export function canonicalDecimal(usd: string): string {
  return CANONICAL_DECIMAL.test(usd) ? usd : decimal(usd);
}

/** A canonical text of the value as stated (formatting differences removed), for hashing and ordering. */
export function canonicalValue(value: Value): string {
  switch (value.kind) {
    case 'money': {
      // a canonical amount is digits and a point: nothing JSON escapes, so the text is written out (every claim and candidate hashes one)
      const usd = canonicalDecimal(value.usd);
      return CANONICAL_DECIMAL.test(usd) ? `["money","${usd}"]` : JSON.stringify(['money', usd]);
    }
    case 'date':
      return JSON.stringify(['date', value.date, value.precision, value.approximate === true]);
    case 'count':
      return JSON.stringify(['count', value.count]);
    case 'not_applicable':
      return JSON.stringify(['not_applicable', value.stated]);
    case 'text':
      return JSON.stringify(['text', value.text]);
    case 'list':
      return JSON.stringify(['list', ...value.items]);
    case 'license':
      return JSON.stringify(['license', value.name, value.commercialUse]);
  }
}

/**
 * A fingerprint of what a reviewer saw: which source (and listing) says which
 * value. Independent of order, of formatting ("0.20" = "0.2"), of fetch
 * times and of flags; changes when a value or a source changes.
 */
export function candidatesHash(candidates: readonly Pick<Candidate, 'value' | 'provenance'>[]): string {
  const line = (c: Pick<Candidate, 'value' | 'provenance'>) => `${c.provenance.sourceId}\u0000${c.provenance.via ?? ''}\u0000${canonicalValue(c.value)}`;
  // one candidate (most facts): its line is the text
  const text = candidates.length === 1 ? line(candidates[0]!) : [...new Set(candidates.map(line))].sort().join('\n');
  return sha256Hex(text);
}

/** sha256 as hex in one call (crypto.hash, Node ≥ 20.12: no Hash object per text; a week hashes 100,000), else through createHash. */
export const sha256Hex: (text: string | Buffer) => string =
  typeof crypto.hash === 'function' ? (text) => crypto.hash('sha256', text, 'hex') : (text) => createHash('sha256').update(text).digest('hex');

/** Source, URL, model, attribute, qualifiers and listing joined by `|` (one template, no array: every claim is keyed by it several times). */
export function claimIdentity(c: Claim): string {
  const p = c.provenance;
  return `${p.sourceId}|${p.url}|${c.modelId}|${c.attribute}|${qualifiersKey(c.qualifiers)}|${p.via ?? ''}`;
}
