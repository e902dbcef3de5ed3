/**
 * Precision-aware money equality. Catalogs publish token prices at the
 * precision they like: one says $0.025 per 1M tokens, another, keeping two
 * decimals, says $0.03. The rounded value is a less precise statement of the
 * precise one (like 2025-10 of 2025-10-06): compatible, and the precise one
 * wins. Only applied to per-1M-token prices, where a source's rounding is
 * common; a per-image $0.01 and $0.005 stay two prices.
 */
import type { Qualifiers } from '../../schema/qualifiers.js';

/** Rounding never goes below this many decimals: $2.5 and $3 per 1M tokens are two prices. */
const MIN_DECIMALS = 2;

function roundHalfUp(canonical: string, decimals: number): string | undefined {
  const [int = '0', frac = ''] = canonical.split('.');
  if (frac.length <= decimals) return undefined;
  const scaled = BigInt(int + frac.slice(0, decimals)) + (Number(frac[decimals]) >= 5 ? 1n : 0n);
  if (scaled === 0n) return undefined;
  const text = scaled.toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const part = text.slice(text.length - decimals).replace(/0+$/, '');
  return part ? `${whole}.${part}` : whole;
}

/** Whether a fact's values are prices whose rounding by a source is compatible with the precise value. */
export function roundingApplies(q: Qualifiers): boolean {
  return q.unit === 'per_1m_tokens';
}

/**
 * The canonical amounts a source rounding `canonical` would publish: one,
 * two ... decimals fewer, never below two decimals. `0.025` → [`0.03`];
 * `0.0375` → [`0.038`, `0.04`]; `1.25` → [].
 */
export function roundedForms(canonical: string): string[] {
  if (canonical.startsWith('-')) return [];
  const decimals = canonical.split('.')[1]?.length ?? 0;
  const out: string[] = [];
  for (let d = decimals - 1; d >= MIN_DECIMALS; d--) {
    const r = roundHalfUp(canonical, d);
    if (r !== undefined && r !== canonical && !out.includes(r)) out.push(r);
  }
  return out;
}
