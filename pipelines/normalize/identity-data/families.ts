/**
 * Identity data: well-known model families → creator, for names that carry no
 * creator (`gpt-image-1-mini`, `claude-3-5-sonnet`). Anchored at the start of
 * the slug; first match wins. Ambiguous words ("nova" alone, "seed" without a
 * version) are left out. Each row's examples are real names (2026-W14..W17)
 * and the creator they must get; test/identity-rules.test.ts checks them all.
 */
export interface FamilyRow {
  id: string;
  pattern: RegExp;
  creator: string;
  examples: readonly string[];
}

export const FAMILIES: readonly FamilyRow[] = [
  {
    id: 'openai',
    pattern: /^(?:gpt-|gpt\d|chatgpt|dall-e|o1(?:-|$)|o3(?:-|$)|o4(?:-|$)|whisper|tts-|text-embedding-(?:3|ada)|davinci|babbage|codex-mini|sora|omni-moderation|text-moderation|computer-use-preview)/,
    creator: 'openai',
    examples: ['gpt-image-1-mini', 'dall-e-3', 'o3-mini', 'chatgpt-4o-latest', 'whisper-1', 'babbage-002'],
  },
  {
    id: 'google',
    pattern: /^(?:gemini|imagen|gemma|veo-|palm(?:-|2|$)|text-bison|chat-bison|codechat-bison|code-bison|learnlm|nano-banana|medgemma|medlm|lyria|chirp|text-embedding-0|text-embedding-(?:large|preview)|text-multilingual-embedding|multimodalembedding|text-unicorn|imagegeneration|deep-research-pro|codegemma)/,
    creator: 'google',
    examples: ['gemini-2.5-pro', 'palm-2-chat-bison', 'imagen-4.0-generate-001', 'gemma-3-27b-it', 'text-embedding-004', 'medlm-large', 'multimodalembedding@001'],
  },
  { id: 'anthropic', pattern: /^claude/, creator: 'anthropic', examples: ['claude-sonnet-4-5', 'claude-3-7-sonnet-thinking:1024'] },
  { id: 'meta', pattern: /^(?:llama|meta-llama|codellama|code-llama)/, creator: 'meta', examples: ['llama-3.3-70b-versatile', 'code-llama-13b-instruct'] },
  {
    id: 'mistral',
    pattern: /^(?:mistral|mixtral|codestral|pixtral|ministral|magistral|devstral|voxtral|open-mistral|open-mixtral|open-codestral|mamba-codestral|labs-devstral)/,
    creator: 'mistral',
    examples: ['mixtral-8x7b-32768', 'codestral-latest', 'mamba-codestral-7b-v0.1', 'ministral-3:14b'],
  },
  { id: 'deepseek', pattern: /^deepseek/, creator: 'deepseek', examples: ['deepseek-chat', 'deepseek-v3p2'] },
  { id: 'xai', pattern: /^grok/, creator: 'xai', examples: ['grok-3-mini', 'grok-4-1-fast'] },
  { id: 'alibaba', pattern: /^(?:qwen|qwq|qvq|code-qwen|tongyi)/, creator: 'alibaba', examples: ['qwen-max', 'qwen3-coder:480b', 'tongyi-intent-detect-v3'] },
  {
    id: 'amazon',
    pattern: /^(?:amazon\.|nova-(?:pro|lite|micro|premier|canvas|reel|sonic|2)|titan-)/,
    creator: 'amazon',
    examples: ['nova-pro-v1', 'titan-embed-text-v2'],
  },
  {
    id: 'cohere',
    pattern: /^(?:command(?:-|$)|c4ai|embed-(?:english|multilingual|v4)|rerank-(?:english|multilingual|v3)|cohere-(?:embed|rerank|command))/,
    creator: 'cohere',
    examples: ['command-r-plus', 'embed-v4', 'cohere-embed-v3-english'],
  },
  { id: 'microsoft', pattern: /^(?:phi-|mai-ds)/, creator: 'microsoft', examples: ['phi-4', 'mai-ds-r1'] },
  { id: 'moonshot', pattern: /^(?:kimi|moonshot-v|k2p5$)/, creator: 'moonshot', examples: ['kimi-k2-thinking', 'moonshot-v1-8k', 'k2p5'] },
  { id: 'zai', pattern: /^(?:glm-?\d|glm-z1|glm-zero|chatglm|cogview|codegeex)/, creator: 'zai', examples: ['glm-4.6', 'glm5', 'codegeex4', 'glm-z1-air'] },
  { id: 'minimax', pattern: /^(?:minimax|abab)/, creator: 'minimax', examples: ['minimax-m2.5'] },
  { id: 'nvidia', pattern: /^(?:nemotron|llama-3\.1-nemotron)/, creator: 'nvidia', examples: ['nemotron-3-nano:30b'] },
  { id: 'ai21', pattern: /^(?:jamba|jurassic|j2-)/, creator: 'ai21', examples: ['jamba-1.5-large@001'] },
  { id: 'perplexity', pattern: /^(?:sonar|pplx-|r1-1776)/, creator: 'perplexity', examples: ['sonar-pro'] },
  { id: 'stability', pattern: /^(?:stable-diffusion|sd3|sdxl|stable-image|stable-audio|stablecode|japanese-stable-diffusion|ssd-1b)/, creator: 'stability', examples: ['sd3.5-large', 'stablecode-3b'] },
  { id: 'black-forest-labs', pattern: /^flux/, creator: 'black-forest-labs', examples: ['flux-1.1-pro', 'flux.1-schnell'] },
  { id: 'baidu', pattern: /^(?:ernie|paddleocr)/, creator: 'baidu', examples: ['ernie-4.5-21b-a3b', 'paddleocr-vl'] },
  { id: 'bytedance', pattern: /^(?:doubao|seedream|seedance|seededit|seed-\d|dola-seed)/, creator: 'bytedance', examples: ['doubao-seed-1.6', 'seed-1-6-250615'] },
  { id: 'tencent', pattern: /^(?:hunyuan|hy3-)/, creator: 'tencent', examples: ['hunyuan-t1', 'hy3-preview'] },
  { id: 'ibm', pattern: /^granite/, creator: 'ibm', examples: ['granite-3.3-8b-instruct'] },
  { id: 'liquid', pattern: /^lfm-/, creator: 'liquid', examples: ['lfm-2.5-1.2b-instruct'] },
  { id: 'reka', pattern: /^reka-/, creator: 'reka', examples: ['reka-flash-3'] },
  { id: 'xiaomi', pattern: /^mimo-/, creator: 'xiaomi', examples: ['mimo-v2-flash'] },
  { id: 'inception', pattern: /^mercury/, creator: 'inception', examples: ['mercury-coder'] },
  { id: '01-ai', pattern: /^yi-/, creator: '01-ai', examples: ['yi-large'] },
  // added from the 2026-W17 unmatched list
  { id: 'stepfun', pattern: /^step-(?:\d|r\d)/, creator: 'stepfun', examples: ['step-3.5-flash', 'step-r1-v-mini'] },
  { id: 'upstage', pattern: /^solar-/, creator: 'upstage', examples: ['solar-pro2'] },
  { id: 'baichuan', pattern: /^baichuan/, creator: 'baichuan', examples: ['baichuan4-turbo', 'baichuan-m2'] },
  { id: 'inclusionai', pattern: /^(?:ling|ring)-(?:\d|flash|mini|plus)/, creator: 'inclusionai', examples: ['ling-1t', 'ring-1t'] },
  { id: 'kuaishou', pattern: /^(?:kat-coder|kat-dev|kling-)/, creator: 'kuaishou', examples: ['kat-coder-pro-v1', 'kling-v2-6'] },
  { id: 'deepcogito', pattern: /^cogito-/, creator: 'deepcogito', examples: ['cogito-2.1:671b'] },
  { id: 'writer', pattern: /^palmyra-/, creator: 'writer', examples: ['palmyra-x5'] },
  { id: 'twelvelabs', pattern: /^(?:marengo|pegasus)-/, creator: 'twelvelabs', examples: ['pegasus-1-2'] },
  { id: 'databricks', pattern: /^(?:dbrx|databricks-(?:dbrx|mpt|bge|gte))/, creator: 'databricks', examples: ['dbrx-instruct'] },
  { id: 'snowflake', pattern: /^snowflake-arctic/, creator: 'snowflake', examples: ['snowflake-arctic'] },
  { id: 'prime-intellect', pattern: /^intellect-\d/, creator: 'prime-intellect', examples: ['intellect-3'] },
  { id: 'arcee-ai', pattern: /^(?:trinity-|arcee-|afm-)/, creator: 'arcee-ai', examples: ['trinity-large-preview-free', 'arcee-trinity-large-thinking'] },
  { id: 'nousresearch', pattern: /^(?:hermes-?\d|nous-hermes|nous-capybara)/, creator: 'nousresearch', examples: ['hermes-3-llama-3.1-405b', 'nous-hermes-2-yi-34b'] },
  { id: 'cognitivecomputations', pattern: /^dolphin/, creator: 'cognitivecomputations', examples: ['dolphin-2-9-2-qwen2-72b'] },
  { id: 'bigcode', pattern: /^starcoder/, creator: 'bigcode', examples: ['starcoder2-15b'] },
  { id: 'nomic', pattern: /^nomic-embed/, creator: 'nomic', examples: ['nomic-embed-text'] },
  { id: 'baai', pattern: /^bge-/, creator: 'baai', examples: ['bge-multilingual-gemma2'] },
  { id: 'jina', pattern: /^jina-/, creator: 'jina', examples: ['jina-reranker-v2-base-multilingual'] },
  { id: 'aleph-alpha', pattern: /^luminous-/, creator: 'aleph-alpha', examples: ['luminous-supreme-control'] },
  { id: 'opengvlab', pattern: /^internvl/, creator: 'opengvlab', examples: ['internvl3-78b'] },
  { id: 'internlm', pattern: /^internlm/, creator: 'internlm', examples: ['internlm2_5-20b-chat'] },
  { id: 'morph', pattern: /^morph-v\d/, creator: 'morph', examples: ['morph-v3-fast'] },
  { id: 'venice', pattern: /^venice-uncensored/, creator: 'venice', examples: ['venice-uncensored'] },
  { id: 'vercel', pattern: /^v0-\d/, creator: 'vercel', examples: ['v0-1.5-md'] },
  { id: 'sarvam', pattern: /^sarvam-/, creator: 'sarvam', examples: ['sarvam-m'] },
  { id: 'allam', pattern: /^allam-/, creator: 'sdaia', examples: ['allam-2-7b'] },
  { id: 'jais', pattern: /^jais-/, creator: 'core42', examples: ['jais-30b-chat'] },
  { id: 'gigachat', pattern: /^gigachat/, creator: 'sber', examples: ['gigachat-2-max'] },
  { id: 'playai', pattern: /^playai-/, creator: 'playai', examples: ['playai-tts'] },
  { id: 'fireworks', pattern: /^(?:firefunction|firellava|firesearch|fireworks-asr)/, creator: 'fireworks', examples: ['firefunction-v2', 'fireworks-asr-large'] },
  { id: 'eleven', pattern: /^(?:eleven-|scribe-v)/, creator: 'elevenlabs', examples: ['eleven_multilingual_v2', 'scribe_v1'] },
];
