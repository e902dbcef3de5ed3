/** Diffs between two weeks: the facts that changed, and a page's text (from the raw-page archive). */
import * as cheerio from 'cheerio';
import { createTwoFilesPatch } from 'diff';
import type { Fact } from '../../schema/fact.js';
import type { Db } from '../store/db.js';
import { archivedFetches, loadRawPage, NothingArchivedError } from '../store/raw-pages.js';
import { queryFacts } from '../store/queries.js';
import { sourcesOf } from '../store/rows.js';
import { canonicalValue } from '../../schema/keys.js';

type StoredFact = Fact & { factKey: string };

/** Same value as a reader sees it: "n/a" stated as 0 or as "n/a" is one value, so a diff never reads `n/a → n/a`. */
function sameValue(a: Fact['chosen'], b: Fact['chosen']): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'not_applicable' && b.kind === 'not_applicable') return true;
  return canonicalValue(a) === canonicalValue(b);
}

export interface CandidateChange {
  sourceId: string;
  via?: string;
  url: string;
  before?: Fact['candidates'][number]['value'];
  after?: Fact['candidates'][number]['value'];
}

export interface FactChange {
  factKey: string;
  modelId: string;
  attribute: string;
  qualifiers: Fact['qualifiers'];
  before?: { value?: Fact['chosen']; status: string; sources: string[] };
  after?: { value?: Fact['chosen']; status: string; sources: string[] };
  /** What each source said differently between the weeks. */
  candidates: CandidateChange[];
  /** `value`: the chosen value's meaning changed (or the fact was added or removed); `sources`: only what sources said changed. */
  kind: 'value' | 'sources';
}

export interface WeekDiff {
  from: string;
  to: string;
  added: FactChange[];
  removed: FactChange[];
  changed: FactChange[];
}

const side = (f: StoredFact) => ({ value: f.chosen, status: f.status, sources: sourcesOf(f) });
const candKey = (c: Fact['candidates'][number]) => `${c.provenance.sourceId}|${c.provenance.via ?? ''}|${c.provenance.url}`;

function candidateChanges(a: StoredFact | undefined, b: StoredFact | undefined): CandidateChange[] {
  const before = new Map((a?.candidates ?? []).map((c) => [candKey(c), c]));
  const after = new Map((b?.candidates ?? []).map((c) => [candKey(c), c]));
  const out: CandidateChange[] = [];
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(k);
    const y = after.get(k);
    if (x && y && sameValue(x.value, y.value)) continue;
    const p = (y ?? x)!.provenance;
    out.push({ sourceId: p.sourceId, ...(p.via ? { via: p.via } : {}), url: p.url, before: x?.value, after: y?.value });
  }
  return out.sort((m, n) => m.sourceId.localeCompare(n.sourceId));
}

const sameChosen = (a: StoredFact, b: StoredFact) => sameValue(a.chosen, b.chosen);

export interface DiffFilter {
  model?: string;
  attribute?: string;
  route?: string;
}

/**
 * Facts added, removed and changed between two weeks; a change is a new chosen
 * value (kind `value`) or a source saying something new (kind `sources`).
 */
export async function diffWeeks(db: Db, from: string, to: string, filter: DiffFilter = {}): Promise<WeekDiff> {
  const [a, b] = await Promise.all([
    queryFacts(db, { asOf: from, model: filter.model, attribute: filter.attribute }),
    queryFacts(db, { asOf: to, model: filter.model, attribute: filter.attribute }),
  ]);
  const onRoute = (f: StoredFact) => filter.route === undefined || f.qualifiers.route === filter.route;
  const before = new Map(a.filter(onRoute).map((f) => [f.factKey, f]));
  const after = new Map(b.filter(onRoute).map((f) => [f.factKey, f]));
  const base = (f: StoredFact) => ({ factKey: f.factKey, modelId: f.modelId, attribute: f.attribute, qualifiers: f.qualifiers });
  const out: WeekDiff = { from, to, added: [], removed: [], changed: [] };
  for (const [k, f] of after) {
    const old = before.get(k);
    if (!old) {
      out.added.push({ ...base(f), after: side(f), candidates: candidateChanges(undefined, f), kind: 'value' });
      continue;
    }
    const cands = candidateChanges(old, f);
    const valueChanged = !sameChosen(old, f);
    if (valueChanged || cands.length > 0) {
      out.changed.push({ ...base(f), before: side(old), after: side(f), candidates: cands, kind: valueChanged ? 'value' : 'sources' });
    }
  }
  for (const [k, f] of before) {
    if (!after.has(k)) out.removed.push({ ...base(f), before: side(f), candidates: candidateChanges(f, undefined), kind: 'value' });
  }
  return out;
}

/** A page as readable text for diffing: visible HTML text by block, or pretty-printed JSON. */
export function pageText(body: string, contentType: string): string {
  if (/json/.test(contentType) || /^\s*[[{]/.test(body)) {
    try {
      return `${JSON.stringify(JSON.parse(body), null, 2)}\n`;
    } catch {
      // not JSON after all: diff it as text
      return body;
    }
  }
  if (!/html/.test(contentType) && !/^\s*</.test(body)) return body;
  const $ = cheerio.load(body);
  $('script, style, noscript, template').remove();
  $('br').replaceWith('\n');
  $('p, div, li, tr, h1, h2, h3, h4, h5, h6, dt, dd, section, article, header, footer, table').each((_, el) => {
    $(el).append('\n');
  });
  return `${$('body')
    .text()
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n')}\n`;
}

/** Unified diff of one page's text between the newest fetches of two weeks. */
export async function pageDiff(db: Db, url: string, from: string, to: string): Promise<string> {
  const get = async (week: string) => {
    const entry = (await archivedFetches(db, week, url)).get(url);
    if (!entry?.hash) throw new NothingArchivedError(`${url} was not fetched in ${week}`);
    const raw = await loadRawPage(db, entry.hash, url);
    if (!raw) throw new NothingArchivedError(`${url}: raw page missing for ${week}`);
    return pageText(raw.body, raw.contentType);
  };
  const [a, b] = await Promise.all([get(from), get(to)]);
  return createTwoFilesPatch(`${url} (${from})`, `${url} (${to})`, a, b, undefined, undefined, { context: 2 });
}
