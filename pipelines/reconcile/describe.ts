/** Plain-words renderings of values and sources for rule texts and reasons. */
import type { Provenance } from '../../schema/observation.js';
import type { Qualifiers } from '../../schema/qualifiers.js';
import type { Value } from '../../schema/values.js';
import { canonicalDecimal } from './equivalence.js';

const UNIT_WORDS: Record<string, string> = {
  per_1m_tokens: 'per 1M tokens',
  per_token: 'per token',
  per_image: 'per image',
  per_pixel: 'per pixel',
  per_second: 'per second',
  per_minute: 'per minute',
  per_request: 'per request',
  per_1k_characters: 'per 1K characters',
};

export function describeValue(value: Value, qualifiers: Qualifiers = {}): string {
  switch (value.kind) {
    case 'money': {
      const unit = qualifiers.unit ? ` ${UNIT_WORDS[qualifiers.unit] ?? qualifiers.unit}` : '';
      return `$${canonicalDecimal(value.usd)}${unit}`;
    }
    case 'date': {
      const precision = value.precision === 'day' ? '' : ` (${value.precision} only)`;
      return `${value.approximate ? 'about ' : ''}${value.date}${precision}`;
    }
    case 'count':
      return String(value.count);
    case 'not_applicable':
      return 'not applicable';
    case 'text':
      return `"${value.text}"`;
    case 'list':
      return `[${value.items.join(', ')}]`;
    case 'license':
      return `${value.name} (commercial use: ${value.commercialUse})`;
  }
}

/** `models-dev (via vercel)` — which source, and which listing inside it. */
export function sourceLabel(p: Pick<Provenance, 'sourceId' | 'via'>): string {
  return p.via ? `${p.sourceId} (via ${p.via})` : p.sourceId;
}

/**
 * Who states something, in few words: each source once, a catalog's listings
 * under its one name ("models-dev (via azure, vercel and 3 more)", a catalog
 * is one source), sources in name order and listings in theirs. At most `max`
 * listings of a catalog and `max` sources are named, then "and N more".
 */
export function sourcesWords(provenances: readonly Pick<Provenance, 'sourceId' | 'via'>[], max = 10): string {
  if (provenances.length === 1) return sourceLabel(provenances[0]!);
  const bySource = new Map<string, { plain: boolean; vias: Set<string> }>();
  for (const p of provenances) {
    let entry = bySource.get(p.sourceId);
    if (!entry) bySource.set(p.sourceId, (entry = { plain: false, vias: new Set() }));
    if (p.via) entry.vias.add(p.via);
    else entry.plain = true;
  }
  const names: string[] = [];
  for (const [sourceId, { plain, vias }] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (plain) names.push(sourceId);
    if (vias.size > 0) names.push(`${sourceId} (via ${listWords(capList([...vias].sort(), max))})`);
  }
  return listWords(capList(names, max));
}

/** "a, b and c" */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Shortens long enumerations: the first `max` items, then "and N more". */
export function capList(items: readonly string[], max = 10): string[] {
  return items.length <= max ? [...items] : [...items.slice(0, max), `${items.length - max} more`];
}
