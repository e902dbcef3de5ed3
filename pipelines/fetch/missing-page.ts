import { PermanentFetchError } from './errors.js';

/**
 * The page is not there: HTTP 404 or 410, or (re-extraction) not in the
 * week's archive. For a page discovered from an index this is a dead link, a
 * problem of that page only; for a page the source declares it breaks the source.
 */
export class MissingPageError extends PermanentFetchError {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'MissingPageError';
  }
}
