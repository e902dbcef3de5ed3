/**
 * The model name a creator's price page shows ("Claude Sonnet 3.7 (deprecated)",
 * "Gemini 2.5 Pro¹", "Gemini 2.5 Flash Image (Nano Banana)") → the raw name the
 * identity rules resolve ("Claude Sonnet 3.7", "Gemini 2.5 Pro", "Gemini 2.5
 * Flash Image"). Only page decoration is removed — footnote marks, status
 * badges, parenthesised notes and nicknames; the name itself is left for
 * pipelines/identity to canonicalise, so the display name and the API id of a
 * model land on the same canonical id there, not here.
 */
import type * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { cleanText } from './parse.js';

/** Elements inside a name cell that decorate it: footnote references, badges, icons. */
const DECORATION = 'sup, .badge, .tag, .label, [aria-hidden="true"], svg, img';

/** Status words pages attach to a name, as badges or in parentheses. */
const STATUS = /^(?:deprecated|legacy|retired|new|beta|experimental|latest|recommended|coming soon)$/i;

/** Footnote marks glued to a name: ¹ ² ³, *, †, ‡, [1]. */
const FOOTNOTE_MARKS = /[\u00b9\u00b2\u00b3\u2070-\u2079*\u2020\u2021]+|\[\d+\]/g;

/**
 * Text of a display name: footnote marks, status badges and any parenthesised
 * part (a status, a nickname, an aside) removed, whitespace collapsed.
 */
export function rawModelName(text: string): string {
  // "DALL·E 3": a middle dot inside a name is a hyphen (`dall-e-3`)
  let t = cleanText(text).replace(FOOTNOTE_MARKS, '').replace(/(\w)\u00b7(\w)/g, '$1-$2');
  // "(deprecated)", "(Nano Banana)", "(Thinking Mode)": asides, not the name
  t = t.replace(/\s*\([^)]*\)/g, '');
  const words = t.split(' ');
  while (words.length > 1 && STATUS.test(words[words.length - 1]!)) words.pop();
  return cleanText(words.join(' '));
}

/** The raw model name of a table cell or heading, its decorations (sup, badges) dropped first. */
export function modelNameOf($: cheerio.CheerioAPI, el: cheerio.Cheerio<AnyNode>): string {
  const copy = el.clone();
  copy.find(DECORATION).remove();
  return rawModelName($(copy).text());
}
