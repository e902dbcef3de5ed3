/** "Read this part or report a problem": the one place an extractor turns an unreadable value into a problem. */
import type { Extraction } from './contract.js';
import { ParseError } from './parse.js';

export type Problem = NonNullable<Extraction['problems']>[number];

/**
 * Runs `read`; when the text cannot be read (a ParseError) hands the error to
 * `onProblem` and returns undefined. Any other error is a bug and propagates:
 * it must never read as a problem of the page.
 */
export function readPart<T>(read: () => T, onProblem: (err: ParseError) => void): T | undefined {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    onProblem(err);
    return undefined;
  }
}

/** readPart recording the unreadable value as a problem at `locator`, with the page text it came from. */
export function readOrReport<T>(problems: Problem[], locator: string, excerpt: string | undefined, read: () => T): T | undefined {
  return readPart(read, (err) => problems.push({ locator, message: err.message, excerpt }));
}
