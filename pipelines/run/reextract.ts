/** Re-extraction: today's extractors over a past week's archived pages, no fetching, republished as that week. */
import type { SourceModule } from '../../extractors/contract.js';
import type { FetchedPage } from '../fetch/types.js';
import type { PublishResult } from '../publish/publish.js';
import type { Database } from '../store/db.js';
import { archivedFetches, loadRawPage, NothingArchivedError } from '../store/raw-pages.js';
import { isoTimestamp } from '../store/rows.js';
import { InputError } from '../../schema/errors.js';
import { MissingPageError } from '../fetch/missing-page.js';
import { collectAndPublish, type RefreshEvents } from './refresh.js';

/** None of the sources asked for was archived in the week: bad input (exit 2). */
export class NoArchivedSourceError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'NoArchivedSourceError';
  }
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
  // only the sources that week archived: one never fetched that week is not broken by it
  const held = sources.filter((s) => [...(s.pages ?? []), ...(s.index?.urls ?? [])].some((u) => archived.get(u)?.hash));
  if (held.length === 0) {
    throw new NoArchivedSourceError(`no archived pages for ${week} of ${sources.map((s) => s.id).join(', ')}: refresh that week first`);
  }
  const release = await database.lock();
  try {
    return await collectAndPublish({ database, sources: held, week, mode: 'reextract', events }, async (url) => {
      const entry = archived.get(url);
      if (!entry?.hash) throw new MissingPageError(url, `${url} was not archived in ${week}`);
      const raw = await loadRawPage(database.db, entry.hash, url);
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
