/**
 * `npm run bench`: real-data figures, printed (not asserted).
 *  1. one real week of the three catalogs into a fresh Postgres database, end to end;
 *  2. the same week again, unchanged (no new claim rows expected);
 *  3. the remaining real weeks in order, with the database size after each;
 *  4. `facts --model <id> --as-of <week>` query time on that database;
 *  5. the floor (parse the files + COPY one row per claim) in the same run, and the ratio;
 *  6. PGlite's first week; 7. the first week made 1×, 2×, 4× larger (scaling curve).
 * Needs MODELFACTS_REAL_DATA (default ../shared/real-data) and a Postgres server
 * (MODELFACTS_TEST_PG, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase } from '../pipelines/store/db.js';
import { queryFacts } from '../pipelines/store/queries.js';
import { realDataWeeks } from '../pipelines/fetch/real-data.js';
import { ADMIN_URL, createPgDatabase } from '../test/helpers/db.js';
import { writeSyntheticWeek } from './synthetic.js';

const realData = resolve(process.env.MODELFACTS_REAL_DATA ?? '../shared/real-data');
if (!existsSync(realData)) {
  console.error(`bench: no real data at ${realData}; set MODELFACTS_REAL_DATA`);
  process.exit(2);
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
console.log(`load average (1 / 5 / 15 min) at start: ${load()}`);
process.on('exit', () => console.log(`load average at end: ${load()}`));
const bench = await createPgDatabase();
const env = { ...process.env, DATABASE_URL: bench.url };
const name = new URL(bench.url).pathname.slice(1);

async function adminQuery(text: string) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

// BENCH_PARTS=weeks,pglite,scale (default all) runs only some parts
const parts = new Set((process.env.BENCH_PARTS ?? 'weeks,pglite,scale').split(','));
try {
  execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env, stdio: 'ignore' });
  const step = (folder: string) =>
    JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', folder], { env, encoding: 'utf8' }));
  const dbSize = async () =>
    Number((await adminQuery(`select pg_database_size('${name}') as s`)).rows[0].s) / 1024 / 1024;
  const weeks = realDataWeeks(realData);
  const base = await dbSize();

  let firstSeconds: number | undefined;
  if (parts.has('weeks')) {
    const first = step(weeks[0]!);
    firstSeconds = first.seconds;
    console.log(`first week ${first.folder.split('/').pop()}: ${first.seconds.toFixed(2)} s wall (${first.cpuSeconds.toFixed(2)} s CPU in the process), ${first.claimsValid} claims (${first.claimsPerSecond}/s), ${first.facts} facts, peak RSS ${first.peakRssMb} MB`);
    // the floor, measured now, on the same machine state: parse the files, COPY one row per claim
    const floor = JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', 'bench/floor.ts', weeks[0]!, String(first.claimsValid)], { env, encoding: 'utf8' }),
    );
    console.log(
      `floor (parse the three files + COPY ${floor.rows} rows): ${floor.seconds.toFixed(2)} s (${floor.cpuSeconds.toFixed(2)} s CPU), peak RSS ${floor.peakRssMb} MB; first week = ${(first.seconds / floor.seconds).toFixed(1)}× the floor`,
    );
    const sizes: { week: string; mb: number }[] = [{ week: weeks[0]!.split('/').pop()!, mb: (await dbSize()) - base }];
    console.log(`database after the first week: ${sizes[0]!.mb.toFixed(1)} MB (pg_database_size, less the freshly migrated database's ${base.toFixed(1)} MB)`);
    const again = step(weeks[0]!);
    console.log(`same week again: ${again.seconds.toFixed(2)} s wall, ${again.cpuSeconds.toFixed(2)} s CPU (${Math.round((100 * again.seconds) / first.seconds)} % of first), ${again.claimsAdded} claim rows added, peak RSS ${again.peakRssMb} MB`);
    for (const w of weeks.slice(1)) {
      const r = step(w);
      const mb = (await dbSize()) - base;
      const prev = sizes[sizes.length - 1]!.mb;
      console.log(`week ${w.split('/').pop()}: ${r.seconds.toFixed(2)} s, +${r.claimsAdded} claim rows, database ${mb.toFixed(1)} MB (+${(((mb - prev) / sizes[0]!.mb) * 100).toFixed(1)} % of first-week size)`);
      sizes.push({ week: w.split('/').pop()!, mb });
    }

    const database = await openDatabase({ url: bench.url });
    const lastWeek = sizes[sizes.length - 1]!.week;
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await queryFacts(database.db, { model: 'openai/gpt-image-1-mini', asOf: sizes[1]?.week ?? lastWeek });
      times.push(performance.now() - t0);
    }
    await database.close();
    times.sort((a, b) => a - b);
    console.log(`facts --model openai/gpt-image-1-mini --as-of: median ${times[10]!.toFixed(1)} ms, max ${times[19]!.toFixed(1)} ms (20 runs)`);
    // CLI start on the loaded database: the bundle, fresh (bin/ runs the sources through tsx when it is stale)
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'ignore' });
    const wall = (args: string[]) => {
      const t0 = performance.now();
      execFileSync(process.execPath, args, { env, stdio: 'ignore' });
      return (performance.now() - t0) / 1000;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const runs = (args: string[]) => Array.from({ length: 5 }, () => wall(args));
    const node0 = runs(['-e', '0']);
    const sourcesCmd = runs(['bin/modelfacts.js', 'sources']);
    const factsCmd = runs(['bin/modelfacts.js', 'facts', '--model', 'openai/gpt-image-1-mini']);
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} s (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
    console.log(`CLI start, 5 runs each: \`sources\` ${fmt(sourcesCmd)}; \`facts --model openai/gpt-image-1-mini\` ${fmt(factsCmd)}; \`node -e 0\` ${fmt(node0)}`);
    process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', 'bench/reconcile.ts'], { encoding: 'utf8' }));
  }

  // PGlite, the default database: the first real week into a fresh embedded database
  if (parts.has('pglite')) {
  const pgliteDir = mkdtempSync(join(tmpdir(), 'modelfacts-bench-pglite-'));
  try {
    const penv = { ...process.env, DATABASE_URL: '', MODELFACTS_DATA_DIR: pgliteDir };
    execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env: penv, stdio: 'ignore' });
    const p = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', weeks[0]!], { env: penv, encoding: 'utf8' }));
    const vsPg = firstSeconds ? ` (${(p.seconds / firstSeconds).toFixed(1)}× Postgres)` : '';
    console.log(`PGlite first week: ${p.seconds.toFixed(2)} s wall${vsPg} (${p.cpuSeconds.toFixed(2)} s CPU, the database included), peak RSS ${p.peakRssMb} MB`);
  } finally {
    rmSync(pgliteDir, { recursive: true, force: true });
  }
  }

  // scaling: the first week made 1×, 2×, 4× larger (synthetic copies of its models), each into a fresh database
  if (parts.has('scale')) {
  const synthetic = mkdtempSync(join(tmpdir(), 'modelfacts-bench-scale-'));
  try {
    const curve: { k: number; seconds: number; claims: number; rss: number }[] = [];
    for (const k of [1, 2, 4]) {
      const folder = writeSyntheticWeek(weeks[0]!, k, join(synthetic, `x${k}`, weeks[0]!.split('/').pop()!));
      const db = await createPgDatabase();
      try {
        const kenv = { ...process.env, DATABASE_URL: db.url, BENCH_SKIP_HEALTH: 'litellm,openrouter-api,models-dev' };
        execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env: kenv, stdio: 'ignore' });
        const r = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', folder], { env: kenv, encoding: 'utf8' }));
        if (r.status !== 'ok') throw new Error(`scale ${k}×: the run was ${r.status}: ${r.problems.join('; ')}`);
        curve.push({ k, seconds: r.seconds, claims: r.claimsValid, rss: r.peakRssMb });
      } finally {
        await db.drop();
      }
    }
    const one = curve[0]!;
    for (const c of curve) {
      console.log(
        `scale ${c.k}×: ${c.claims} claims in ${c.seconds.toFixed(2)} s (${((c.seconds / one.seconds) / (c.claims / one.claims)).toFixed(2)}× the 1× cost per claim), peak RSS ${c.rss} MB`,
      );
    }
  } finally {
    rmSync(synthetic, { recursive: true, force: true });
  }
  }
} finally {
  await bench.drop();
}
