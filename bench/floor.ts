/**
 * The floor of a real week, in its own process (so peak RSS is its own): read
 * and parse the week's catalog files, then COPY one row per claim (source,
 * key, attribute, a value text) into a fresh table of DATABASE_URL. Nothing
 * modelfacts does can take less than this; `npm run bench` prints the ratio.
 * Usage: node --import tsx bench/floor.ts <week folder> <claims>
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { chunksOf, copyField } from '../pipelines/store/copy.js';
import { realDataWeekEntries } from '../pipelines/fetch/real-data.js';

const [folder, claimsArg] = process.argv.slice(2);
if (!folder || !claimsArg) throw new Error('usage: bench/floor.ts <week folder> <claims>');
const claims = Number(claimsArg);
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
await client.connect();
await client.query('drop table if exists bench_floor');
await client.query('create table bench_floor (source text, key text, attribute text, value text)');

const t0 = performance.now();
const leaves: [string, string, string][] = [];
for (const entry of realDataWeekEntries(folder)) {
  const json = JSON.parse(readFileSync(entry.file, 'utf8')) as unknown;
  // every scalar of the catalog is a candidate claim: walk until there are enough
  const walk = (v: unknown, key: string, attr: string) => {
    if (leaves.length >= claims * 3) return;
    if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, attr ? key : k, k);
    else leaves.push([entry.url, key, `${attr}=${String(v)}`]);
  };
  walk(json, '', '');
}
// the COPY text in chunks of about 256 KB, by the store's own chunker (pipelines/store/copy.ts): a stream write per
// row made this floor four times slower (0.72–0.86 s against 0.19–0.23 s for a real week), all of it in the stream
const picked = Array.from({ length: claims }, (_, i) => leaves[i % leaves.length]!);
const rows = chunksOf(picked, ([source, key, value]) => `${copyField(source)}\t${copyField(key)}\t${copyField(value.split('=')[0])}\t${copyField(value)}`, 1 << 18);
await client.query('begin');
await pipeline(Readable.from(rows), client.query(copyFrom('copy bench_floor from stdin')));
await client.query('commit');
const seconds = (performance.now() - t0) / 1000;
await client.query('drop table bench_floor');
await client.end();
process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6, rows: claims, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
