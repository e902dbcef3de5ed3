/**
 * Identity data: seed aliases, for names whose canonical id is not what the
 * rules produce (vendor ids that differ from the model's common name, or
 * spellings too rare to deserve a rule). Keys are lower case and compared with
 * the name as stated, its canonical slug, the resolved `creator/slug` and the
 * bare slug; values are canonical model ids. A reviewer's decision
 * (`modelfacts aliases map|split|confirm`) is stored in the database and wins
 * over these.
 */
export const SEED_ALIASES: Readonly<Record<string, string>> = {
  'imagen-4.0-fast-generate-001': 'google/imagen-4-fast',
  'google/imagen-4.0-fast-generate-001': 'google/imagen-4-fast',
  'imagen-4-fast-generate-001': 'google/imagen-4-fast',
  'imagen-4.0-fast': 'google/imagen-4-fast',
  'imagen4/preview/fast': 'google/imagen-4-fast',
  'imagen-4.0-generate-001': 'google/imagen-4',
  'imagen-4.0-ultra-generate-001': 'google/imagen-4-ultra',
  'nano-banana': 'google/gemini-2.5-flash-image',
  'gemini-2.5-flash-image-preview': 'google/gemini-2.5-flash-image',
  // xAI's snapshot of Grok 4 is `grok-4-0709`; one catalog writes the date with a hyphen
  'xai/grok-4-07-09': 'xai/grok-4-0709',
  // Sao10K's own names: L3-8B-Lunaris, L3.1-70B-Euryale
  'sao10k/l3-lunaris-8b': 'sao10k/l3-8b-lunaris',
  'sao10k/l31-70b-euryale-v2.2': 'sao10k/l3.1-70b-euryale-v2.2',
  // Azure AI Foundry's spelling of Cohere Embed 4
  'cohere/embed-v-4-0': 'cohere/embed-v4',
};
