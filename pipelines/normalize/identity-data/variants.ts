/**
 * Identity data: variant kinds and what each becomes (the variant policy, also
 * in the README). A variant is an offering or mode of one model, not a new
 * model; a distinct product sold under its own name is a model of its own,
 * linked to its base.
 *
 * - `tier`: the suffix is removed from the id and becomes the `tier` qualifier
 *   of the listing's price claims (and its provider_model_id), so a `$0`
 *   free-tier price never competes with the paid price of the same route.
 *   Facts that are not prices (context window, modalities) stay the model's.
 * - `drop`: the suffix names the model itself (`@default` is Vertex's default
 *   version of the model): removed, nothing recorded.
 * - `variantOf` (see VARIANT_OF_SUFFIXES): kept in the id as a model of its
 *   own, with a `variantOf` link to the base id (`grok-4-fast` → `grok-4`).
 * - dated snapshots stay distinct and are linked `snapshotOf` (identity.ts).
 */
export interface VariantRow {
  id: string;
  kind: 'tier' | 'drop';
  /** Matched at the end of the canonical slug (after the name's other suffixes were read). */
  pattern: RegExp;
  /** The tier it becomes; `$1` … refer to the pattern's groups. */
  tier?: string;
  /** Only for this creator (claude's `-thinking` is a mode; Kimi's `-thinking` is another model). */
  creator?: string;
  examples: readonly [string, string, string?][];
}

export const VARIANT_SUFFIXES: readonly VariantRow[] = [
  {
    id: 'openrouter-offering',
    kind: 'tier',
    pattern: /:(free|beta|extended|nitro|floor|online|exacto|optimized|web)$/,
    tier: '$1',
    examples: [['google/gemma-3-27b-it:free', 'gemma-3-27b-it', 'free'], ['openai/gpt-4o:extended', 'gpt-4o', 'extended']],
  },
  {
    // `:thinking`, `:thinking:low` — a reasoning mode of the same model, with its own listing price
    id: 'thinking-mode',
    kind: 'tier',
    pattern: /:thinking(?::(low|medium|high|max))?$/,
    tier: 'thinking$1',
    examples: [['anthropic/claude-opus-4.6:thinking:low', 'claude-opus-4-6', 'thinking_low'], ['zai-org/glm-5:thinking', 'glm-5', 'thinking']],
  },
  {
    // claude's extended thinking with a token budget (`-thinking:32000`): a mode of the model
    id: 'claude-thinking-budget',
    kind: 'tier',
    creator: 'anthropic',
    pattern: /-thinking(?::(\d+))?$/,
    tier: 'thinking$1',
    examples: [['claude-opus-4-1-thinking:32000', 'claude-opus-4-1', 'thinking_32000'], ['claude-3-7-sonnet-thinking:1024', 'claude-3-7-sonnet', 'thinking_1024']],
  },
  {
    id: 'ollama-cloud',
    kind: 'tier',
    pattern: /-cloud$/,
    tier: 'cloud',
    examples: [['ollama/gpt-oss:120b-cloud', 'gpt-oss-120b', 'cloud']],
  },
  {
    id: 'vertex-default',
    kind: 'drop',
    pattern: /@default$/,
    examples: [['vertex_ai/claude-opus-4-6@default', 'claude-opus-4-6']],
  },
];

/** OpenAI's fine-tuning price keys (`ft:gpt-4o-2024-08-06`): the base model's price for a fine-tuned copy. */
export const FINE_TUNED_PREFIX = { id: 'fine-tuned-prefix', pattern: /^ft:/, tier: 'fine_tuned' } as const;

/**
 * Suffixes that make a distinct product of their own (its own price and
 * limits), kept in the id and linked `variantOf` the id without them:
 * `xai/grok-4-fast` → `xai/grok-4`.
 */
export const VARIANT_OF_SUFFIXES: readonly RegExp[] = [/-fast$/, /-thinking$/, /-(?:non-)?reasoning$/, /-high-throughput$/];
