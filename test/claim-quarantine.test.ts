import { describe, expect, it } from 'vitest';
import type { Claim } from '../schema/observation.js';
import { quarantineClaims } from '../pipelines/normalize/claim-quarantine.js';

/** gpt-5.4-mini on the openrouter route, as models.dev (via openrouter) and OpenRouter state it (figures from 2026 catalogs). */
function price(sourceId: string, usd: string, extra: { via?: string; direction?: 'input' | 'output'; model?: string; fetchedAt?: string } = {}): Claim {
  return {
    modelId: extra.model ?? 'openai/gpt-5.4-mini',
    attribute: 'price',
    qualifiers: { route: 'openrouter', unit: 'per_1m_tokens', direction: extra.direction ?? 'input' },
    value: { kind: 'money', usd },
    provenance: {
      sourceId,
      url: sourceId === 'models-dev' ? 'https://models.dev/api.json' : 'https://openrouter.ai/api/v1/models',
      fetchedAt: extra.fetchedAt ?? '2026-04-20T06:00:00.000Z',
      excerpt: `${usd}`,
      locator: `${extra.via ?? ''}.${extra.model ?? 'gpt-5.4-mini'}.${extra.direction ?? 'input'}`,
      extractorVersion: '1',
      pageHash: 'b'.repeat(64),
      ...(extra.via ? { via: extra.via } : {}),
    },
  };
}

const LAST_WEEK = '2026-04-13T06:00:00.000Z';

describe('claim-level quarantine', () => {
  it('a key a catalog states twice (two names of one model in one listing) is not a jump between its own values', () => {
    const week = (usd: string, fetchedAt?: string) => price('models-dev', usd, { via: '302ai', ...(fetchedAt ? { fetchedAt } : {}) });
    const r = quarantineClaims({
      sourceId: 'models-dev',
      claims: [week('0.4'), week('1.6')],
      previous: [week('0.4', LAST_WEEK), week('1.6', LAST_WEEK)],
      others: [price('openrouter-api', '0.75')],
    });
    expect(r.quarantined).toEqual([]);
    expect(r.claims.map((c) => c.value)).toEqual([{ kind: 'money', usd: '0.4' }, { kind: 'money', usd: '1.6' }]);
    // the store kept one version of the key: the run's other value is no jump while one value is unchanged
    const stored = quarantineClaims({ sourceId: 'models-dev', claims: [week('0.4'), week('1.6')], previous: [week('1.6', LAST_WEEK)], others: [price('openrouter-api', '0.75')] });
    expect(stored.quarantined).toEqual([]);
  });

  it('a correction that lands on another source\'s current value publishes (models.dev fixing a ×10^6 slip)', () => {
    const r = quarantineClaims({
      sourceId: 'models-dev',
      claims: [price('models-dev', '0.75', { via: 'openrouter' }), price('models-dev', '4.5', { via: 'openrouter', direction: 'output' })],
      previous: [price('models-dev', '0.00000075', { via: 'openrouter', fetchedAt: LAST_WEEK }), price('models-dev', '4.5', { via: 'openrouter', direction: 'output', fetchedAt: LAST_WEEK })],
      others: [price('openrouter-api', '0.75')],
    });
    expect(r.quarantined).toEqual([]);
    expect(r.claims.map((c) => c.value)).toEqual([{ kind: 'money', usd: '0.75' }, { kind: 'money', usd: '4.5' }]);
  });

  it('a slip that lands on nobody quarantines that claim only: its last good value stays, the rest publishes', () => {
    const before = price('models-dev', '0.75', { via: 'openrouter', fetchedAt: LAST_WEEK });
    const r = quarantineClaims({
      sourceId: 'models-dev',
      claims: [price('models-dev', '0.00000075', { via: 'openrouter' }), price('models-dev', '5', { via: 'openrouter', direction: 'output' })],
      previous: [before, price('models-dev', '4.5', { via: 'openrouter', direction: 'output', fetchedAt: LAST_WEEK })],
      others: [price('openrouter-api', '0.75')],
    });
    expect(r.quarantined).toHaveLength(1);
    expect(r.quarantined[0]!.reason).toMatch(/jumped from 0\.75 to 0\.00000075 \(×10\^6: a unit slip\?\)/);
    expect(r.claims).toContain(before);
    // an ordinary change (4.5 → 5) publishes
    expect(r.claims.map((c) => c.value)).toContainEqual({ kind: 'money', usd: '5' });
  });

  it('a doubled price nobody else states is held back; with no other source to compare, only a unit slip is', () => {
    const before = price('litellm', '1.25', { fetchedAt: LAST_WEEK });
    const doubled = price('litellm', '2.5');
    expect(quarantineClaims({ sourceId: 'litellm', claims: [doubled], previous: [before], others: [price('models-dev', '1.25', { via: 'openrouter' })] }).claims).toEqual([before]);
    expect(quarantineClaims({ sourceId: 'litellm', claims: [doubled], previous: [before], others: [] }).claims).toEqual([doubled]);
    const slipped = price('litellm', '0.00000125');
    expect(quarantineClaims({ sourceId: 'litellm', claims: [slipped], previous: [before], others: [] }).claims).toEqual([before]);
  });

  it('a first-seen value 10^6 away from every other source is quarantined; one near them publishes', () => {
    const others = [price('openrouter-api', '0.75', { model: 'openai/new-model' })];
    const off = price('models-dev', '750000', { via: 'openrouter', model: 'openai/new-model' });
    const r = quarantineClaims({ sourceId: 'models-dev', claims: [off], previous: [], others });
    expect(r.claims).toEqual([]);
    expect(r.quarantined[0]!.reason).toMatch(/is new at 750000, about 10\^6 times what other sources state \(0\.75\)/);
    const near = price('models-dev', '0.8', { via: 'openrouter', model: 'openai/new-model' });
    expect(quarantineClaims({ sourceId: 'models-dev', claims: [near], previous: [], others }).claims).toEqual([near]);
  });

  it('another source\'s claims, not the source\'s own, decide whether a jump is confirmed', () => {
    const before = price('models-dev', '0.75', { via: 'openrouter', fetchedAt: LAST_WEEK });
    const jumped = price('models-dev', '3', { via: 'openrouter' });
    // its own other listing saying 3 is no confirmation
    const r = quarantineClaims({ sourceId: 'models-dev', claims: [jumped], previous: [before], others: [price('models-dev', '3', { via: 'vercel' }), price('openrouter-api', '0.75')] });
    expect(r.claims).toEqual([before]);
  });

  // litellm's nebius price of qwen2.5-vl-72b as litellm and models.dev state it (0.13, real W17 figures), litellm moving to 0.16
  const nebius = (sourceId: string, usd: string, fetchedAt?: string): Claim => ({
    ...price(sourceId, usd, { model: 'alibaba/qwen2.5-vl-72b-instruct', ...(sourceId === 'models-dev' ? { via: 'nebius' } : {}), ...(fetchedAt ? { fetchedAt } : {}) }),
    qualifiers: { route: 'nebius', unit: 'per_1m_tokens', direction: 'input' },
  });

  it('a lone change away from a value another source still states is held once; stated again the next week it publishes', () => {
    const before = nebius('litellm', '0.13', LAST_WEEK);
    const changed = nebius('litellm', '0.1625');
    const others = [nebius('models-dev', '0.13')];
    const r = quarantineClaims({ sourceId: 'litellm', claims: [changed], previous: [before], others });
    expect(r.claims).toEqual([before]);
    expect(r.quarantined[0]!.reason).toMatch(/changed from 0\.13 to 0\.1625 while another source still states 0\.13 and none states the new value; held for a week/);
    // the next week: last week's held value stated again has persisted, and publishes
    const next = quarantineClaims({ sourceId: 'litellm', claims: [changed], previous: [before], others, held: [r.quarantined[0]!.claim] });
    expect(next.quarantined).toEqual([]);
    expect(next.claims).toEqual([changed]);
    // a different value the next week is a new change: held again
    expect(quarantineClaims({ sourceId: 'litellm', claims: [nebius('litellm', '0.2')], previous: [before], others, held: [changed] }).quarantined).toHaveLength(1);
  });

  it('a small change publishes when another source states the new value too, when nobody states the old one, or on a creator\'s own page', () => {
    const before = nebius('litellm', '0.13', LAST_WEEK);
    const changed = nebius('litellm', '0.1625');
    const run = (others: Claim[], options = {}) => quarantineClaims({ sourceId: 'litellm', claims: [changed], previous: [before], others }, options).claims;
    expect(run([nebius('models-dev', '0.1625')])).toEqual([changed]);
    expect(run([nebius('models-dev', '0.25')])).toEqual([changed]);
    expect(run([])).toEqual([changed]);
    expect(run([nebius('models-dev', '0.13')], { holdLoneChanges: false })).toEqual([changed]);
    // rounding is no change: 0.13 → 0.1300001
    const rounded = nebius('litellm', '0.1300001');
    expect(quarantineClaims({ sourceId: 'litellm', claims: [rounded], previous: [before], others: [nebius('models-dev', '0.13')] }).claims).toEqual([rounded]);
  });

  it('a jump held last week publishes when the source states it again (it persisted)', () => {
    const before = price('litellm', '1.25', { fetchedAt: LAST_WEEK });
    const doubled = price('litellm', '2.5');
    const others = [price('models-dev', '1.25', { via: 'openrouter' })];
    const first = quarantineClaims({ sourceId: 'litellm', claims: [doubled], previous: [before], others });
    expect(first.claims).toEqual([before]);
    expect(quarantineClaims({ sourceId: 'litellm', claims: [doubled], previous: [before], others, held: [first.quarantined[0]!.claim] }).claims).toEqual([doubled]);
  });
});
