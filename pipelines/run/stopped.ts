/**
 * A run stopped by a bug or an infrastructure fault (anything but a site
 * failure): it publishes nothing, and the error, with its stack, is printed
 * and stored on the run record. Deliberately not a ModelfactsError: the CLI
 * prints the stack of what it does not name.
 */
export class RunStoppedError extends Error {
  constructor(
    readonly runId: number | undefined,
    readonly sourceId: string,
    cause: unknown,
  ) {
    super(`run ${runId ?? '(not recorded)'} stopped while running ${sourceId}, nothing published: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'RunStoppedError';
  }
}

/** The error as stored on the run: its stack (which starts with the message), and each cause's. */
export function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    parts.push((e as Error).stack ?? String(e));
    if (parts.length > 5) break;
  }
  return parts.join('\ncaused by: ');
}
