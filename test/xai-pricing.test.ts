import { describe, expect, it } from 'vitest';
import { xaiPricing as src } from '../extractors/xai-pricing.js';
import { claimsOf, creatorPage, pricesOf } from './helpers/creator-pages.js';

const K = (direction: string, tier?: string) => `route=xai;unit=per_1m_tokens;direction=${direction}${tier ? `;tier=${tier}` : ''}`;
const extract = (opts: Parameters<typeof creatorPage>[1] = {}) => src.extract(creatorPage(src, opts));
const claims = (opts: Parameters<typeof creatorPage>[1] = {}) => claimsOf(src, extract(opts));

describe('xai-pricing', () => {
  it('reads "$in ($cached) / $out", and derives the long-context prices of the footnoted model only', () => {
    expect(pricesOf(claims(), 'xai/grok-4-0709')).toEqual({
      [K('input')]: '3',
      [K('cache_read')]: '0.75',
      [K('output')]: '15',
      [K('input', 'above_128k')]: '6 (derived)',
      [K('output', 'above_128k')]: '30 (derived)',
    });
    expect(pricesOf(claims(), 'xai/grok-code-fast-1')).toEqual({ [K('input')]: '0.2', [K('cache_read')]: '0.02', [K('output')]: '1.5' });
  });

  it('takes the unit of a group row: image models are priced per image', () => {
    expect(pricesOf(claims(), 'xai/grok-2-image-1212')).toEqual({ 'route=xai;unit=per_image;direction=output;modality=image': '0.07' });
  });

  it('reads the context column as the context window, and ignores aliases in the model cell', () => {
    const ctx = claims().filter((c) => c.attribute === 'context_window');
    expect(ctx.find((c) => c.modelId === 'xai/grok-4-fast-reasoning')?.value).toEqual({ kind: 'count', count: 2000000 });
    expect(ctx.some((c) => c.modelId.includes('latest'))).toBe(false);
  });

  it('a price cell in another form is a problem', () => {
    const body = creatorPage(src).body.replace('<span class="in">$0.30</span> (<span class="cached">$0.075</span>) / <span class="out">$0.50</span>', 'Contact sales');
    expect(extract({ body }).problems?.map((p) => p.message)).toEqual(['token price not in the "in (cached in) / out" form']);
  });

  it('W16 does not list grok-code-fast-1 yet', () => {
    expect(claims({ week: '2026-W16' }).some((c) => c.modelId === 'xai/grok-code-fast-1')).toBe(false);
  });
});
