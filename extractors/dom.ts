/** DOM helpers for HTML extractors: a CSS path locating an element, for observation locators. */
import type * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/**
 * A CSS path locating an element, for observation locators: from the nearest
 * ancestor with an id (`section#pricing > table:nth-of-type(1) > …`), else
 * from `main`/`body`.
 */
export function cssPath($: cheerio.CheerioAPI, el: AnyNode): string {
  const parts: string[] = [];
  let node = $(el);
  for (; node.length > 0 && !node.is('main, body'); node = node.parent()) {
    const e = node.get(0) as Element;
    const id = e.attribs?.id;
    const index = node.parent().children(e.tagName).index(node);
    parts.unshift(id ? `${e.tagName}#${id}` : `${e.tagName}:nth-of-type(${index + 1})`);
    if (id) return parts.join(' > ');
  }
  return [(node.get(0) as Element | undefined)?.tagName ?? 'html', ...parts].join(' > ');
}
