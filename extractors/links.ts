/** Index discovery: the links of a page as absolute URLs. */
import * as cheerio from 'cheerio';
import type { Page } from './contract.js';

/**
 * The links of a page as absolute URLs, in page order, for index discovery.
 * A malformed href links to no page of ours and is skipped; with
 * `contentOnly`, links inside navigation, header, footer and sidebars are too.
 */
export function pageLinks(page: Page, opts: { within?: string; contentOnly?: boolean } = {}): URL[] {
  const $ = cheerio.load(page.body);
  const scope = opts.within && $(opts.within).length ? $(opts.within) : $.root();
  const out: URL[] = [];
  scope.find('a[href]').each((_, a) => {
    if (opts.contentOnly && $(a).closest('nav, header, footer, aside').length > 0) return;
    const href = $(a).attr('href')!;
    if (URL.canParse(href, page.url)) out.push(new URL(href, page.url));
  });
  return out;
}
