import { z } from 'zod';

/** Canonical model id: `creator/slug`, lower case, e.g. `openai/gpt-image-1-mini`. */
export const ModelId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._:@+-]*$/, 'model id must look like creator/slug in lower case');
export type ModelId = z.infer<typeof ModelId>;

/** A route is a provider that serves a model (openai, vercel, azure, bedrock ...). */
export const RouteId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'route id must be a lower-case provider slug');
export type RouteId = z.infer<typeof RouteId>;

export const SourceId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'source id must be lower-case words joined by -');
export type SourceId = z.infer<typeof SourceId>;

/** ISO week label, e.g. 2026-W17. */
export const Week = z
  .string()
  .regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'week must look like YYYY-Www (e.g. 2026-W17)');
export type Week = z.infer<typeof Week>;
