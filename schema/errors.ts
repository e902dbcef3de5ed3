/**
 * Error classes are named by what happens next, and carry their exit code,
 * so the CLI needs no list of classes:
 * - InputError (exit 2): the command, a file or a value given is at fault;
 *   fix it and run again. Nothing stored changes.
 * - SourceFailure (exit 1 when it ends a command): a site failed (fetch
 *   errors, a changed layout, output failing the health checks). During a
 *   run it becomes that source's status with its reason, and the run goes on.
 * Anything else raised while a run works is a bug or an infrastructure fault
 * (a TypeError in an extractor, a database error): the run stops, publishes
 * nothing, and the error is printed with its stack and stored on the run (exit 1).
 */
import type { z } from 'zod';

export abstract class ModelfactsError extends Error {
  abstract exitCode: 1 | 2;
}

/** Bad input: one clear line naming the thing at fault; exit 2. */
export class InputError extends ModelfactsError {
  readonly exitCode = 2;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** A named failure of the setup (a lock held, no browser, an old schema): one line, exit 1. */
export class Failure extends ModelfactsError {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Failure';
  }
}

/** A site failed: a per-source status with this message as its reason, never a stopped run. */
export class SourceFailure extends ModelfactsError {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceFailure';
  }
}

/** Raised when data does not fit the canonical schema; names each field and its bad value. */
export class SchemaError extends InputError {
  constructor(
    readonly what: string,
    readonly problems: { path: string; message: string; value: unknown }[],
    options?: { cause?: unknown },
  ) {
    super(
      `invalid ${what}: ` +
        problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message} (got ${JSON.stringify(p.value)})`).join('; '),
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
