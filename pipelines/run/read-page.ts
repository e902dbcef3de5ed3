/**
 * Reading one fetched page: extraction, then normalization. Pure, and kept apart
 * from the rest of the refresh so a worker thread (page-thread.ts) loads this and
 * the extractors only, not the store or publish.
 */
import type { Page, SourceModule } from '../../extractors/contract.js';
import { LayoutError } from '../../extractors/contract.js';
import { ParseError } from '../../extractors/parse.js';
import type { FetchedPage } from '../fetch/types.js';
import type { Claim, ExtractionIssue } from '../../schema/observation.js';
import { normalize, type NameUse } from '../normalize/normalize.js';

export function toPage(p: Pick<FetchedPage, 'url' | 'body' | 'contentType' | 'fetchedAt'>): Page {
  return { url: p.url, body: p.body, contentType: p.contentType, fetchedAt: p.fetchedAt };
}

/**
 * Extraction of one page. A value the extractor could not read and did not
 * report as a problem is a page it cannot read: a changed layout, never a bug.
 */
function extractPage(source: SourceModule, page: Page) {
  try {
    return source.extract(page);
  } catch (error) {
    if (error instanceof ParseError) throw new LayoutError(source.id, page.url, `a readable ${error.what}`, { cause: error });
    throw error;
  }
}

/** What one page yields once extracted and normalized: a distributed refresh's page job stages it. */
export interface PageReading {
  /** Fingerprint of the alias table the names were resolved with. */
  identity: string;
  extractorVersion: string;
  pageHash: string;
  observations: number;
  claims: Claim[];
  issues: ExtractionIssue[];
  unmatched: [string, number][];
  names: [string, NameUse][];
}

/** The parts of a fetched page reading it needs (all a worker thread is sent). */
export type PageToRead = Pick<FetchedPage, 'url' | 'body' | 'contentType' | 'fetchedAt' | 'hash'>;

/** Extracts and normalizes one fetched page. Pure; a changed layout throws LayoutError. */
export function readPage(
  source: SourceModule,
  url: string,
  page: PageToRead,
  identity: { map: ReadonlyMap<string, string>; fingerprint: string },
): PageReading {
  const extraction = extractPage(source, toPage(page));
  const n = normalize(
    extraction,
    { sourceId: source.id, url, fetchedAt: page.fetchedAt, extractorVersion: source.version, pageHash: page.hash },
    identity.map,
  );
  return {
    identity: identity.fingerprint,
    extractorVersion: source.version,
    pageHash: page.hash,
    observations: extraction.observations.length,
    claims: n.claims,
    issues: n.issues,
    unmatched: [...n.unmatched],
    names: [...n.names],
  };
}
