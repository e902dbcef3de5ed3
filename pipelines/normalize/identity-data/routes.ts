/**
 * Identity data: where a model is served. Provider display names and catalog
 * slugs → route id, and the first path segments that name a host rather than
 * a creator. Rows are data: a new provider is one line here.
 */

/**
 * Provider display names and catalog slugs → route id. Keys are compared in
 * lower case. Slugs not listed here map to themselves when they are valid
 * route ids (lower-case provider slugs are already route ids).
 */
export const ROUTE_NAMES: Readonly<Record<string, string>> = {
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


/**
 * First path segments that name where a model is served, not who made it
 * (`azure/gpt-4o`, `together_ai/Qwen/...`). Creators that also serve their own
 * models (openai/, mistral/ ...) are listed too and only count as a route
 * prefix when more path follows (`perplexity/openai/gpt-5`).
 */
export const PROVIDER_PREFIXES: ReadonlySet<string> = new Set([
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
  'oci', 'gigachat', 'aws_polly', 'exa_ai', 'firecrawl', 'searxng', 'serper', 'tavily', 'linkup', 'duckduckgo',
  'google_pse', 'dataforseo', 'parallel_ai', 'workers-ai', 'wandb', 'llamagate', 'sarvam', 'azure_ai',
  // creators that also serve models: a route prefix only when more path follows
  'openai', 'anthropic', 'mistral', 'deepseek', 'xai', 'cohere', 'perplexity', 'minimax', 'moonshot', 'zai',
  'google', 'ai21', 'amazon_nova',
]);

/** Path segments after a provider prefix that name a region or a commitment, not the model. */
export const ROUTE_DETAIL_SEGMENT =
  /^(?:eu|us|global|global-standard|apac|\*|[a-z]{2}(?:-gov)?-[a-z]+-\d|\d+-month-commitment|invoke|converse|@cf|@hf)$/;

/**
 * Host paths in front of the org: each row strips a path that names the host's
 * account or catalog, leaving `org/model` or `model`. Examples are real names from 2026-W17.
 */
export const HOST_PATHS: readonly { id: string; pattern: RegExp; examples: readonly [string, string][] }[] = [
  {
    id: 'host-path:fireworks-account',
    pattern: /^accounts\/[^/]+\/(?:models|routers)\/(.+)$/,
    examples: [['accounts/fireworks/models/deepseek-v3p2', 'deepseek-v3p2'], ['accounts/fireworks/routers/kimi-k2p5-turbo', 'kimi-k2p5-turbo']],
  },
  {
    // Synthetic's Hugging Face passthrough: `hf:deepseek-ai/DeepSeek-V3.2`
    id: 'host-path:hf-passthrough',
    pattern: /^hf:(.+)$/,
    examples: [['hf:deepseek-ai/DeepSeek-V3.2', 'deepseek-ai/DeepSeek-V3.2']],
  },
  {
    id: 'host-path:cloudflare',
    pattern: /^@(?:cf|hf)\/(.+)$/,
    examples: [['@cf/moonshotai/kimi-k2.5', 'moonshotai/kimi-k2.5']],
  },
  {
    // SiliconFlow's paid tier and LoRA paths: `Pro/zai-org/GLM-4.7`
    id: 'host-path:siliconflow-pro',
    pattern: /^(?:Pro|LoRA)\/([^/]+\/[^/]+)$/,
    examples: [['Pro/zai-org/GLM-4.7', 'zai-org/GLM-4.7']],
  },
  {
    // catalogs that file models under `<org>/<api>/models/<model>` (clarifai, nvidia's NIM paths)
    id: 'host-path:org-api-models',
    pattern: /^([^/]+)\/[^/]+\/models\/([^/]+)$/,
    examples: [['qwen/qwenLM/models/Qwen3-30B-A3B-Instruct-2507', 'qwen/Qwen3-30B-A3B-Instruct-2507']],
  },
];
