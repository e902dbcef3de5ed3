/**
 * Checks that a database written by this code archives what one written by
 * the code before migration 0014 did: every run's extraction issues as
 * `runs --id` and the runs page list them, and every archived body, byte for
 * byte. Replay the same weeks into A with the old code and into B with this
 * code, then
 *   node --import tsx bench/same-archive.ts <database url A (old)> <database url B (new)>
 * Prints the counts, or the first difference and exits 1.
 */
import pg from 'pg';
import { gunzipSync } from 'node:zlib';
import { openDatabase } from '../pipelines/store/db.js';
import { runDetail } from '../pipelines/store/runs.js';
import { runRows } from '../pipelines/store/runs-page.js';
import { loadRawPage } from '../pipelines/store/raw-pages.js';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: bench/same-archive.ts <database url A (old)> <database url B (new)>');
  process.exit(2);
}
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const ca = new pg.Client({ connectionString: a });
await ca.connect();
const db = await openDatabase({ url: b });
const runsA = (await ca.query('select id from runs order by id')).rows.map((r) => r.id as number);
let issues = 0;
const rowsB = await runRows(db.db, 100, 1000);
for (const id of runsA) {
  const want = (await ca.query('select source_id as "sourceId", url, message, detail from extraction_issues where run_id = $1 order by source_id, id', [id])).rows;
  const got = (await runDetail(db.db, id))!.issues;
  if (JSON.stringify(want) !== JSON.stringify(got)) fail(`run ${id}: issues differ`);
  const wantPage = (await ca.query('select source_id as "sourceId", url, message from extraction_issues where run_id = $1 order by id', [id])).rows;
  const gotPage = rowsB.find((r) => r.id === id)!;
  if (JSON.stringify(wantPage) !== JSON.stringify(gotPage.issues) || gotPage.issueCount !== wantPage.length) fail(`run ${id}: runs page differs`);
  issues += want.length;
}
const pages = (await ca.query('select hash, body_gz, content_type from raw_pages order by hash')).rows;
let bytes = 0;
for (const p of pages) {
  const got = await loadRawPage(db.db, p.hash);
  const want = gunzipSync(p.body_gz).toString('utf8');
  if (!got || got.body !== want || got.contentType !== p.content_type) fail(`page ${p.hash} differs`);
  bytes += want.length;
}
console.log(`${runsA.length} runs: ${issues} issues identical (runDetail and the runs page); ${pages.length} pages identical (${bytes} chars)`);
await ca.end();
await db.close();
