/**
 * History over weeks: archived raw pages, re-extraction of a past week
 * without fetching, and diffs between two weeks (facts, and a page's text).
 */
import { gunzipSync } from 'node:zlib';
import * as cheerio from 'cheerio';
import { createTwoFilesPatch } from 'diff';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { SourceModule } from '../extractors/contract.js';
import type { Fact } from '../schema/fact.js';
import { fetches, rawPages, runs } from '../schema/tables.js';
import type { Database, Db } from './db.js';
import type { FetchedPage } from './fetch/types.js';
import type { PublishResult } from './publish.js';
import { queryFacts } from './queries.js';
import { canonicalValue } from './reconcile/equivalence.js';
import { isoTimestamp, sourcesOf } from './rows.js';
import { collectAndPublish, type RefreshEvents } from './refresh.js';

/** The week has nothing archived to work from: refresh it first. */
export class NothingArchivedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingArchivedError';
  }
}

export async function loadRawPage(db: Db, hash: string): Promise<{ body: string; contentType: string } | undefined> {
  const [row] = await db.select().from(rawPages).where(eq(rawPages.hash, hash));
  if (!row) return undefined;
  return { body: gunzipSync(row.bodyGz).toString('utf8'), contentType: row.contentType };
}

/** For each URL fetched in a week (or just `url`), the newest archived response (runs of that week, newest first). */
export async function archivedFetches(db: Db, week: string, url?: string) {
  const rows = await db
    .selectDistinctOn([fetches.url], {
      url: fetches.url,
      hash: fetches.pageHash,
      fetchedAt: fetches.fetchedAt,
      status: fetches.httpStatus,
      runId: fetches.runId,
    })
    .from(fetches)
    .innerJoin(runs, eq(runs.id, fetches.runId))
    .where(and(eq(runs.week, week), isNotNull(fetches.pageHash), url === undefined ? undefined : eq(fetches.url, url)))
    .orderBy(fetches.url, desc(fetches.runId), desc(fetches.id));
  return new Map(rows.map((r) => [r.url, r]));
}

/** Re-runs today's extractors over a past week's archived pages, without fetching, and republishes that week. */
export async function reextractWeek(
  database: Database,
  week: string,
  sources: readonly SourceModule[],
  events?: RefreshEvents,
): Promise<PublishResult> {
  const archived = await archivedFetches(database.db, week);
  if (archived.size === 0) throw new NothingArchivedError(`no archived pages for ${week}: refresh that week first`);
  const release = await database.lock();
  try {
    return await collectAndPublish({ database, sources, week, mode: 'reextract', events }, async (url) => {
      const entry = archived.get(url);
      if (!entry?.hash) throw new NothingArchivedError(`${url} was not archived in ${week}`);
      const raw = await loadRawPage(database.db, entry.hash);
      if (!raw) throw new NothingArchivedError(`${url}: raw page ${entry.hash} missing from the archive`);
      const page: FetchedPage = {
        url,
        finalUrl: url,
        status: entry.status ?? 200,
        contentType: raw.contentType,
        headers: {},
        body: raw.body,
        hash: entry.hash,
        fetchedAt: isoTimestamp(entry.fetchedAt),
        mode: 'http',
      };
      return page;
    }, false);
  } finally {
    await release();
  }
}

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
    const raw = await loadRawPage(db, entry.hash);
    if (!raw) throw new NothingArchivedError(`${url}: raw page missing for ${week}`);
    return pageText(raw.body, raw.contentType);
  };
  const [a, b] = await Promise.all([get(from), get(to)]);
  return createTwoFilesPatch(`${url} (${from})`, `${url} (${to})`, a, b, undefined, undefined, { context: 2 });
}
