/**
 * Where the review app's time goes: serves the queue, a model page and an
 * action against a loaded database, records every SQL statement they issue
 * with its time, and prints the slowest with `EXPLAIN (ANALYZE, BUFFERS)`.
 * A profiling aid, not a benchmark (no targets).
 * Usage: DATABASE_URL=postgres://… node --import tsx bench/review-explain.ts [path …]
 */
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import * as tables from '../schema/tables.js';
import type { Database, Db } from '../pipelines/store/db.js';
import { createReviewApp } from '../review/app.js';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('review-explain: set DATABASE_URL to a loaded database');
  process.exit(2);
}
const paths = process.argv.slice(2);
if (paths.length === 0) paths.push('/', '/?model=openai%2Fgpt-image-1-mini', '/models/openai/gpt-4o');

interface Seen {
  text: string;
  values: unknown[];
  ms: number;
  path: string;
}
const seen: Seen[] = [];
let current = '';
type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;
// pool.query (with no callback) and a checked-out client's query answer promises; pool.query's own inner call takes a callback
const protos = [pg.Client.prototype, pg.Pool.prototype] as unknown as { query: QueryFn }[];
const originals = protos.map((p) => p.query);
protos.forEach((proto, i) => (proto.query = recording(originals[i]!)));
function recording(original: QueryFn): QueryFn {
  return function (this: pg.Client, ...args: unknown[]) {
  const config = args[0] as { text?: string; values?: unknown[] } | string;
  const text = typeof config === 'string' ? config : (config.text ?? '');
  const values = (typeof config === "string" ? undefined : config.values) ?? (args[1] as unknown[] | undefined) ?? [];
  const t0 = performance.now();
  const out = original.apply(this, args);
  const path = current;
  if (out && typeof (out as Promise<unknown>).then === 'function' && !text.startsWith('EXPLAIN')) {
    void (out as Promise<unknown>).then(
      () => seen.push({ text, values, ms: performance.now() - t0, path }),
      () => undefined,
    );
  }
  return out;
  };
}

const pool = new pg.Pool({ connectionString: url, max: 6 });
const db = drizzle(pool, { schema: tables }) as unknown as Db;
const database: Database = {
  db,
  kind: 'postgres',
  describe: 'postgres (profiling)',
  raw: { url },
  lock: async () => async () => undefined,
  close: () => pool.end(),
};
const app = createReviewApp({ database, by: 'profile' });
try {
  for (const path of paths) {
    // once to warm the caches, then the measured request
    await (await app.request(path)).arrayBuffer();
    seen.length = 0;
    current = path;
    const t0 = performance.now();
    const res = await app.request(path);
    const body = await res.arrayBuffer();
    const total = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 10));
    const mine = seen.filter((s) => s.path === path).sort((a, b) => b.ms - a.ms);
    const sqlMs = mine.reduce((n, s) => n + s.ms, 0);
    console.log(`\n=== ${path}: ${res.status}, ${(body.byteLength / 1024).toFixed(0)} KB, ${total.toFixed(0)} ms total, ${mine.length} statements, ${sqlMs.toFixed(0)} ms in SQL (overlapping)`);
    for (const s of mine.slice(0, 4)) {
      console.log(`\n--- ${s.ms.toFixed(1)} ms: ${s.text.replace(/\s+/g, ' ').slice(0, 300)}`);
      const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, s.values);
      for (const row of plan.rows as { 'QUERY PLAN': string }[]) console.log(row['QUERY PLAN']);
    }
  }
} finally {
  protos.forEach((proto, i) => (proto.query = originals[i]!));
  await pool.end();
}
