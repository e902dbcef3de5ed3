/**
 * Extraction issues: each distinct one (source, URL, message, detail) stored once in
 * extraction_issue_texts, keyed by the database's extraction_issue_key; a run's issues
 * point at them in the order the run recorded them.
 */
import { sql } from 'drizzle-orm';
import type { ExtractionIssue } from '../../schema/observation.js';
import type { Tx } from './db.js';
import { chunks } from './versions.js';

/** Records `issues` for the run: texts not stored yet are added, then the run's references in order. */
export async function insertIssues(tx: Tx, runId: number, issues: readonly ExtractionIssue[]): Promise<void> {
  let ord = 0;
  for (const batch of chunks([...issues], 500)) {
    const rows = JSON.stringify(batch.map((i) => ({ ord: ord++, source_id: i.sourceId, url: i.url, message: i.message, detail: i.detail ?? null })));
    const input = sql`jsonb_to_recordset(${rows}::jsonb) as x(ord int, source_id text, url text, message text, detail jsonb)`;
    await tx.execute(sql`
      insert into extraction_issue_texts (key, source_id, url, message, detail)
      select distinct on (k) k, source_id, url, message, detail
      from (select extraction_issue_key(x.source_id, x.url, x.message, x.detail) as k, x.* from ${input}) s
      order by k, ord
      on conflict (key) do nothing`);
    // a second statement: it sees the texts another run added since the first began
    await tx.execute(sql`
      insert into extraction_issues (run_id, issue_id)
      select ${runId}::int, t.id from ${input}
      join extraction_issue_texts t on t.key = extraction_issue_key(x.source_id, x.url, x.message, x.detail)
      order by x.ord`);
  }
}
