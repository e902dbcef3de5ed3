import type { z } from 'zod';

/** Raised when data does not fit the canonical schema; names each field and its bad value. */
export class SchemaError extends Error {
  constructor(
    readonly what: string,
    readonly problems: { path: string; message: string; value: unknown }[],
    options?: { cause?: unknown },
  ) {
    super(
      `invalid ${what}: ` +
        problems.map((p) => `${p.path || '(root)'}: ${p.message} (got ${JSON.stringify(p.value)})`).join('; '),
      options,
    );
    this.name = 'SchemaError';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Parses with a zod schema; on failure throws a SchemaError naming the field and the bad value. */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    value: valueAt(input, issue.path),
  }));
  throw new SchemaError(what, problems, { cause: result.error });
}
