import { factJson } from '../cli/format.js';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ALIASES,
  DEFAULT_ALIAS_MAP,
  canonicalSlug,
  resolveModel,
  resolveRoute,
  snapshotOf,
} from '../pipelines/normalize/identity.js';
import { ModelId } from '../schema/ids.js';

/** The resolution without the rule trail and reason (asserted in test/identity-rules.test.ts). */
const resolve = (name: string, creator?: string, aliases: ReadonlyMap<string, string> = DEFAULT_ALIAS_MAP) => {
  const r = resolveModel({ name, creator }, aliases);
  if ('unmatched' in r) return { unmatched: r.unmatched };
  const { rule: _rule, ...rest } = r;
  return rest;
};

describe('canonicalSlug', () => {
  it('lower-cases and joins words with hyphens', () => {
    expect(canonicalSlug('GPT-Image-1-Mini')).toBe('gpt-image-1-mini');
    expect(canonicalSlug('GPT Image 1 Mini')).toBe('gpt-image-1-mini');
    expect(canonicalSlug('  gpt_image_1_mini ')).toBe('gpt-image-1-mini');
    expect(canonicalSlug('GPT-4.1')).toBe('gpt-4.1');
  });
});

describe('resolveModel', () => {
  it('maps every spelling of gpt-image-1-mini to one id', () => {
    for (const name of ['gpt-image-1-mini', 'openai/gpt-image-1-mini', 'azure/gpt-image-1-mini', 'GPT-Image-1-Mini', 'GPT Image 1 Mini']) {
      const r = resolve(name);
      expect(r, name).toMatchObject({ modelId: 'openai/gpt-image-1-mini' });
    }
  });

  it('turns a provider prefix into the route, not part of the model', () => {
    expect(resolve('azure/gpt-image-1-mini')).toEqual({ modelId: 'openai/gpt-image-1-mini', route: 'azure' });
    expect(resolve('bedrock/anthropic.claude-3-5-haiku-20241022-v1:0')).toEqual({
      modelId: 'anthropic/claude-3-5-haiku-20241022',
      route: 'bedrock',
    });
    expect(resolve('vertex_ai/claude-3-5-sonnet@20240620')).toEqual({ modelId: 'anthropic/claude-3-5-sonnet-20240620', route: 'vertex' });
    expect(resolve('openrouter/anthropic/claude-3.5-sonnet')).toEqual({ modelId: 'anthropic/claude-3-5-sonnet', route: 'openrouter' });
    expect(resolve('together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo')).toEqual({
      modelId: 'meta/llama-3.3-70b-instruct-turbo',
      route: 'together',
    });
    expect(resolve('groq/llama-3.1-8b-instant')).toEqual({ modelId: 'meta/llama-3.1-8b-instant', route: 'groq' });
    // regions and commitments after a provider prefix are not the model either
    expect(resolve('azure/eu/gpt-4o-2024-08-06')).toEqual({ modelId: 'openai/gpt-4o-2024-08-06', route: 'azure' });
    expect(resolve('bedrock/us-east-1/1-month-commitment/meta.llama3-70b-instruct-v1:0')).toEqual({
      modelId: 'meta/llama-3-70b-instruct',
      route: 'bedrock',
    });
  });

  it('reads a creator prefix as the creator (no route)', () => {
    expect(resolve('openai/gpt-image-1-mini')).toEqual({ modelId: 'openai/gpt-image-1-mini' });
    expect(resolve('google/gemini-2.5-flash-image')).toEqual({ modelId: 'google/gemini-2.5-flash-image' });
    expect(resolve('meta-llama/llama-3.1-8b-instruct')).toEqual({ modelId: 'meta/llama-3.1-8b-instruct' });
    expect(resolve('mistralai/mistral-small-3.2-24b-instruct')).toEqual({ modelId: 'mistral/mistral-small-3.2-24b-instruct' });
    expect(resolve('x-ai/grok-4')).toEqual({ modelId: 'xai/grok-4' });
    expect(resolve('qwen/qwen3-coder')).toEqual({ modelId: 'alibaba/qwen3-coder' });
  });

  it('a creator that also serves models is a route only when more path follows', () => {
    expect(resolve('perplexity/openai/gpt-5.2')).toEqual({ modelId: 'openai/gpt-5.2', route: 'perplexity' });
    expect(resolve('perplexity/sonar-pro')).toEqual({ modelId: 'perplexity/sonar-pro' });
  });

  it('infers creators from the documented family table', () => {
    const cases: [string, string][] = [
      ['dall-e-3', 'openai/dall-e-3'],
      ['o3-mini', 'openai/o3-mini'],
      ['o4-mini', 'openai/o4-mini'],
      ['chatgpt-4o-latest', 'openai/chatgpt-4o-latest'],
      ['whisper-1', 'openai/whisper-1'],
      ['tts-1-hd', 'openai/tts-1-hd'],
      ['imagen-3.0-generate-002', 'google/imagen-3.0-generate-002'],
      ['gemma-3-27b-it', 'google/gemma-3-27b-it'],
      ['claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
      ['llama-3.3-70b-versatile', 'meta/llama-3.3-70b-versatile'],
      ['mixtral-8x7b-32768', 'mistral/mixtral-8x7b-32768'],
      ['codestral-latest', 'mistral/codestral-latest'],
      ['deepseek-chat', 'deepseek/deepseek-chat'],
      ['grok-3-mini', 'xai/grok-3-mini'],
      ['qwen-max', 'alibaba/qwen-max'],
    ];
    for (const [name, id] of cases) expect(resolve(name), name).toEqual({ modelId: id });
  });

  it('maps creator display names', () => {
    expect(resolve('gpt-image-1-mini', 'OpenAI')).toEqual({ modelId: 'openai/gpt-image-1-mini' });
    expect(resolve('Gemma 3 27B', 'Google')).toEqual({ modelId: 'google/gemma-3-27b' });
    expect(resolve('some-new-model', 'Arcee AI')).toEqual({ modelId: 'arcee-ai/some-new-model' });
  });

  it('spells Anthropic versions with hyphens whatever the source writes', () => {
    expect(resolve('anthropic/claude-sonnet-4.5')).toEqual({ modelId: 'anthropic/claude-sonnet-4-5' });
    expect(resolve('Claude 3.5 Sonnet')).toEqual({ modelId: 'anthropic/claude-3-5-sonnet' });
  });

  it('keeps dated snapshots distinct and knows their alias', () => {
    expect(resolve('gpt-4o-2024-08-06')).toEqual({ modelId: 'openai/gpt-4o-2024-08-06' });
    expect(snapshotOf('openai/gpt-4o-2024-08-06')).toBe('openai/gpt-4o');
    expect(snapshotOf('anthropic/claude-3-5-sonnet-20241022')).toBe('anthropic/claude-3-5-sonnet');
    expect(snapshotOf('openai/gpt-4-0613')).toBe('openai/gpt-4');
    expect(snapshotOf('openai/gpt-4o')).toBeUndefined();
    expect(snapshotOf('google/gemini-2.0-flash-001')).toBeUndefined();
  });

  it('facts --json links a dated snapshot to its alias, and only a snapshot', () => {
    const fact = { attribute: 'context_window' as const, qualifiers: {}, status: 'single-source' as const, rule: 'r', confidence: 0.5, candidates: [], validFrom: '2026-W17' };
    expect(factJson({ ...fact, modelId: 'openai/gpt-4o-2024-08-06' }).snapshotOf).toBe('openai/gpt-4o');
    expect(factJson({ ...fact, modelId: 'openai/gpt-4o' })).not.toHaveProperty('snapshotOf');
  });

  it('strips offering variants and Bedrock version suffixes', () => {
    expect(resolve('google/gemma-3-27b-it:free')).toEqual({ modelId: 'google/gemma-3-27b-it', tier: 'free' });
    expect(resolve('us.anthropic.claude-sonnet-4-5-20250929-v1:0')).toEqual({ modelId: 'anthropic/claude-sonnet-4-5-20250929' });
    expect(resolve('deepseek.v3.2')).toEqual({ modelId: 'deepseek/deepseek-v3.2' });
    expect(resolve('anthropic.claude-v2:1')).toEqual({ modelId: 'anthropic/claude-v2' });
  });

  it('uses the alias table before the rules', () => {
    expect(resolve('google/imagen-4.0-fast-generate-001')).toEqual({ modelId: 'google/imagen-4-fast' });
    expect(resolve('vertex_ai/imagen-4.0-fast-generate-001')).toEqual({ modelId: 'google/imagen-4-fast', route: 'vertex' });
    const custom = new Map([...DEFAULT_ALIAS_MAP, ['gpt image mini', 'openai/gpt-image-1-mini']]);
    expect(resolve('GPT Image Mini', undefined, custom)).toEqual({ modelId: 'openai/gpt-image-1-mini' });
  });

  it('never guesses: unknown names are unmatched', () => {
    for (const name of ['totally-unknown-model', 'aiml/flux-pro/v1.1', 'unsloth/mystery-7b', '', 'fal_ai/fal-ai/flux/schnell', 'aiml/flux/dev']) {
      expect(resolve(name), name).toEqual({ unmatched: name });
    }
  });

  it('resolves to valid model ids only', () => {
    for (const name of ['GPT-4.1', 'claude-opus-4-1', 'qwen3:8b', 'meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8']) {
      const r = resolve(name);
      if ('modelId' in r) expect(ModelId.safeParse(r.modelId).success, r.modelId).toBe(true);
    }
  });

  it('the seed alias table points at valid model ids, with lower-case keys', () => {
    for (const [alias, id] of Object.entries(DEFAULT_ALIASES)) {
      expect(alias).toBe(alias.toLowerCase());
      expect(ModelId.safeParse(id).success, id).toBe(true);
    }
    expect(DEFAULT_ALIAS_MAP.size).toBe(Object.keys(DEFAULT_ALIASES).length);
  });

  it('resolves a week of ~10k names, each by its own pattern', () => {
    // speed is printed by `npm run bench`, not asserted here
    for (let i = 0; i < 10_000; i++) {
      expect(resolve('azure/gpt-4o')).toEqual({ modelId: 'openai/gpt-4o', route: 'azure' });
      expect(resolve(`openrouter/qwen/qwen3-${i}b`)).toEqual({ modelId: `alibaba/qwen3-${i}b`, route: 'openrouter' });
      expect(resolve(`claude-3-${i}`)).toEqual({ modelId: `anthropic/claude-3-${i}` });
      expect(resolve(`x/y/${i}`)).toEqual({ unmatched: `x/y/${i}` });
    }
  });
});

describe('resolveRoute', () => {
  it('maps provider display names and slugs to route ids', () => {
    const cases: [string, string][] = [
      ['Vercel AI Gateway', 'vercel'],
      ['vercel', 'vercel'],
      ['vercel_ai_gateway', 'vercel'],
      ['OpenAI API', 'openai'],
      ['OpenAI', 'openai'],
      ['openai', 'openai'],
      ['azure', 'azure'],
      ['Azure OpenAI', 'azure'],
      ['bedrock', 'bedrock'],
      ['bedrock_converse', 'bedrock'],
      ['amazon-bedrock', 'bedrock'],
      ['vertex_ai', 'vertex'],
      ['Vertex AI', 'vertex'],
      ['vertex_ai-language-models', 'vertex'],
      ['vertexAnthropic', 'vertex'],
      ['openrouter', 'openrouter'],
      ['poe', 'poe'],
      ['together_ai', 'together'],
      ['fireworks_ai-embedding-models', 'fireworks'],
      ['gemini', 'google'],
      ['deepinfra', 'deepinfra'],
      ['some-new-host', 'some-new-host'],
    ];
    for (const [name, route] of cases) expect(resolveRoute(name), name).toBe(route);
  });

  it('unifies one service spelled differently by different catalogs', () => {
    const pairs: [string, string][] = [
      ['github_copilot', 'github-copilot'],
      ['friendliai', 'friendli'],
      ['amazon_nova', 'amazon-nova'],
      ['cloudflare-workers-ai', 'cloudflare'],
      ['togetherai', 'together_ai'],
    ];
    for (const [a, b] of pairs) {
      expect(resolveRoute(a), a).toBe(resolveRoute(b));
    }
  });

  it('does not guess a route from an unknown display name', () => {
    expect(resolveRoute('Some New Host Inc.')).toBeUndefined();
    expect(resolveRoute('')).toBeUndefined();
  });
});
