import { describe, expect, it } from 'vitest';
import { Fact } from '../schema/fact.js';
import { factKey, reconcile } from '../pipelines/reconcile/index.js';
import { MINI, NOW, perImage, perTokens, seedClaims, SOURCES } from './reconcile.helpers.js';

const result = reconcile(seedClaims(), { sources: SOURCES, now: NOW });
const byKey = new Map(result.facts.map((f) => [factKey(f), f]));

function fact(attribute: Fact['attribute'], qualifiers: Fact['qualifiers'] = {}): Fact {
  const f = byKey.get(factKey({ modelId: MINI, attribute, qualifiers }));
  if (!f) throw new Error(`no fact ${attribute} ${JSON.stringify(qualifiers)}; have ${[...byKey.keys()].join('\n')}`);
  return f;
}

const flagsOf = (f: Fact, sourceId: string, via?: string) =>
  f.candidates.filter((c) => c.provenance.sourceId === sourceId && c.provenance.via === via).flatMap((c) => c.flags);

describe('reconcile: the gpt-image-1-mini seed example', () => {
  it('produces facts that satisfy the canonical schema, in key order', () => {
    for (const f of result.facts) expect(() => Fact.parse(f)).not.toThrow();
    const keys = result.facts.map(factKey);
    expect(keys).toEqual([...keys].sort());
    expect(result.reopened).toEqual([]);
  });

  it('release date: 2025-10-06 at day precision, chosen by agreement of independent sources', () => {
    const f = fact('release_date');
    expect(f.chosen).toEqual({ kind: 'date', date: '2025-10-06', precision: 'day' });
    expect(f.status).toBe('auto-resolved');
    expect(f.rule).toMatch(/^agreement: /);
    expect(f.rule).toMatch(/No creator or route-owner claim/);
    expect(f.rule).toMatch(/llm-stats's 2025-01 \(month only\) looks like a placeholder date/);
    expect(f.rule).toMatch(/anttisahla's about 2025-10-01 is approximate/);
    expect(f.rule).toMatch(/llmreference-model and llmreference-route are pages of one site \(llmreference\.com\)/);
    expect(f.candidates).toHaveLength(7);
    expect(flagsOf(f, 'llm-stats')).toContain('likely-placeholder');
    expect(flagsOf(f, 'anttisahla')).toContain('approximate');
    expect(flagsOf(f, 'models-dev', 'poe')).toContain('conflicting');
    expect(flagsOf(f, 'models-dev', 'vercel')).not.toContain('conflicting');
    expect(f.confidence).toBeGreaterThan(0.5);
    expect(f.confidence).toBeLessThan(1);
  });

  it('per-image prices at 1024x1024 come from the creator; llmreference agrees', () => {
    const want = { low: '0.005', medium: '0.011', high: '0.036' } as const;
    for (const [quality, price] of Object.entries(want)) {
      const f = fact('price', perImage(quality as 'low', '1024x1024'));
      expect(f.chosen).toEqual({ kind: 'money', usd: price });
      expect(f.status).toBe('agreed');
      expect(f.candidates.map((c) => c.provenance.sourceId).sort()).toEqual(['llmreference-model', 'openai-docs']);
      expect(f.related).toEqual(
        expect.arrayContaining([factKey({ modelId: MINI, attribute: 'price', qualifiers: perImage() })]),
      );
    }
    const tall = fact('price', perImage('high', '1024x1536'));
    expect(tall.chosen).toEqual({ kind: 'money', usd: '0.052' });
    expect(tall.status).toBe('single-source');
  });

  it("anttisahla's per-image prices without size are ambiguous, not silently compared", () => {
    const low = fact('price', perImage('low'));
    expect(low.status).toBe('needs-review');
    expect(low.chosen).toBeUndefined();
    expect(low.confidence).toBe(0);
    expect(low.related).toEqual(
      ['1024x1024', '1024x1536', '1536x1024'].map((size) =>
        factKey({ modelId: MINI, attribute: 'price', qualifiers: perImage('low', size) }),
      ),
    );
    expect(low.rule).toMatch(/^unqualified-ambiguous: /);
    expect(low.rule).toMatch(/anttisahla says \$0\.004 per image without size/);
    expect(low.rule).toMatch(/size=1024x1024: \$0\.005 per image/);
    // and the qualified fact points back at it
    expect(fact('price', perImage('low', '1024x1024')).related).toContain(factKey(low));
  });

  it("llm-stats' $0.0100 per image, with neither quality nor size, is ambiguous against all nine qualified prices", () => {
    const f = fact('price', perImage());
    expect(f.status).toBe('needs-review');
    expect(f.related).toHaveLength(9);
    expect(f.rule).toMatch(/llm-stats says \$0\.01 per image without quality and size/);
    expect(f.candidates[0]?.value).toEqual({ kind: 'money', usd: '0.0100' });
  });

  it('licence: conditional vs non-commercial from two aggregators, no creator claim → needs review', () => {
    const f = fact('license');
    expect(f.status).toBe('needs-review');
    expect(f.chosen).toBeUndefined();
    expect(f.rule).toMatch(/^no-rule: /);
    expect(f.rule).toMatch(/Proprietary \(commercial use: conditional\) \(llmreference-model\)/);
    expect(f.rule).toMatch(/Proprietary \(commercial use: non-commercial\) \(llm-stats\)/);
  });

  it('context window: 0 and "not applicable" agree on not applicable', () => {
    const f = fact('context_window');
    expect(f.chosen).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(f.status).toBe('agreed');
    expect(f.rule).toMatch(/means "not applicable" here, not zero/);
    expect(flagsOf(f, 'vercel-gateway-api')).toContain('zero-means-not-applicable');
    expect(flagsOf(f, 'models-dev', 'openai')).toContain('zero-means-not-applicable');
    expect(f.candidates.every((c) => !c.flags.includes('conflicting'))).toBe(true);
  });

  it('Vercel route token prices $2 / $8 / $0.20 agree between the gateway page and llmreference', () => {
    const want = { input: '2', output: '8', cache_read: '0.2' } as const;
    for (const [direction, price] of Object.entries(want)) {
      const f = fact('price', perTokens('vercel', direction as 'input', 'text'));
      expect(f.chosen).toEqual({ kind: 'money', usd: price });
      expect(f.status).toBe('agreed');
      expect(f.candidates.map((c) => c.provenance.sourceId).sort()).toEqual(['llmreference-route', 'vercel-gateway-page']);
      expect(f.confidence).toBeGreaterThan(0.9);
    }
  });

  it("OpenAI's own token prices stay split by modality", () => {
    expect(fact('price', perTokens('openai', 'input', 'text')).chosen).toEqual({ kind: 'money', usd: '2' });
    expect(fact('price', perTokens('openai', 'input', 'image')).chosen).toEqual({ kind: 'money', usd: '2.5' });
    expect(fact('price', perTokens('openai', 'cache_read', 'image')).chosen).toEqual({ kind: 'money', usd: '0.25' });
  });
});
