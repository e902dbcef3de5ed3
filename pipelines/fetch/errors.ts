/**
 * Fetch errors are named by what should happen next: retry later, don't
 * retry (the page or the request is wrong), or stop (the setup is wrong).
 * The first two are site failures (a source status); the last stops the run.
 */
import { Failure, SourceFailure } from '../../schema/errors.js';

/** Worth another attempt after a pause: 5xx, 429, timeouts, dropped connections. */
export class RetryableFetchError extends SourceFailure {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RetryableFetchError';
  }
}

/** Retrying will not help: 4xx, a body over the size cap, a refused redirect, robots.txt says no. */
export class PermanentFetchError extends SourceFailure {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentFetchError';
  }
}

/** The source asked for a host it did not declare, directly or through a redirect. */
export class HostNotAllowedError extends PermanentFetchError {
  constructor(
    readonly url: string,
    readonly allowed: readonly string[],
    /** The page whose redirect led there, when it was a redirect. */
    readonly redirectedFrom?: string,
  ) {
    super(
      `${redirectedFrom ? `${redirectedFrom}: redirect ` : ''}refused ${url}: host not declared by the source (allowed: ${allowed.join(', ')})`,
    );
    this.name = 'HostNotAllowedError';
  }
}

/** Stop: no Chromium to run pages that need a browser. */
export class BrowserUnavailableError extends Failure {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BrowserUnavailableError';
  }
}

/** The response is not what the source parses (an image where HTML was expected): the URL or the site changed. */
export class WrongContentTypeError extends PermanentFetchError {
  constructor(
    readonly url: string,
    readonly contentType: string,
    readonly expected: string,
  ) {
    super(`${url}: unexpected content type ${contentType || '(none)'} (expected ${expected})`);
    this.name = 'WrongContentTypeError';
  }
}

/** The run's time budget is spent: no new request starts; the sources still waiting fail and keep their claims. */
export class DeadlineError extends PermanentFetchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeadlineError';
  }
}
