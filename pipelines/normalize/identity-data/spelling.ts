/**
 * Identity data: how one model's name is spelled canonically. Sources write
 * the same version as `2.5`, `2-5`, `25` or `2p5`, put claude's tier before or
 * after the version, and glue vendor words and host suffixes to the slug.
 * Each row rewrites a canonical slug (lower case, hyphens); its examples are
 * real names from the 2026 weeks with the slug the row must produce
 * (test/identity-rules.test.ts checks every example).
 */

export interface SpellingRow {
  id: string;
  /** Only for this creator (anthropic spells versions with hyphens). */
  creator?: string;
  pattern: RegExp;
  replace: string | ((match: string, ...groups: string[]) => string);
  examples: readonly [string, string][];
}

/** Suffixes and separators that are never part of a model name. Applied first, in order. */
export const SUFFIX_RULES: readonly SpellingRow[] = [
  {
    // Bedrock's model version and revision (`-v1:0`, `-v2:0`): the vendor's packaging, not the model
    id: 'bedrock-version-suffix',
    pattern: /-v\d+:\d+$/,
    replace: '',
    examples: [['claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929']],
  },
  {
    // Vertex's dated version after `@`: a snapshot, written as the vendor's dated suffix
    id: 'vertex-at-version',
    pattern: /@(\d{3,8}|latest)(?=$|-)/,
    replace: '-$1',
    examples: [['claude-3-5-haiku@20241022', 'claude-3-5-haiku-20241022'], ['codestral@2405', 'codestral-2405'], ['mistral-large@latest', 'mistral-large-latest']],
  },
  {
    // Ollama's size tag (`gemma3:27b`, `gpt-oss:120b`): part of the model's name, written with a hyphen
    id: 'ollama-size-tag',
    pattern: /:(\d+(?:\.\d+)?[bmt](?:-[a-z0-9]+)?)$/,
    replace: '-$1',
    examples: [['gemma3:27b', 'gemma3-27b'], ['qwen3-vl:235b-instruct', 'qwen3-vl-235b-instruct']],
  },
  {
    // Fireworks writes the decimal point as `p`: `deepseek-v3p2`, `qwen2p5`, `llama-v3p1`
    id: 'p-decimal-point',
    pattern: /(\d)p(\d)/g,
    replace: '$1.$2',
    examples: [['deepseek-v3p2', 'deepseek-v3.2'], ['qwen2p5-vl-32b-instruct', 'qwen2.5-vl-32b-instruct'], ['kimi-k2p5', 'kimi-k2.5']],
  },
];

/** Vendor-specific names that are another vendor's model (GitLab Duo's `duo-chat-opus-4-5` is Claude Opus 4.5). */
export const PREFIX_REWRITES: readonly SpellingRow[] = [
  {
    id: 'gitlab-duo-claude',
    pattern: /^duo-chat-(opus|sonnet|haiku)-/,
    replace: 'claude-$1-',
    examples: [['duo-chat-opus-4-5', 'claude-opus-4-5']],
  },
  {
    // Meta writes Code Llama as one word: `codellama-34b-instruct`
    id: 'codellama-one-word',
    pattern: /^code-llama-/,
    replace: 'codellama-',
    examples: [['code-llama-34b-instruct', 'codellama-34b-instruct']],
  },
  {
    id: 'fireworks-k2p5',
    pattern: /^k2\.5$/,
    replace: 'kimi-k2.5',
    examples: [['k2.5', 'kimi-k2.5']],
  },
];

/**
 * Families whose version follows the family word: `qwen` joins it (`qwen2.5`,
 * as Qwen writes it), `llama` with a hyphen (`llama-3.1`, as Meta writes it).
 * `squash` reads a two-digit number as major.minor (`gpt-35` = 3.5, `qwen25` =
 * 2.5, `grok-41` = 4.1) for families whose majors are single digits.
 */
export interface VersionFamily {
  id: string;
  /** Spellings of the family word (regex source, no anchors). */
  family: string;
  /** How the canonical id writes it. */
  canonical: string;
  join: '' | '-';
  squash?: boolean;
  examples: readonly [string, string][];
}

export const VERSION_FAMILIES: readonly VersionFamily[] = [
  { id: 'qwen', family: 'qwen', canonical: 'qwen', join: '', squash: true, examples: [['qwen-2.5-72b-instruct', 'qwen2.5-72b-instruct'], ['qwen2-5-vl-7b-instruct', 'qwen2.5-vl-7b-instruct'], ['qwen25-coder-7b', 'qwen2.5-coder-7b'], ['qwen-3-6-plus', 'qwen3.6-plus'], ['qwen-3-14b', 'qwen3-14b']] },
  { id: 'llama', family: 'llama-?v?', canonical: 'llama', join: '-', examples: [['llama3-1-8b-instruct', 'llama-3.1-8b-instruct'], ['llama-v3.1-405b-instruct', 'llama-3.1-405b-instruct'], ['llama-3-70b', 'llama-3-70b'], ['llama-3-2-1b-instruct', 'llama-3.2-1b-instruct'], ['llama4-scout-17b-instruct', 'llama-4-scout-17b-instruct']] },
  { id: 'gemma', family: 'gemma', canonical: 'gemma', join: '-', examples: [['gemma2-9b-it', 'gemma-2-9b-it'], ['gemma3-27b', 'gemma-3-27b'], ['gemma-3-1b-it', 'gemma-3-1b-it']] },
  { id: 'gemini', family: 'gemini', canonical: 'gemini', join: '-', examples: [['gemini-2-5-pro', 'gemini-2.5-pro'], ['gemini-3-1-pro-preview', 'gemini-3.1-pro-preview']] },
  { id: 'gpt', family: 'gpt', canonical: 'gpt', join: '-', squash: true, examples: [['gpt-35-turbo', 'gpt-3.5-turbo'], ['gpt-5-1', 'gpt-5.1'], ['gpt-54-mini', 'gpt-5.4-mini'], ['gpt-4-0613', 'gpt-4-0613'], ['gpt-4o-mini', 'gpt-4o-mini']] },
  { id: 'grok', family: 'grok', canonical: 'grok', join: '-', squash: true, examples: [['grok-4-1-fast', 'grok-4.1-fast'], ['grok-41-fast', 'grok-4.1-fast'], ['grok-4-20-reasoning', 'grok-4.20-reasoning'], ['grok-4-0709', 'grok-4-0709']] },
  { id: 'glm', family: 'glm', canonical: 'glm', join: '-', examples: [['glm4.7', 'glm-4.7'], ['glm5', 'glm-5'], ['glm-5-1', 'glm-5.1']] },
  { id: 'deepseek-v', family: 'deepseek-v', canonical: 'deepseek-v', join: '', examples: [['deepseek-v3-2-exp', 'deepseek-v3.2-exp'], ['deepseek-v3-0324', 'deepseek-v3-0324']] },
  { id: 'kimi-k', family: 'kimi-k', canonical: 'kimi-k', join: '', examples: [['kimi-k2-5', 'kimi-k2.5'], ['kimi-k2-0905', 'kimi-k2-0905']] },
  { id: 'minimax-m', family: 'minimax-m', canonical: 'minimax-m', join: '', squash: true, examples: [['minimax-m2-5', 'minimax-m2.5'], ['minimax-m25', 'minimax-m2.5'], ['minimax-m27', 'minimax-m2.7']] },
  { id: 'mistral-size', family: 'mistral-(?:small|medium|large)', canonical: '', join: '-', squash: true, examples: [['mistral-small-3-2-24b-instruct', 'mistral-small-3.2-24b-instruct'], ['mistral-small-31-24b-instruct', 'mistral-small-3.1-24b-instruct'], ['mistral-large-2407', 'mistral-large-2407']] },
  { id: 'jamba', family: 'jamba', canonical: 'jamba', join: '-', examples: [['jamba-1-5-large', 'jamba-1.5-large']] },
  { id: 'granite', family: 'granite', canonical: 'granite', join: '-', examples: [['granite-3-3-8b-instruct', 'granite-3.3-8b-instruct']] },
  { id: 'phi', family: 'phi', canonical: 'phi', join: '-', examples: [['phi-3-5-mini-instruct', 'phi-3.5-mini-instruct']] },
  { id: 'flux', family: 'flux', canonical: 'flux', join: '-', examples: [['flux.1-dev', 'flux-1-dev'], ['flux-1-1-pro', 'flux-1.1-pro']] },
  { id: 'sd', family: 'sd', canonical: 'sd', join: '', examples: [['sd3-5-large', 'sd3.5-large']] },
  { id: 'rerank-v', family: 'rerank-v', canonical: 'rerank-v', join: '', examples: [['rerank-v3-5', 'rerank-v3.5']] },
  { id: 'recraft-v', family: 'recraft-?v', canonical: 'recraft-v', join: '', examples: [['recraftv3', 'recraft-v3']] },
  { id: 'solar', family: 'solar-(?:pro|mini)', canonical: '', join: '', examples: [['solar-pro-3', 'solar-pro3'], ['solar-mini', 'solar-mini']] },
  { id: 'ernie', family: 'ernie', canonical: 'ernie', join: '-', examples: [['ernie-4-5-turbo', 'ernie-4.5-turbo']] },
];

/** Claude's tiers: Anthropic writes `claude-3-5-sonnet` before Claude 4 and `claude-sonnet-4-5` from Claude 4 on. */
const CLAUDE_ORDER = /^claude-(?:(\d)(\d)?(?:[.-](\d))?-(opus|sonnet|haiku)|(opus|sonnet|haiku)-?(\d)(\d)?(?:[.-](\d))?)(?=$|[-:])/;

function claudeOrder(_m: string, ...g: string[]): string {
  const [vMajor, vSquash, vMinor, vTier, tTier, tMajor, tSquash, tMinor] = g;
  const tier = vTier ?? tTier!;
  const major = vMajor ?? tMajor!;
  const minor = (vMajor ? vSquash ?? vMinor : tSquash ?? tMinor) ?? '';
  // `claude-opus-4-0` is Anthropic's own alias of `claude-opus-4`
  const version = minor && minor !== '0' ? `${major}-${minor}` : major;
  return Number(major) >= 4 ? `claude-${tier}-${version}` : `claude-${version}-${tier}`;
}

/** Token order and other family-specific rewrites, applied after the version rules. */
export const ORDER_RULES: readonly SpellingRow[] = [
  {
    // Bedrock's bare version on a claude id (`claude-opus-4-6-v1`); `claude-v1` itself is Claude 1
    id: 'bedrock-claude-version',
    creator: 'anthropic',
    pattern: /(?<=\d)-v\d+$/,
    replace: '',
    examples: [['claude-opus-4-6-v1', 'claude-opus-4-6'], ['claude-v1', 'claude-v1']],
  },
  {
    id: 'claude-tier-order',
    creator: 'anthropic',
    pattern: CLAUDE_ORDER,
    replace: claudeOrder,
    examples: [
      ['claude-4-5-sonnet', 'claude-sonnet-4-5'],
      ['claude-sonnet-3-7', 'claude-3-7-sonnet'],
      ['claude-opus-41', 'claude-opus-4-1'],
      ['claude-opus4-6', 'claude-opus-4-6'],
      ['claude-4-0-opus', 'claude-opus-4'],
      ['claude-4-sonnet-20250514', 'claude-sonnet-4-20250514'],
      ['claude-3-haiku-20240307', 'claude-3-haiku-20240307'],
    ],
  },
  {
    // Bedrock's `-v1` on Amazon Nova 1 ids (`amazon.nova-pro-v1:0`): Nova Pro is `nova-pro` everywhere else
    id: 'bedrock-nova-version',
    creator: 'amazon',
    pattern: /^(nova-(?:pro|lite|micro|premier|canvas|reel|sonic))-v1$/,
    replace: '$1',
    examples: [['nova-pro-v1', 'nova-pro'], ['nova-2-lite', 'nova-2-lite']],
  },
  {
    id: 'gemini-version-first',
    pattern: /^gemini-(flash-lite|flash-8b|flash|pro|ultra)-(\d+(?:\.\d+)?)(?=$|-)/,
    replace: 'gemini-$2-$1',
    examples: [['gemini-flash-1.5', 'gemini-1.5-flash'], ['gemini-pro-1.5', 'gemini-1.5-pro']],
  },
  {
    id: 'flux-version-first',
    pattern: /^flux-(pro|dev|schnell)-(\d+(?:\.\d+)?)(?=$|-)/,
    replace: 'flux-$2-$1',
    examples: [['flux-pro-1.1', 'flux-1.1-pro']],
  },
  {
    id: 'nemotron-version-first',
    pattern: /^nemotron-(nano|super|ultra)-(\d)-(\d+b)/,
    replace: 'nemotron-$2-$1-$3',
    examples: [['nemotron-nano-3-30b', 'nemotron-3-nano-30b'], ['nemotron-super-3-120b', 'nemotron-3-super-120b']],
  },
  {
    id: 'nemotron-size-before-v',
    pattern: /^nemotron-(nano|super|ultra)-v(\d)-(\d+b)/,
    replace: 'nemotron-$1-$3-v$2',
    examples: [['nemotron-nano-v2-12b', 'nemotron-nano-12b-v2']],
  },
  {
    // a `-vX-Y` version at the end of a name is `vX.Y` (`…-49b-v1-5`, `mistral-7b-instruct-v0-1`)
    id: 'v-version-dot',
    pattern: /-v(\d+)-(\d)(?=$|-)/,
    replace: '-v$1.$2',
    examples: [['llama-3.3-nemotron-super-49b-v1-5', 'llama-3.3-nemotron-super-49b-v1.5'], ['mistral-7b-instruct-v0-1', 'mistral-7b-instruct-v0.1']],
  },
  {
    id: 'dolphin-version-dots',
    pattern: /^dolphin-(\d)-(\d)(?:-(\d))?(?=-)/,
    replace: (_m: string, a: string, b: string, c?: string) => `dolphin-${a}.${b}${c ? `.${c}` : ''}`,
    examples: [['dolphin-2-9-2-qwen2-72b', 'dolphin-2.9.2-qwen2-72b']],
  },
  {
    id: 'distill-qwen-size',
    pattern: /-qwen-(\d)-(\d)b(?=$|-)/,
    replace: '-qwen-$1.$2b',
    examples: [['deepseek-r1-distill-qwen-1-5b', 'deepseek-r1-distill-qwen-1.5b']],
  },
];

/** Anthropic writes versions with hyphens (`claude-3-5-sonnet`, `claude-sonnet-4-5`) where gateways use dots. */
export const CREATOR_SPELLING: Readonly<Record<string, SpellingRow>> = {
  anthropic: {
    id: 'anthropic-hyphen-versions',
    pattern: /(\d)\.(\d)/g,
    replace: '$1-$2',
    examples: [['claude-sonnet-4.5', 'claude-sonnet-4-5']],
  },
};
