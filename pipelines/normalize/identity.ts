/**
 * Model identity: the names pages use ("GPT-Image-1-Mini", "azure/gpt-image-1-mini",
 * "us.anthropic.claude-3-5-haiku-20241022-v1:0") → a canonical model id
 * (`creator/slug`) and, when the name carries one, the route it was listed on.
 *
 * Pure and table-driven: every rule below is a row in a table, so a new
 * provider prefix or model family is one line. It runs on ~10k names a week,
 * so it does Map lookups and a handful of anchored regexes per name.
 *
 * Never guesses: a name whose creator is neither stated (a `creator` hint or a
 * known creator prefix) nor implied by a well-known family returns `{unmatched}`.
 */
import { ModelId, RouteId } from '../../schema/ids.js';

export type ModelRef = { name: string; creator?: string };
export type Resolved = { modelId: string; route?: string } | { unmatched: string };

/* ------------------------------------------------------------------ routes */

/**
 * Provider display names and catalog slugs → route id. Keys are compared in
 * lower case. Slugs not listed here map to themselves when they are valid
 * route ids (lower-case provider slugs are already route ids).
 */
const ROUTE_NAMES: Record<string, string> = {
  // gateways
  'vercel ai gateway': 'vercel',
  'vercel ai-gateway': 'vercel',
  'ai gateway': 'vercel',
  vercel: 'vercel',
  vercel_ai_gateway: 'vercel',
  'vercel-ai-gateway': 'vercel',
  openrouter: 'openrouter',
  poe: 'poe',
  // OpenAI
  'openai api': 'openai',
  openai: 'openai',
  'text-completion-openai': 'openai',
  chatgpt: 'chatgpt',
  // Azure OpenAI (Azure AI Foundry's serverless catalog `azure_ai` is a different route)
  azure: 'azure',
  'azure openai': 'azure',
  'azure openai service': 'azure',
  azure_text: 'azure',
  'azure-openai': 'azure',
  // AWS
  bedrock: 'bedrock',
  bedrock_converse: 'bedrock',
  bedrock_mantle: 'bedrock',
  'amazon bedrock': 'bedrock',
  'amazon-bedrock': 'bedrock',
  'aws bedrock': 'bedrock',
  claudeaws: 'bedrock',
  // Google
  vertex: 'vertex',
  vertex_ai: 'vertex',
  'vertex ai': 'vertex',
  'google vertex ai': 'vertex',
  'google-vertex': 'vertex',
  'google-vertex-anthropic': 'vertex',
  vertexanthropic: 'vertex',
  gemini: 'google',
  'google ai studio': 'google',
  'gemini api': 'google',
  google: 'google',
  // others whose catalog slugs differ between sources
  together_ai: 'together',
  togetherai: 'together',
  'together ai': 'together',
  together: 'together',
  fireworks_ai: 'fireworks',
  'fireworks-ai': 'fireworks',
  'fireworks ai': 'fireworks',
  fireworks: 'fireworks',
  cohere_chat: 'cohere',
  codestral: 'mistral',
  'text-completion-codestral': 'mistral',
  mistral: 'mistral',
  'mistral ai': 'mistral',
  anthropic: 'anthropic',
  deepseek: 'deepseek',
  xai: 'xai',
  'x.ai': 'xai',
  groq: 'groq',
  deepinfra: 'deepinfra',
  'novita-ai': 'novita',
  novita: 'novita',
  moonshotai: 'moonshot',
  moonshot: 'moonshot',
  // the same service under LiteLLM's and models.dev's spellings
  amazon_nova: 'amazon-nova',
  github_copilot: 'github-copilot',
  friendliai: 'friendli',
  'cloudflare-workers-ai': 'cloudflare',
  'workers-ai': 'cloudflare',
  lambda_ai: 'lambda',
  nvidia_nim: 'nvidia',
  featherless_ai: 'featherless',
  'featherless-ai': 'featherless',
};

/** LiteLLM's `vertex_ai-language-models`, `fireworks_ai-embedding-models`: one route, many model kinds. */
const ROUTE_KIND_SUFFIX = /^([a-z0-9_]+)-[a-z0-9_-]*models?$/;

/** Provider display names and slugs → route id; undefined when the name is not a provider we can name. */
export function resolveRoute(name: string): string | undefined {
  const key = name.trim().toLowerCase();
  if (key === '') return undefined;
  const known = ROUTE_NAMES[key];
  if (known) return known;
  const kind = ROUTE_KIND_SUFFIX.exec(key);
  if (kind) return resolveRoute(kind[1]!);
  // A lower-case slug is already a route id; a display name we do not know is not guessed.
  if (name.trim() === key && RouteId.safeParse(key).success) return key;
  return undefined;
}

/**
 * First path segments that name where a model is served, not who made it
 * (`azure/gpt-4o`, `together_ai/Qwen/...`). Creators that also serve their own
 * models (openai/, mistral/ ...) are in CREATORS instead and only count as a
 * route prefix when more path follows (`perplexity/openai/gpt-5`).
 */
const PROVIDER_PREFIXES = new Set([
  'azure', 'azure_ai', 'azure_text', 'bedrock', 'bedrock_converse', 'bedrock_mantle', 'vertex_ai', 'vertex',
  'openrouter', 'together_ai', 'togetherai', 'groq', 'fireworks_ai', 'fireworks', 'deepinfra', 'anyscale',
  'replicate', 'novita', 'nebius', 'nscale', 'hyperbolic', 'lambda_ai', 'sambanova', 'cerebras', 'cloudflare',
  'databricks', 'watsonx', 'snowflake', 'ollama', 'ollama_chat', 'sagemaker', 'oci', 'ovhcloud', 'gmi',
  'baseten', 'llamagate', 'github_copilot', 'github', 'gradient_ai', 'lemonade', 'heroku', 'friendliai',
  'featherless_ai', 'nvidia_nim', 'publicai', 'wandb', 'aiml', 'fal_ai', 'vercel_ai_gateway', 'vercel',
  'poe', 'v0', 'morph', 'dashscope', 'volcengine', 'gemini', 'text-completion-openai',
  'text-completion-codestral', 'codestral', 'cohere_chat', 'aleph_alpha', 'nlp_cloud', 'palm', 'chatgpt',
  'deepgram', 'assemblyai', 'elevenlabs', 'aws_polly', 'runwayml', 'recraft', 'black_forest_labs',
  'stability', 'jina_ai', 'voyage', 'cloudflare-workers-ai', 'amazon-bedrock', 'google-vertex',
  'google-vertex-anthropic', 'github-copilot', 'fireworks-ai', 'openai-compatible', 'helicone', 'requesty',
  'chutes', 'siliconflow', 'siliconflow-cn', 'zenmux', 'aihubmix', '302ai', 'abacus', 'kilo', 'venice',
  'synthetic', 'inference', 'submodel', 'scaleway', 'upstage', 'vultr', 'llama', 'lmstudio', 'iflowcn',
  'modelscope', 'nano-gpt', 'opencode', 'zhipuai', 'zhipuai-coding-plan', 'zai-coding-plan',
  'alibaba-cn', 'alibaba-coding-plan', 'alibaba-coding-plan-cn', 'cortecs', 'berget', 'bailing',
  'clarifai', 'cloudferro-sherlock', 'cloudflare-ai-gateway', 'azure-cognitive-services', 'inception',
  'sarvam', 'perplexity-agent', 'workers-ai', 'amazon-nova',
  // creators that also serve models: a route prefix only when more path follows
  'openai', 'anthropic', 'mistral', 'deepseek', 'xai', 'cohere', 'perplexity', 'minimax', 'moonshot', 'zai',
  'google', 'ai21', 'amazon_nova',
]);

/** Path segments after a provider prefix that name a region or a commitment, not the model. */
const ROUTE_DETAIL_SEGMENT =
  /^(?:eu|us|global|global-standard|apac|\*|[a-z]{2}(?:-gov)?-[a-z]+-\d|\d+-month-commitment|invoke|converse|@cf|@hf)$/;

/** Bedrock model ids: `us.anthropic.claude-3-5-haiku-20241022-v1:0` = geo profile, vendor, model, version:revision. */
const BEDROCK_ID = /^(?:(?:us|eu|apac|global|au|jp|ca|us-gov)\.)?([a-z0-9-]+)\.([a-z0-9][a-z0-9._-]*?)(-v\d+)?(:\d+)?$/;

/** Image-variant path segments (LiteLLM `low/1024-x-1024/...`): qualifiers, never part of the model. */
const VARIANT_SEGMENT = /^(?:low|medium|high|hd|standard|auto|\d+-x-\d+|(?:\d+|max)-steps)$/;

/** Fireworks' account path: `accounts/fireworks/models/<slug>`. */
const FIREWORKS_PATH = /^accounts\/[^/]+\/models\/(.+)$/;

/* ---------------------------------------------------------------- creators */

/**
 * Creator display names, catalog org slugs and Hugging Face orgs → creator id.
 * Keys in lower case. Only these count as a creator prefix in a model name.
 */
const CREATORS: Record<string, string> = {
  openai: 'openai',
  google: 'google',
  'google deepmind': 'google',
  deepmind: 'google',
  anthropic: 'anthropic',
  meta: 'meta',
  'meta-llama': 'meta',
  'meta llama': 'meta',
  facebook: 'meta',
  mistral: 'mistral',
  mistralai: 'mistral',
  'mistral ai': 'mistral',
  deepseek: 'deepseek',
  'deepseek-ai': 'deepseek',
  xai: 'xai',
  'x-ai': 'xai',
  'x.ai': 'xai',
  alibaba: 'alibaba',
  'alibaba cloud': 'alibaba',
  qwen: 'alibaba',
  amazon: 'amazon',
  'amazon nova': 'amazon',
  cohere: 'cohere',
  coherelabs: 'cohere',
  microsoft: 'microsoft',
  'microsoft azure': 'microsoft',
  nvidia: 'nvidia',
  moonshotai: 'moonshot',
  moonshot: 'moonshot',
  'moonshot ai': 'moonshot',
  'z-ai': 'zai',
  zai: 'zai',
  'z.ai': 'zai',
  'zai-org': 'zai',
  zhipuai: 'zai',
  thudm: 'zai',
  minimax: 'minimax',
  minimaxai: 'minimax',
  ai21: 'ai21',
  'ai21 labs': 'ai21',
  ai21labs: 'ai21',
  perplexity: 'perplexity',
  'black-forest-labs': 'black-forest-labs',
  'black forest labs': 'black-forest-labs',
  bfl: 'black-forest-labs',
  stability: 'stability',
  stabilityai: 'stability',
  'stability ai': 'stability',
  baidu: 'baidu',
  bytedance: 'bytedance',
  'bytedance-seed': 'bytedance',
  'bytedance seed': 'bytedance',
  tencent: 'tencent',
  ibm: 'ibm',
  'ibm-granite': 'ibm',
  liquid: 'liquid',
  liquidai: 'liquid',
  reka: 'reka',
  rekaai: 'reka',
  xiaomi: 'xiaomi',
  xiaomimimo: 'xiaomi',
  inception: 'inception',
  'arcee-ai': 'arcee-ai',
  'arcee ai': 'arcee-ai',
  allenai: 'allenai',
  ai2: 'allenai',
  nousresearch: 'nousresearch',
  'nous research': 'nousresearch',
  'inclusionai': 'inclusionai',
  'recraft': 'recraft',
  'recraft-ai': 'recraft',
  'ideogram': 'ideogram',
  'runway': 'runway',
  'runwayml': 'runway',
  'upstage': 'upstage',
  'writer': 'writer',
  'sao10k': 'sao10k',
  'gryphe': 'gryphe',
  'thedrummer': 'thedrummer',
  'cognitivecomputations': 'cognitivecomputations',
  'morph': 'morph',
  'relace': 'relace',
  'kwaipilot': 'kwaipilot',
  'stepfun-ai': 'stepfun',
  'stepfun': 'stepfun',
  'meituan': 'meituan',
  'meituan-longcat': 'meituan',
  'prime-intellect': 'prime-intellect',
  'tngtech': 'tngtech',
  'aion-labs': 'aion-labs',
  'alpindale': 'alpindale',
  'anthracite-org': 'anthracite-org',
  'mancer': 'mancer',
  'undi95': 'undi95',
  'switchpoint': 'switchpoint',
  'opengvlab': 'opengvlab',
  'essentialai': 'essentialai',
  'baai': 'baai',
  'intfloat': 'intfloat',
  'sentence-transformers': 'sentence-transformers',
  'jinaai': 'jina',
  'jina_ai': 'jina',
  'voyage': 'voyage',
  'voyageai': 'voyage',
  'openrouter': 'openrouter',
  'twelvelabs': 'twelvelabs',
  '01-ai': '01-ai',
  'kimi': 'moonshot',
};

/**
 * Host or vendor words some catalogs glue to the front of a slug
 * (`anthropic-claude-4.5-sonnet`, `databricks-claude-3-7-sonnet`): dropped when
 * what follows is a known family.
 */
const SLUG_PREFIX_WORDS = new Set([...Object.keys(CREATORS).filter((k) => /^[a-z0-9]+$/.test(k)), 'databricks', 'cerebras', 'groq', 'snowflake']);

/**
 * Well-known model families → creator, for names that carry no creator
 * (`gpt-image-1-mini`, `claude-3-5-sonnet`). Anchored at the start of the slug;
 * first match wins. Ambiguous words (e.g. "seed", "nova" alone) are left out.
 */
const FAMILIES: [RegExp, string][] = [
  [/^(?:gpt-|gpt\d|chatgpt|dall-e|o1(?:-|$)|o3(?:-|$)|o4(?:-|$)|whisper|tts-|text-embedding-(?:3|ada)|davinci|babbage|codex-mini|sora|omni-moderation|text-moderation|computer-use-preview)/, 'openai'],
  [/^(?:gemini|imagen|gemma|veo-|palm|text-bison|chat-bison|codechat-bison|code-bison|learnlm|nano-banana|medgemma)/, 'google'],
  [/^claude/, 'anthropic'],
  [/^(?:llama|meta-llama|codellama)/, 'meta'],
  [/^(?:mistral|mixtral|codestral|pixtral|ministral|magistral|devstral|voxtral|open-mistral|open-mixtral|open-codestral)/, 'mistral'],
  [/^deepseek/, 'deepseek'],
  [/^grok/, 'xai'],
  [/^(?:qwen|qwq|qvq)/, 'alibaba'],
  [/^(?:amazon\.|nova-(?:pro|lite|micro|premier|canvas|reel|sonic|2)|titan-)/, 'amazon'],
  [/^(?:command(?:-|$)|c4ai|embed-(?:english|multilingual|v4)|rerank-(?:english|multilingual|v3))/, 'cohere'],
  [/^phi-/, 'microsoft'],
  [/^(?:kimi|moonshot-v)/, 'moonshot'],
  [/^(?:glm-|chatglm|cogview)/, 'zai'],
  [/^(?:minimax|abab)/, 'minimax'],
  [/^(?:nemotron|llama-3\.1-nemotron)/, 'nvidia'],
  [/^(?:jamba|jurassic|j2-)/, 'ai21'],
  [/^(?:sonar|pplx-|r1-1776)/, 'perplexity'],
  [/^(?:stable-diffusion|sd3|sdxl|stable-image|stable-audio)/, 'stability'],
  [/^flux/, 'black-forest-labs'],
  [/^ernie/, 'baidu'],
  [/^(?:doubao|seedream|seedance|seededit)/, 'bytedance'],
  [/^hunyuan/, 'tencent'],
  [/^granite/, 'ibm'],
  [/^lfm-/, 'liquid'],
  [/^reka-/, 'reka'],
  [/^mimo-/, 'xiaomi'],
  [/^mercury/, 'inception'],
  [/^yi-/, '01-ai'],
];

/**
 * Creator-specific spelling: Anthropic writes versions with hyphens
 * (`claude-3-5-sonnet`, `claude-sonnet-4-5`) where gateways use dots.
 */
const CREATOR_SPELLING: Record<string, (slug: string) => string> = {
  anthropic: (s) => s.replace(/(\d)\.(\d)/g, '$1-$2'),
};

/** OpenRouter-style offering variants (`:free`, `:thinking`) name an offering, not a model. */
const OFFERING_SUFFIX = /:(?:free|beta|extended|thinking|nitro|online|floor|exacto)$/;

/**
 * Seed alias table: names whose canonical id is not what the rules above
 * produce (vendor ids that differ from the model's common name). Keys are
 * lower case and compared with the name as stated (lower-cased), its
 * canonicalSlug, the resolved `creator/slug` and the bare slug; values are
 * canonical model ids.
 */
export const DEFAULT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'imagen-4.0-fast-generate-001': 'google/imagen-4-fast',
  'google/imagen-4.0-fast-generate-001': 'google/imagen-4-fast',
  'imagen-4-fast-generate-001': 'google/imagen-4-fast',
  'imagen-4.0-fast': 'google/imagen-4-fast',
  'imagen4/preview/fast': 'google/imagen-4-fast',
  'imagen-4.0-generate-001': 'google/imagen-4',
  'imagen-4.0-ultra-generate-001': 'google/imagen-4-ultra',
  'nano-banana': 'google/gemini-2.5-flash-image',
  'gemini-2.5-flash-image-preview': 'google/gemini-2.5-flash-image',
});

/** DEFAULT_ALIASES as the map resolveModel takes (callers overlay their stored aliases on a copy). */
export const DEFAULT_ALIAS_MAP: ReadonlyMap<string, string> = new Map(Object.entries(DEFAULT_ALIASES));

/* ------------------------------------------------------------------- slugs */

/** "GPT-Image-1-Mini" / "GPT Image 1 Mini" / "gpt_image_1_mini" → "gpt-image-1-mini". */
export function canonicalSlug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9.:@+/-]/g, '')
    .replace(/-{2,}/g, '-')
    .replace(/^-|-$/g, '');
}

/** Dated snapshot suffixes: -2024-08-06, -20241022, -0613 / -2411 (MMDD, YYMM). */
const SNAPSHOT_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/**
 * The alias a dated snapshot belongs to: `openai/gpt-4o-2024-08-06` → `openai/gpt-4o`.
 * Undefined when the id is not a dated snapshot.
 */
export function snapshotOf(modelId: string): string | undefined {
  const slash = modelId.indexOf('/');
  const slug = modelId.slice(slash + 1);
  const m = SNAPSHOT_SUFFIX.exec(slug);
  if (!m || m.index === 0) return undefined;
  return `${modelId.slice(0, slash + 1)}${slug.slice(0, m.index)}`;
}

/**
 * `anthropic.claude-3-5-haiku-20241022-v1:0` → `claude-3-5-haiku-20241022`. The `-vN:R`
 * version is Bedrock's, except on names without a number of their own
 * (`claude-v2:1` is Claude 2.1, kept as `claude-v2`). `deepseek.v3.2` → `deepseek-v3.2`.
 */
function bedrockModelSlug(slug: string): string {
  const m = BEDROCK_ID.exec(slug)!;
  const [, vendor, model, version = '', revision] = m;
  let out = revision && /\d/.test(model!) ? model! : `${model}${version}`;
  if (!familyCreator(out) && /^[a-z]?\d/.test(out)) out = `${vendor}-${out}`;
  return out;
}

/** `anthropic-claude-4.5-sonnet` → `claude-4.5-sonnet` when the rest is a known family. */
function dropPrefixWord(slug: string): string {
  const m = /^([a-z0-9]+)-{1,2}(.+)$/.exec(slug);
  if (m && SLUG_PREFIX_WORDS.has(m[1]!) && familyCreator(m[2]!)) return m[2]!;
  return slug;
}

function creatorOf(hint: string | undefined): string | undefined {
  if (!hint) return undefined;
  const key = hint.trim().toLowerCase();
  return CREATORS[key] ?? CREATORS[canonicalSlug(key)];
}

function familyCreator(slug: string): string | undefined {
  for (const [re, creator] of FAMILIES) if (re.test(slug)) return creator;
  return undefined;
}

function lookupAlias(aliases: ReadonlyMap<string, string>, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const hit = aliases.get(k);
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Resolves a model name as a page states it to a canonical model id, and the
 * route when the name carries a provider prefix. Order: alias table on the
 * whole name → strip provider prefixes (they become the route) → creator from
 * the hint, a creator prefix, or the family table → creator-specific spelling.
 */
export function resolveModel(ref: ModelRef, aliases: ReadonlyMap<string, string>): Resolved {
  const raw = ref.name.trim();
  if (raw === '') return { unmatched: ref.name };
  const whole = canonicalSlug(raw);
  const direct = lookupAlias(aliases, raw.toLowerCase(), whole);
  if (direct) return { modelId: direct };

  const parts = raw.split('/').filter((s) => s !== '');
  let segs = parts.filter((s, i) => i === parts.length - 1 || !VARIANT_SEGMENT.test(s.toLowerCase()));
  let route: string | undefined;
  // Provider prefixes become the route; region/commitment segments after them are dropped.
  while (segs.length > 1) {
    const head = segs[0]!.toLowerCase();
    const isCreator = CREATORS[head] !== undefined;
    if (PROVIDER_PREFIXES.has(head) && (!isCreator || segs.length > 2)) {
      route ??= resolveRoute(head);
      segs = segs.slice(1);
      while (segs.length > 1 && ROUTE_DETAIL_SEGMENT.test(segs[0]!.toLowerCase())) segs = segs.slice(1);
      continue;
    }
    break;
  }
  let rest = segs.join('/');
  const fw = FIREWORKS_PATH.exec(rest);
  if (fw) rest = fw[1]!;

  let prefixCreator: string | undefined;
  let slugText = rest;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const head = rest.slice(0, slash);
    prefixCreator = creatorOf(head);
    slugText = rest.slice(slash + 1);
    if (slugText.includes('/')) return { unmatched: ref.name };
    // `org/model` with an org we do not know (a re-packager such as unsloth/) names no creator:
    // only an explicit hint or the model's own family can.
  }

  let slug = canonicalSlug(slugText).replace(OFFERING_SUFFIX, '').replace(/@(\d{8})$/, '-$1');
  const bedrockVendor = CREATORS[BEDROCK_ID.exec(slug)?.[1] ?? ''];
  if (bedrockVendor) slug = bedrockModelSlug(slug);
  if (slug === '') return { unmatched: ref.name };
  if (!prefixCreator && !bedrockVendor && !ref.creator && !familyCreator(slug)) slug = dropPrefixWord(slug);

  const creator = creatorOf(ref.creator) ?? prefixCreator ?? bedrockVendor ?? familyCreator(slug) ??
    (ref.creator ? canonicalSlug(ref.creator) : undefined);
  if (!creator) return { unmatched: ref.name };
  slug = CREATOR_SPELLING[creator]?.(slug) ?? slug;

  const candidate = `${creator}/${slug}`;
  const aliased = lookupAlias(aliases, candidate, slug);
  const modelId = aliased ?? candidate;
  if (!ModelId.safeParse(modelId).success) return { unmatched: ref.name };
  return route ? { modelId, route } : { modelId };
}
