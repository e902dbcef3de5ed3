/** Maps errors to exit codes and one clear line: 2 for bad usage or input, 1 for failures. */
import { CommanderError } from 'commander';
import { LayoutError } from '../extractors/contract.js';
import { ParseError } from '../extractors/parse.js';
import { SchemaError } from '../schema/errors.js';
import { ReviewInputError } from '../pipelines/report/conflicts.js';
import { DatabaseUrlError } from '../pipelines/store/db.js';
import { RecordTargetError } from '../pipelines/fetch/record.js';
import { ArchiveError } from '../pipelines/fetch/replay.js';

/** The user asked for something that cannot be: an unknown source, a bad week, a missing file. */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
  if (error instanceof UsageError || error instanceof ArchiveError || error instanceof SchemaError) return 2;
  if (error instanceof ParseError) return 2;
  if (error instanceof LayoutError) return 1;
  if (error instanceof DatabaseUrlError || error instanceof ReviewInputError || error instanceof RecordTargetError) return 2;
  return 1;
}

export function reportError(error: unknown, verbose: boolean): void {
  if (error instanceof CommanderError) return; // commander already printed its message
  const e = error as Error;
  process.stderr.write(`modelfacts: ${e?.message ?? String(error)}\n`);
  if (verbose) {
    process.stderr.write(`${e?.stack ?? ''}\n`);
    let cause = (e as { cause?: unknown })?.cause;
    while (cause) {
      process.stderr.write(`caused by: ${(cause as Error).stack ?? String(cause)}\n`);
      cause = (cause as { cause?: unknown }).cause;
    }
  }
}
