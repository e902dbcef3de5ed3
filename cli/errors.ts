/** Errors on the terminal: one clear line (with the stack for a bug or --verbose), and the exit code the error class carries. */
import { CommanderError } from 'commander';
import { InputError, ModelfactsError } from '../schema/errors.js';
import { safeText } from './terminal.js';

/** The user asked for something that cannot be: an unknown source, a bad week, a missing file. */
export class UsageError extends InputError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** Error classes carry their exit code (schema/errors.ts); anything unnamed is a failure. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof ModelfactsError) return error.exitCode;
  return 1;
}

/**
 * drizzle wraps a database error as "Failed query: <sql>\nparams: …" with the
 * server's own message as the cause: show that message, not the SQL.
 */
function oneSentence(e: Error | undefined): string {
  const message = e?.message ?? String(e);
  if (!message.startsWith('Failed query:')) return message;
  const cause = (e as { cause?: Error }).cause;
  return `database error: ${cause?.message ?? message.split('\n')[0]}`;
}

export function reportError(error: unknown, verbose: boolean): void {
  if (error instanceof CommanderError) return; // commander already printed its message
  const e = error as Error;
  // a message may quote a scraped value or a server's answer
  process.stderr.write(`modelfacts: ${safeText(oneSentence(e))}\n`);
  // a bug or an infrastructure fault (any class not named in schema/errors.ts) always shows where it happened;
  // a query the database server refused already says why in its sentence (the stack with --verbose)
  const serverRefused = e?.message?.startsWith('Failed query:') && (e as { cause?: { code?: unknown } }).cause?.code !== undefined;
  if (verbose || (!(error instanceof ModelfactsError) && !serverRefused)) {
    process.stderr.write(`${e?.stack ?? ''}\n`);
    let cause = (e as { cause?: unknown })?.cause;
    while (cause) {
      process.stderr.write(`caused by: ${(cause as Error).stack ?? String(cause)}\n`);
      cause = (cause as { cause?: unknown }).cause;
    }
  }
}
