/**
 * Shared readers for JSON catalog pages: the document itself, and the model
 * list in the OpenAI-style `{"data": [...]}` shape (or the bare array).
 */
import { LayoutError, type Page } from './contract.js';
import { isRecord } from './parse.js';

/** The page body as JSON; a body that is not JSON means the layout changed. */
export function parseJsonPage(sourceId: string, page: Page): unknown {
  try {
    return JSON.parse(page.body);
  } catch (cause) {
    throw new LayoutError(sourceId, page.url, 'a JSON document', { cause });
  }
}

/** Accepts `{"data": [...]}` (live responses) or the bare array (archived copies). */
export function modelList(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (isRecord(doc) && Array.isArray(doc.data)) return doc.data;
  return undefined;
}
