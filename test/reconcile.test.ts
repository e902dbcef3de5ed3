import { describe, expect, it } from 'vitest';
import type { Claim } from '../schema/observation.js';
import type { Fact } from '../schema/fact.js';
import {
  candidatesHash,
  factKey,
  reconcile,
  sameMeaning,
  sourceReliability,
  UnknownSourceError,
  type Decision,
  type ReconcileOptions,
} from '../pipelines/reconcile/index.js';
import { claim, day, MINI, month, NOW, perImage, perTokens, seedClaims, SOURCES, usd } from './reconcile.helpers.js';

const opts: ReconcileOptions = { sources: SOURCES, now: NOW };

function only(claims: Claim[], o: Partial<ReconcileOptions> = {}): Fact {
  const { facts } = reconcile(claims, { ...opts, ...o });
  expect(facts).toHaveLength(1);
  const [f] = facts;
  if (!f) throw new Error('no fact');
  return f;
}

describe('factKey and candidatesHash', () => {
  it('keys a fact by model, attribute and qualifiers in schema order', () => {
    expect(factKey({ modelId: MINI, attribute: 'price', qualifiers: { size: '1024x1024', quality: 'low', unit: 'per_image', route: 'openai' } })).toBe(
      'openai/gpt-image-1-mini|price|route=openai;unit=per_image;quality=low;size=1024x1024',
    );
    expect(factKey({ modelId: MINI, attribute: 'license', qualifiers: {} })).toBe('openai/gpt-image-1-mini|license|');
  });

  it('hashes candidates independently of order and formatting, and changes with a value or a source', () => {
    const a = { value: usd('0.20'), provenance: claim('llm-stats', 'price', usd('0.2')).provenance };
    const b = { value: usd('2'), provenance: claim('litellm', 'price', usd('2')).provenance };
    const a2 = { ...a, value: usd('0.2') };
    expect(candidatesHash([a, b])).toBe(candidatesHash([b, a2]));
    expect(candidatesHash([a, b])).not.toBe(candidatesHash([a, { ...b, value: usd('2.5') }]));
    expect(candidatesHash([a, b])).not.toBe(candidatesHash([a, { ...b, provenance: { ...b.provenance, sourceId: 'openrouter-api' } }]));
    // a re-fetch of the same values is not a change
    expect(candidatesHash([a, b])).toBe(candidatesHash([a, { ...b, provenance: { ...b.provenance, fetchedAt: '2026-05-01T00:00:00.000Z' } }]));
  });
});

describe('equivalence by meaning', () => {
  it('money: 0.20 = 0.200 = 2e-1; tolerance only when configured', () => {
    expect(sameMeaning(usd('0.20'), usd('0.200'), 'price')).toBe(true);
    expect(sameMeaning(usd('2e-1'), usd('0.2'), 'price')).toBe(true);
    expect(sameMeaning(usd('0.2'), usd('0.2009'), 'price')).toBe(false);
    expect(sameMeaning(usd('0.2'), usd('0.2009'), 'price', 0.005)).toBe(true);
    const f = only([
      claim('litellm', 'price', usd('0.2000000001'), { qualifiers: perTokens('vercel', 'cache_read') }),
      claim('openrouter-api', 'price', usd('0.2'), { qualifiers: perTokens('vercel', 'cache_read') }),
    ], { priceTolerance: 0.005 });
    expect(f.status).toBe('agreed');
  });

  it('dates: a month contains its days; the most precise statement is chosen', () => {
    const f = only([
      claim('models-dev', 'release_date', month('2025-10')),
      claim('llmreference-model', 'release_date', day('2025-10-06')),
      claim('litellm', 'release_date', { kind: 'date', date: '2025', precision: 'year' }),
    ]);
    expect(f.status).toBe('agreed');
    expect(f.chosen).toEqual(day('2025-10-06'));
    expect(f.rule).toMatch(/Less precise statements \(litellm and models-dev\) are compatible/);
  });

  it('lists compare as sets, text ignores case and spacing', () => {
    const list = only([
      claim('models-dev', 'input_modalities', { kind: 'list', items: ['text', 'image'] }),
      claim('openrouter-api', 'input_modalities', { kind: 'list', items: ['Image', 'text', 'text'] }),
    ]);
    expect(list.status).toBe('agreed');
    const text = only([
      claim('llmreference-model', 'family', { kind: 'text', text: 'GPT Image' }),
      claim('anttisahla', 'family', { kind: 'text', text: ' gpt  image ' }),
      claim('models-dev', 'family', { kind: 'text', text: 'gpt-image' }),
    ]);
    expect(text.status).toBe('agreed');
    // the chosen text is one source's wording, with its spacing tidied
    expect(['GPT Image', 'gpt image', 'gpt-image']).toContain(text.chosen?.kind === 'text' ? text.chosen.text : undefined);
  });

  it('licences compare by name and commercial use; unknown terms are compatible with known ones', () => {
    const f = only([
      claim('models-dev', 'license', { kind: 'license', name: 'Apache 2.0', commercialUse: 'unknown' }),
      claim('llmreference-model', 'license', { kind: 'license', name: 'apache-2.0', commercialUse: 'allowed' }),
    ]);
    expect(f.status).toBe('agreed');
    expect(f.chosen).toEqual({ kind: 'license', name: 'apache-2.0', commercialUse: 'allowed' });
  });

  it('0 is "not applicable" only where the attribute can be not applicable', () => {
    const ctx = only([claim('vercel-gateway-api', 'context_window', { kind: 'count', count: 0 })]);
    expect(ctx.chosen).toEqual({ kind: 'not_applicable', stated: '0' });
    expect(ctx.status).toBe('single-source');
    const gateways = only([claim('llmreference-model', 'gateway_count', { kind: 'count', count: 0 })]);
    expect(gateways.chosen).toEqual({ kind: 'count', count: 0 });
    expect(gateways.candidates[0]?.flags).toEqual([]);
  });
});

describe('qualifier-aware matching of prices stated without quality or size', () => {
  it('attaches a less-qualified claim to the qualified fact whose value it equals', () => {
    const { facts } = reconcile(
      [
        claim('openai-docs', 'price', usd('0.011'), { qualifiers: perImage('medium', '1024x1024') }),
        claim('openai-docs', 'price', usd('0.015'), { qualifiers: perImage('medium', '1024x1536') }),
        claim('litellm', 'price', usd('0.0110'), { qualifiers: perImage('medium') }),
      ],
      opts,
    );
    expect(facts.map(factKey)).toEqual([
      factKey({ modelId: MINI, attribute: 'price', qualifiers: perImage('medium', '1024x1024') }),
      factKey({ modelId: MINI, attribute: 'price', qualifiers: perImage('medium', '1024x1536') }),
    ]);
    const square = facts[0];
    expect(square?.status).toBe('agreed');
    expect(square?.candidates.find((c) => c.provenance.sourceId === 'litellm')?.flags).toEqual(['unqualified-match']);
  });

  it("an unqualified claim attaches to every qualified price it equals, and never changes their choice", () => {
    const { facts } = reconcile(
      [
        claim('openai-docs', 'price', usd('0.006'), { qualifiers: perImage('low', '1024x1536') }),
        claim('openai-docs', 'price', usd('0.006'), { qualifiers: perImage('low', '1536x1024') }),
        claim('openai-docs', 'price', usd('0.005'), { qualifiers: perImage('low', '1024x1024') }),
        claim('litellm', 'price', usd('0.006'), { qualifiers: perImage('low') }),
      ],
      opts,
    );
    expect(facts).toHaveLength(3);
    const withLitellm = facts.filter((f) => f.candidates.some((c) => c.provenance.sourceId === 'litellm'));
    expect(withLitellm.map((f) => f.qualifiers.size)).toEqual(['1024x1536', '1536x1024']);
  });

  it('a token price without modality is the text-token price: one fact, not two', () => {
    const { facts } = reconcile(
      [
        ...seedClaims().filter((c) => c.provenance.sourceId === 'openai-docs' && c.qualifiers.unit === 'per_1m_tokens'),
        claim('litellm', 'price', usd('3'), { qualifiers: perTokens('openai', 'input') }),
        claim('models-dev', 'price', usd('2'), { qualifiers: perTokens('openai', 'input'), via: 'openai' }),
      ],
      opts,
    );
    const text = facts.find((f) => factKey(f).endsWith('direction=input;modality=text'));
    expect(text?.candidates.map((c) => c.provenance.sourceId).sort()).toEqual(['litellm', 'models-dev', 'openai-docs']);
    expect(text?.chosen).toEqual(usd('2'));
    expect(text?.qualifiers).toEqual(perTokens('openai', 'input', 'text'));
    // no second, modality-less fact
    expect(facts.filter((f) => factKey(f).endsWith('direction=input'))).toEqual([]);
    expect(facts.find((f) => factKey(f).endsWith('direction=input;modality=image'))?.candidates).toHaveLength(1);
  });

  it('a different tier is a different price, not a refinement', () => {
    const { facts } = reconcile(
      [
        claim('openai-docs', 'price', usd('2'), { qualifiers: perTokens('openai', 'input') }),
        claim('openai-docs', 'price', usd('1'), { qualifiers: { ...perTokens('openai', 'input'), tier: 'batch' } }),
      ],
      opts,
    );
    expect(facts.map((f) => f.status)).toEqual(['single-source', 'single-source']);
  });
});

describe('authority per attribute', () => {
  const dates = (): Claim[] => [
    claim('openai-docs', 'release_date', day('2025-10-06')),
    claim('models-dev', 'release_date', day('2025-09-26'), { via: 'openai' }),
    claim('llm-stats', 'release_date', day('2025-09-26')),
  ];

  it("the creator's docs win its model's facts over agreeing aggregators", () => {
    const f = only(dates());
    expect(f.status).toBe('auto-resolved');
    expect(f.chosen).toEqual(day('2025-10-06'));
    expect(f.rule).toMatch(/^authority: .*openai-docs is the creator's own documentation of its model/);
  });

  it("a creator's docs have no authority over another creator's model", () => {
    const f = only(dates().map((c) => ({ ...c, modelId: 'google/imagen-4-fast' })));
    expect(f.chosen).toEqual(day('2025-09-26'));
    expect(f.rule).toMatch(/^agreement: /);
  });

  it('a gateway wins prices on its own route, not on others', () => {
    const onRoute = (route: string) => [
      claim('vercel-gateway-api', 'price', usd('2'), { qualifiers: perTokens(route, 'input') }),
      claim('openrouter-api', 'price', usd('2.5'), { qualifiers: perTokens(route, 'input') }),
      claim('litellm', 'price', usd('2.5'), { qualifiers: perTokens(route, 'input') }),
    ];
    const own = only(onRoute('vercel'));
    expect(own.chosen).toEqual(usd('2'));
    expect(own.rule).toMatch(/vercel-gateway-api is the vercel gateway's own statement of its prices/);
    const other = only(onRoute('azure'));
    expect(other.chosen).toEqual(usd('2.5'));
    expect(other.rule).toMatch(/^agreement: /);
  });

  it('a configured source order replaces the default for that attribute', () => {
    const f = only(dates(), { authorityOverrides: { release_date: ['llm-stats', 'openai-docs'] } });
    expect(f.chosen).toEqual(day('2025-09-26'));
    expect(f.rule).toMatch(/llm-stats is #1 in the configured source order for release_date/);
  });

  it('more confidence with authority and agreement', () => {
    const creatorAlone = only([claim('openai-docs', 'release_date', day('2025-10-06'))]).confidence;
    const aggregatorAlone = only([claim('llm-stats', 'release_date', day('2025-10-06'))]).confidence;
    const twoAggregators = only([
      claim('llm-stats', 'release_date', day('2025-10-06')),
      claim('models-dev', 'release_date', day('2025-10-06')),
    ]).confidence;
    expect(creatorAlone).toBeGreaterThan(twoAggregators);
    expect(twoAggregators).toBeGreaterThan(aggregatorAlone);
    expect(only(dates()).confidence).toBeLessThan(creatorAlone);
  });

  it('rejects claims from a source it was not told about', () => {
    expect(() => reconcile([claim('mystery-site', 'family', { kind: 'text', text: 'x' })], opts)).toThrow(UnknownSourceError);
  });
});

describe('known aggregator failures', () => {
  it('January 1st is a likely placeholder and loses to a real date', () => {
    const f = only([
      claim('models-dev', 'release_date', day('2024-01-01')),
      claim('llmreference-model', 'release_date', day('2024-06-12')),
    ]);
    expect(f.chosen).toEqual(day('2024-06-12'));
    expect(f.status).toBe('auto-resolved');
    expect(f.rule).toMatch(/^set-aside-known-failures: /);
    expect(f.candidates.find((c) => c.provenance.sourceId === 'models-dev')?.flags).toContain('likely-placeholder');
  });

  it('"January YYYY" is a placeholder only when another source gives a precise date in another month', () => {
    const jan = only([claim('llm-stats', 'release_date', month('2025-01')), claim('models-dev', 'release_date', day('2025-01-20'))]);
    expect(jan.status).toBe('agreed');
    expect(jan.candidates.flatMap((c) => c.flags)).not.toContain('likely-placeholder');
  });

  it('approximate dates lose to precise ones', () => {
    const f = only([
      claim('anttisahla', 'release_date', day('2025-11-03', true)),
      claim('llm-stats', 'release_date', day('2025-10-06')),
    ]);
    expect(f.chosen).toEqual(day('2025-10-06'));
    expect(f.rule).toMatch(/approximate while precise dates exist/);
  });

  it('stale claims (as of more than 90 days before now) lose to fresh ones', () => {
    const f = only([
      claim('anttisahla', 'price', usd('0.02'), { qualifiers: perImage('low', '1024x1024'), statedAsOf: day('2025-12-01') }),
      claim('llm-stats', 'price', usd('0.005'), { qualifiers: perImage('low', '1024x1024') }),
    ]);
    expect(f.chosen).toEqual(usd('0.005'));
    expect(f.candidates.find((c) => c.provenance.sourceId === 'anttisahla')?.flags).toEqual(['conflicting', 'stale']);
    // without "now" nothing is stale, and neither source decides
    const timeless = only(
      [
        claim('anttisahla', 'price', usd('0.02'), { qualifiers: perImage('low', '1024x1024') }),
        claim('llm-stats', 'price', usd('0.005'), { qualifiers: perImage('low', '1024x1024') }),
      ],
      { now: undefined },
    );
    expect(timeless.status).toBe('needs-review');
  });
});

describe('freshness breaks ties', () => {
  const pair = (asOf?: string) => [
    claim('anttisahla', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'allowed' }, asOf ? { statedAsOf: day(asOf) } : {}),
    claim('llm-stats', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'non-commercial' }, { statedAsOf: day('2026-03-01') }),
  ];

  it('a newer "last verified" date wins a tie', () => {
    const f = only(pair('2026-04-04'));
    expect(f.status).toBe('auto-resolved');
    expect(f.chosen).toEqual({ kind: 'license', name: 'Proprietary', commercialUse: 'allowed' });
    expect(f.rule).toMatch(/^freshness: .*stated as of 2026-04-04, is newer than .* as of 2026-03-01/);
  });

  it('a few days apart is no reason to choose', () => {
    const f = only(pair('2026-03-03'));
    expect(f.status).toBe('needs-review');
  });

  it('fetch times never decide: a page fetched months later is not "newer"', () => {
    const f = only([
      claim('anttisahla', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'allowed' }, { fetchedAt: '2026-11-30T10:00:00.000Z' }),
      claim('llm-stats', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'non-commercial' }, { statedAsOf: day('2026-03-01') }),
    ]);
    expect(f.status).toBe('needs-review');
    expect(f.rule).not.toMatch(/2026-11-30/);
  });

  it('stated dates of different precision are not compared', () => {
    const f = only([
      claim('anttisahla', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'allowed' }, { statedAsOf: month('2026-04') }),
      claim('llm-stats', 'license', { kind: 'license', name: 'Proprietary', commercialUse: 'non-commercial' }, { statedAsOf: day('2026-03-20') }),
    ]);
    expect(f.status).toBe('needs-review');
  });
});

describe('statuses', () => {
  it('one source is single-source even when it lists the value twice', () => {
    const f = only([
      claim('models-dev', 'release_date', day('2025-10-06'), { via: 'vercel' }),
      claim('models-dev', 'release_date', day('2025-10-06'), { via: 'openai' }),
    ]);
    expect(f.status).toBe('single-source');
  });
});

describe("rule texts name a catalog's listings under its one name", () => {
  const providers = ['azure', 'vercel', 'openai', 'helicone', 'kilo', 'poe', 'zenmux', 'abacus', 'nano-gpt', 'jiekou', 'chutes', 'llmgateway'];
  it('who states the value: the catalog once, its listings in name order, at most ten then "and N more"', () => {
    const f = only([
      claim('litellm', 'release_date', day('2025-10-06')),
      ...providers.map((via) => claim('models-dev', 'release_date', day('2025-10-06'), { via })),
    ]);
    expect(f.status).toBe('agreed');
    expect(f.rule).toContain(
      '2 sources agree on 2025-10-06: litellm and models-dev (via abacus, azure, chutes, helicone, jiekou, kilo, llmgateway, nano-gpt, openai, poe and 2 more).',
    );
    const one = only([claim('models-dev', 'release_date', day('2025-10-06'), { via: 'vercel' }), claim('models-dev', 'release_date', day('2025-10-06'), { via: 'openai' })]);
    expect(one.rule).toContain('Only models-dev (via openai and vercel) states it: 2025-10-06.');
  });

  it("the other listings' note names together the listings that say one value", () => {
    const f = only([
      claim('litellm', 'release_date', day('2025-10-06')),
      claim('models-dev', 'release_date', day('2025-10-06'), { via: 'openai' }),
      claim('models-dev', 'release_date', day('2025-10-06'), { via: 'azure' }),
      claim('models-dev', 'release_date', day('2025-10-06'), { via: 'vercel' }),
      claim('models-dev', 'release_date', day('2024-01-01'), { via: 'kilo' }),
      claim('models-dev', 'release_date', day('2024-01-01'), { via: 'chutes' }),
      claim('models-dev', 'release_date', day('2025-09-30'), { via: 'poe' }),
    ]);
    expect(f.chosen).toEqual(day('2025-10-06'));
    expect(f.rule).toContain('litellm and models-dev (via azure, openai and vercel)');
    expect(f.rule).toContain(
      'Other listings of one catalog support or dissent but are no vote of their own (a catalog is one source): models-dev (via chutes and kilo) says 2024-01-01 and models-dev (via poe) says 2025-09-30.',
    );
  });
});

describe('reviewer decisions', () => {
  const claims = () => seedClaims().filter((c) => c.attribute === 'license');
  const key = factKey({ modelId: MINI, attribute: 'license', qualifiers: {} });
  const decide = (hash: string): Decision => ({
    factKey: key,
    value: { kind: 'license', name: 'Proprietary', commercialUse: 'conditional' },
    note: "OpenAI's terms allow commercial use of outputs under its usage policies",
    by: 'reviewer@example.com',
    at: '2026-04-21T09:00:00.000Z',
    candidatesHash: hash,
  });

  it('a decision on the current candidates makes the fact reviewed', () => {
    const before = only(claims());
    const f = only(claims(), { decisions: [decide(candidatesHash(before.candidates))] });
    expect(f.status).toBe('reviewed');
    expect(f.chosen).toEqual({ kind: 'license', name: 'Proprietary', commercialUse: 'conditional' });
    expect(f.confidence).toBe(1);
    expect(f.rule).toMatch(/^reviewed: .*reviewer@example\.com chose Proprietary \(commercial use: conditional\) on 2026-04-21/);
    expect(f.candidates.find((c) => c.provenance.sourceId === 'llm-stats')?.flags).toEqual(['conflicting']);
  });

  it('reopens the decision when the candidates change, saying what changed', () => {
    const before = only(claims());
    const changed = claims().map((c) =>
      c.provenance.sourceId === 'llm-stats'
        ? { ...c, value: { kind: 'license' as const, name: 'Proprietary', commercialUse: 'allowed' as const }, provenance: { ...c.provenance, fetchedAt: '2026-04-27T06:00:00.000Z' } }
        : c,
    );
    const r = reconcile(changed, { ...opts, decisions: [decide(candidatesHash(before.candidates))] });
    const [f] = r.facts;
    expect(f?.status).toBe('needs-review');
    expect(r.reopened).toEqual([
      {
        factKey: key,
        reason:
          'candidates changed since review on 2026-04-21 (reviewer@example.com chose Proprietary (commercial use: conditional)): llm-stats now says Proprietary (commercial use: allowed)',
      },
    ]);
    expect(f?.rule).toMatch(/^reopened: /);
  });
});

describe('sourceReliability', () => {
  it("gives each source's share of claims equal to the chosen value, per attribute", () => {
    const { facts } = reconcile(seedClaims(), opts);
    const rows = sourceReliability(facts);
    const row = (s: string, a: string) => rows.find((r) => r.sourceId === s && r.attribute === a);
    expect(row('models-dev', 'release_date')).toEqual({ sourceId: 'models-dev', attribute: 'release_date', claims: 3, agreed: 1, share: 1 / 3 });
    expect(row('openai-docs', 'price')).toMatchObject({ claims: 14, agreed: 14, share: 1 });
    // the licence has no chosen value and ambiguous prices none either: they do not count
    expect(row('llm-stats', 'license')).toBeUndefined();
    expect(row('llm-stats', 'price')).toBeUndefined();
    expect(row('llm-stats', 'release_date')).toMatchObject({ claims: 1, agreed: 0, share: 0 });
  });
});
