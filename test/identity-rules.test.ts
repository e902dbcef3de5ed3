/**
 * Every identity rule is a row in pipelines/normalize/identity-data/; each row
 * carries real names (from the 2026 weeks) and what it must make of them.
 * These tests run every row's examples, then the cross-cutting rules: creator
 * evidence and its order, ambiguity, reason classes, variants as tiers,
 * lookup by any name, and the twin check of the identity report.
 */
import { describe, expect, it } from 'vitest';
import type { Extraction } from '../extractors/contract.js';
import { FAMILIES } from '../pipelines/normalize/identity-data/families.js';
import { HOST_PATHS } from '../pipelines/normalize/identity-data/routes.js';
import { CREATOR_SPELLING, ORDER_RULES, PREFIX_REWRITES, SUFFIX_RULES, VERSION_FAMILIES } from '../pipelines/normalize/identity-data/spelling.js';
import { VARIANT_SUFFIXES } from '../pipelines/normalize/identity-data/variants.js';
import { DEFAULT_ALIAS_MAP, resolveModel, variantOf, versionSpelling } from '../pipelines/normalize/identity.js';
import { editDistance, matchModelName, nearestIds } from '../pipelines/normalize/name-match.js';
import { normalize } from '../pipelines/normalize/normalize.js';
import { identityReport, sample, twinGroups } from '../pipelines/report/identity-report.js';

const resolve = (name: string, creator?: string, host?: string) => resolveModel({ name, creator, host }, DEFAULT_ALIAS_MAP);
const idOf = (name: string, creator?: string, host?: string) => {
  const r = resolve(name, creator, host);
  return 'modelId' in r ? r.modelId : `unmatched(${r.reason})`;
};

describe('identity data rows, each on its real names', () => {
  it('family rows: a bare name gets the family creator', () => {
    for (const row of FAMILIES) {
      for (const name of row.examples) expect(idOf(name).split('/')[0], `${row.id}: ${name}`).toBe(row.creator);
    }
  });

  it('suffix, prefix and order rows rewrite their examples', () => {
    for (const row of [...SUFFIX_RULES, ...PREFIX_REWRITES, ...ORDER_RULES, ...Object.values(CREATOR_SPELLING)]) {
      for (const [from, to] of row.examples) {
        const out = typeof row.replace === 'string' ? from.replace(row.pattern, row.replace) : from.replace(row.pattern, row.replace);
        expect(out, row.id).toBe(to);
      }
    }
  });

  it('version rows write the version as the family does', () => {
    for (const f of VERSION_FAMILIES) {
      const re = new RegExp(`^(${f.family})[-.]?(\\d{1,2})(?:[.-](0|[1-9]\\d?))?(?=$|[-:])`);
      for (const [from, to] of f.examples) expect(versionSpelling(from, f, re), `${f.id}: ${from}`).toBe(to);
    }
  });

  it('host-path rows leave org/model or model', () => {
    for (const hp of HOST_PATHS) {
      for (const [from, to] of hp.examples) expect(hp.pattern.exec(from)?.slice(1).join('/'), hp.id).toBe(to);
    }
  });

  it('variant rows strip the suffix and name the tier', () => {
    for (const row of VARIANT_SUFFIXES) {
      for (const [name, slug, tier] of row.examples) {
        const r = resolve(name);
        expect(r, `${row.id}: ${name}`).toMatchObject({ modelId: expect.stringMatching(new RegExp(`/${slug.replace(/\./g, '\\.')}$`)) });
        if (tier) expect((r as { tier?: string }).tier, name).toBe(tier);
        else expect(r).not.toHaveProperty('tier');
      }
    }
  });
});

describe('one model, one id across sources (real spellings from 2026-W17)', () => {
  const same: [string, string[]][] = [
    ['anthropic/claude-sonnet-4-5', ['claude-4-5-sonnet', 'anthropic/claude-sonnet-4.5', 'anthropic-claude-sonnet-4.5', 'claude-sonnet-4-5', 'us.anthropic.claude-sonnet-4-5-v1:0']],
    ['anthropic/claude-opus-4-6', ['claude-opus-4-6@default', 'claude-opus-4-6-v1', 'anthropic/claude-opus-4.6:thinking', 'claude-opus4-6', 'claude-4-6-opus']],
    ['google/gemini-2.5-pro', ['google/gemini-2-5-pro', 'gemini-2.5-pro', 'gemini/gemini-2.5-pro']],
    ['deepseek/deepseek-v3.2', ['deepseek-v3p2', 'accounts/fireworks/models/deepseek-v3p2', 'deepseek-v3-2', 'Pro/deepseek-ai/DeepSeek-V3.2', 'hf:deepseek-ai/DeepSeek-V3.2']],
    ['openai/gpt-4o', ['azure-gpt-4o', 'openai-gpt-4o', 'GPT-4o', 'gradient_ai/openai-gpt-4o']],
    ['zai/glm-4.6', ['zai-org-glm-4.6', 'z-ai/glm-4.6:exacto', 'zai-org/GLM-4.6']],
    ['moonshot/kimi-k2.5', ['@cf/moonshotai/kimi-k2.5', 'Pro/moonshotai/Kimi-K2.5', 'kimi-k2-5', 'accounts/fireworks/models/kimi-k2p5']],
    ['alibaba/qwen2.5-72b-instruct', ['qwen/qwen-2.5-72b-instruct', 'Qwen/Qwen2.5-72B-Instruct', 'qwen2-5-72b-instruct']],
    ['meta/llama-3.1-8b-instruct', ['meta.llama3-1-8b-instruct-v1:0', 'meta-llama/Meta-Llama-3.1-8B-Instruct', 'llama3.1-8b-instruct', 'accounts/fireworks/models/llama-v3p1-8b-instruct']],
    ['xai/grok-4', ['x-ai/grok-4', 'xai/grok-4', 'grok-4']],
    ['openai/gpt-3.5-turbo', ['azure/gpt-35-turbo', 'gpt-3.5-turbo']],
  ];
  for (const [id, names] of same) {
    it(`${id}: ${names.length} spellings`, () => {
      for (const n of names) expect(idOf(n), n).toBe(id);
    });
  }

  it('keeps different models apart', () => {
    expect(idOf('gemini-2.5-pro-preview-05-06')).not.toBe(idOf('gemini-2.5-pro-preview-06-05'));
    expect(idOf('llama-3.2-1b-instruct')).toBe('meta/llama-3.2-1b-instruct');
    expect(idOf('gemma-3-1b-it')).toBe('google/gemma-3-1b-it');
    expect(idOf('moonshotai/kimi-k2-thinking')).toBe('moonshot/kimi-k2-thinking'); // a model of its own, not a mode
    expect(idOf('claude-sonnet-4-20250514')).toBe('anthropic/claude-sonnet-4-20250514'); // the snapshot stays a snapshot
  });
});

describe('creator evidence', () => {
  it('an unknown org publishes its own model; a re-packager or host does not', () => {
    expect(resolve('Steelskull/L3.3-Nevoria-R1-70b')).toMatchObject({ modelId: 'steelskull/l3.3-nevoria-r1-70b', rule: expect.stringMatching(/^publisher-org/) });
    expect(idOf('unsloth/Llama-3.3-70B-Instruct')).toBe('meta/llama-3.3-70b-instruct');
    expect(resolve('unsloth/mystery-7b')).toEqual({ unmatched: 'unsloth/mystery-7b', reason: 'unknown-creator' });
    expect(resolve('aiml/flux/dev')).toMatchObject({ unmatched: 'aiml/flux/dev' });
  });

  it('a first-party host names the creator of a bare name it lists', () => {
    expect(resolve('nova-3', undefined, 'deepgram')).toMatchObject({ modelId: 'deepgram/nova-3', rule: 'first-party-host:deepgram' });
    expect(resolve('deepgram/nova-3')).toMatchObject({ modelId: 'deepgram/nova-3', rule: 'creator-prefix:deepgram' });
    expect(resolve('step-3', undefined, 'stepfun')).toMatchObject({ modelId: 'stepfun/step-3' });
    // not on a host that serves others' models
    expect(resolve('mystery-model', undefined, 'groq')).toEqual({ unmatched: 'mystery-model', reason: 'unknown-family' });
  });

  it('two stated creators that disagree: ambiguous, left unmatched, with the candidates', () => {
    expect(resolve('mistralai/some-model', 'NVIDIA')).toEqual({
      unmatched: 'mistralai/some-model',
      reason: 'ambiguous',
      candidates: ['mistral/some-model', 'nvidia/some-model'],
    });
    // the same creator said twice is no disagreement
    expect(idOf('meta-llama/llama-3.1-8b-instruct', 'Meta')).toBe('meta/llama-3.1-8b-instruct');
  });

  it('records the rules that decided', () => {
    expect(resolve('azure/gpt-35-turbo')).toMatchObject({ rule: 'family:openai + provider-prefix:azure + version:gpt' });
    expect(resolve('claude-4-5-sonnet')).toMatchObject({ rule: 'family:anthropic + claude-tier-order' });
    expect(resolve('google/imagen-4.0-fast-generate-001')).toEqual({ modelId: 'google/imagen-4-fast', rule: 'alias' });
  });
});

describe('variants', () => {
  it('distinct variant products link to their base', () => {
    expect(variantOf('xai/grok-4-fast')).toBe('xai/grok-4');
    expect(variantOf('xai/grok-4.1-fast-reasoning')).toBe('xai/grok-4.1-fast');
    expect(variantOf('openai/gpt-4o')).toBeUndefined();
  });

  it('a $0 :free listing price becomes a free-tier claim, never the paid price; other facts stay the model’s', () => {
    const extraction: Extraction = {
      observations: [
        { model: 'openai/gpt-oss-120b:free', via: 'openrouter', attribute: 'price', value: { kind: 'money', usd: '0' }, qualifiers: { route: 'openrouter', unit: 'per_1m_tokens', direction: 'input' }, locator: '$a', excerpt: 'a' },
        { model: 'openai/gpt-oss-120b:free', via: 'openrouter', attribute: 'price', value: { kind: 'money', usd: '0' }, qualifiers: { route: 'openrouter', unit: 'per_1m_tokens', direction: 'output', tier: 'reasoning' }, locator: '$b', excerpt: 'b' },
        { model: 'openai/gpt-oss-120b:free', via: 'openrouter', attribute: 'context_window', value: { kind: 'count', count: 131072 }, qualifiers: {}, locator: '$c', excerpt: 'c' },
        { model: 'openai/gpt-oss-120b', via: 'openrouter', attribute: 'price', value: { kind: 'money', usd: '0.1' }, qualifiers: { route: 'openrouter', unit: 'per_1m_tokens', direction: 'input' }, locator: '$d', excerpt: 'd' },
      ],
    };
    const n = normalize(extraction, { sourceId: 'models-dev', url: 'https://models.dev/api.json', fetchedAt: '2026-04-20T06:00:00Z', extractorVersion: '1', pageHash: 'a'.repeat(64) }, DEFAULT_ALIAS_MAP);
    expect(n.claims.map((c) => [c.modelId, c.attribute, c.qualifiers.tier ?? null])).toEqual([
      ['openai/gpt-oss-120b', 'price', 'free'],
      ['openai/gpt-oss-120b', 'price', 'free_reasoning'],
      ['openai/gpt-oss-120b', 'context_window', null],
      ['openai/gpt-oss-120b', 'price', null],
    ]);
    expect([...n.names.values()].map((u) => [u.name, u.count])).toEqual([['openai/gpt-oss-120b:free', 3], ['openai/gpt-oss-120b', 1]]);
  });
});

describe('lookup by any name', () => {
  const ids = new Set(['openai/gpt-image-1-mini', 'openai/gpt-4o', 'anthropic/claude-sonnet-4-5', 'xai/grok-4', 'openai/gpt-5-image-mini', 'acme/widget-1']);
  const raw = new Map([['azure/gpt-4o', ['openai/gpt-4o']], ['twin-name', ['openai/gpt-4o', 'xai/grok-4']]]);
  const known = { ids, byRawName: (l: string) => raw.get(l) ?? [] };
  const match = (n: string) => matchModelName(n, known, DEFAULT_ALIAS_MAP);

  it('finds the model from an id, a bare name, an OpenRouter id, a raw name, any case', () => {
    expect(match('openai/gpt-image-1-mini')).toEqual({ modelId: 'openai/gpt-image-1-mini', via: 'id' });
    expect(match('gpt-image-1-mini')).toMatchObject({ modelId: 'openai/gpt-image-1-mini' });
    expect(match('GPT-4o')).toMatchObject({ modelId: 'openai/gpt-4o' });
    expect(match('anthropic/claude-sonnet-4.5')).toMatchObject({ modelId: 'anthropic/claude-sonnet-4-5' });
    expect(match('x-ai/grok-4')).toMatchObject({ modelId: 'xai/grok-4' });
    expect(match('Azure/GPT-4o')).toEqual({ modelId: 'openai/gpt-4o', via: 'raw-name' });
    expect(match('widget-1')).toEqual({ modelId: 'acme/widget-1', via: 'bare-name' });
  });

  it('says when a raw name stands for more than one model', () => {
    expect(match('twin-name')).toEqual({ ambiguous: ['openai/gpt-4o', 'xai/grok-4'] });
  });

  it('suggests the nearest known ids for a typo', () => {
    expect(match('gpt-imag-1-mini')).toEqual({ unknown: 'gpt-imag-1-mini', suggestions: ['openai/gpt-image-1-mini', 'openai/gpt-5-image-mini'] });
    expect(match('totally-different-thing')).toEqual({ unknown: 'totally-different-thing', suggestions: [] });
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearestIds('grok4', ids)).toEqual(['xai/grok-4']);
  });
});

describe('identity report', () => {
  it('groups ids that differ only in punctuation, case or word order, not number order', () => {
    expect(twinGroups(['google/gemini-2-5-pro', 'google/gemini-2.5-pro', 'anthropic/claude-4-5-sonnet', 'anthropic/claude-sonnet-4-5', 'google/x-05-06', 'google/x-06-05', 'a/b'])).toEqual([
      ['anthropic/claude-4-5-sonnet', 'anthropic/claude-sonnet-4-5'],
      ['google/gemini-2-5-pro', 'google/gemini-2.5-pro'],
    ]);
  });

  it('counts unmatched names per source and lists multi-source merges', () => {
    const r = identityReport(
      [
        { sourceId: 'a', name: 'gpt-4o' },
        { sourceId: 'b', name: 'openai/gpt-4o' },
        { sourceId: 'b', name: 'mystery' },
      ],
      (n) => resolveModel(n, DEFAULT_ALIAS_MAP),
    );
    expect(r.perSource).toEqual([
      { sourceId: 'a', names: 1, unmatched: 0, share: 0 },
      { sourceId: 'b', names: 2, unmatched: 1, share: 0.5 },
    ]);
    expect(r.merges).toEqual([{ modelId: 'openai/gpt-4o', names: { a: ['gpt-4o'], b: ['openai/gpt-4o'] } }]);
    expect(r.unmatchedByReason).toEqual({ 'unknown-family': 1 });
    expect(sample([1, 2, 3, 4, 5], 3, 17)).toEqual(sample([1, 2, 3, 4, 5], 3, 17));
  });
});
