/**
 * `npm run bench`: real-data figures, printed (not asserted).
 *  1. one real week of the three catalogs into a fresh Postgres database, end to end;
 *  2. the same week again, unchanged (no new claim rows expected);
 *  3. the remaining real weeks in order, with the database size after each;
 *  4. `facts --model <id> --as-of <week>` query time on that database;
 *  5. the floor (parse the files + COPY one row per claim) in the same run, and the ratio: the first
 *     week and the floor alternate BENCH_PAIRS times (default 3), each week compared with the floors
 *     measured just before and after it, the median of the ratios printed;
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

/** What bench/step.ts prints for one run. */
interface StepFigures {
  folder: string;
  status: string;
  problems: string[];
  seconds: number;
  cpuSeconds: number;
  claimsValid: number;
  claimsAdded: number;
  facts: number;
  claimsPerSecond: number;
  peakRssMb: number;
}
/** What bench/floor.ts prints. */
interface FloorFigures {
  seconds: number;
  cpuSeconds: number;
  rows: number;
  peakRssMb: number;
}

/** One bench/step.ts run (a week into the database `stepEnv` names) in a process of its own. */
const stepIn = (stepEnv: NodeJS.ProcessEnv, folder: string): StepFigures =>
  JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/step.ts', folder], { env: stepEnv, encoding: 'utf8' }));
/** Migrates the database `stepEnv` names. */
const migrateIn = (stepEnv: NodeJS.ProcessEnv) => execFileSync(process.execPath, ['bin/modelfacts.js', 'migrate'], { env: stepEnv, stdio: 'ignore' });

// BENCH_PARTS=weeks,pglite,scale (default all) runs only some parts
const parts = new Set((process.env.BENCH_PARTS ?? 'weeks,pglite,scale').split(','));
try {
  migrateIn(env);
  const step = (folder: string) => stepIn(env, folder);
  const dbSize = async () =>
    Number((await adminQuery(`select pg_database_size('${name}') as s`)).rows[0].s) / 1024 / 1024;
  const weeks = realDataWeeks(realData);
  const base = await dbSize();

  let firstSeconds: number | undefined;
  if (parts.has('weeks')) {
    // the first week and the floor side by side, alternating, BENCH_PAIRS times (default 3): week, floor, week,
    // floor, … This machine's speed drifts from one minute to the next, so each week is compared with the mean of
    // the floors just before and just after it (the first week with the one after it: the floor copies as many rows
    // as the week has claims, known once it ran), and the median sums the runs up. Every repetition but the last
    // goes into a database of its own; the last into the one the later weeks build on.
    const pairs = Math.max(1, Number(process.env.BENCH_PAIRS ?? 3));
    const floorOf = (claims: number): FloorFigures =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'bench/floor.ts', weeks[0]!, String(claims)], { env, encoding: 'utf8' }));
    const firsts: StepFigures[] = [];
    const floors: FloorFigures[] = [];
    for (let i = 0; i < pairs; i++) {
      const own = i === pairs - 1 ? undefined : await createPgDatabase();
      try {
        const ownEnv = own ? { ...env, DATABASE_URL: own.url } : env;
        if (own) migrateIn(ownEnv);
        firsts.push(stepIn(ownEnv, weeks[0]!));
      } finally {
        await own?.drop();
      }
      const first = firsts[i]!;
      if (first.status !== 'ok') throw new Error(`first week: the run was ${first.status}: ${first.problems.join('; ')}`);
      floors.push(floorOf(first.claimsValid));
    }
    const around = (i: number) => (i === 0 ? [floors[0]!] : [floors[i - 1]!, floors[i]!]);
    const ratios = firsts.map((f, i) => f.seconds / (around(i).reduce((sum, x) => sum + x.seconds, 0) / around(i).length));
    firsts.forEach((first, i) => {
      const fl = around(i).map((f) => `${f.seconds.toFixed(2)} s (${f.cpuSeconds.toFixed(2)} s CPU)`).join(' / ');
      console.log(
        `first week ${first.folder.split('/').pop()}, run ${i + 1} of ${pairs}: ${first.seconds.toFixed(2)} s wall (${first.cpuSeconds.toFixed(2)} s CPU in the process), ${first.claimsValid} claims (${first.claimsPerSecond}/s), ${first.facts} facts, peak RSS ${first.peakRssMb} MB; floor ${i === 0 ? 'after it' : 'before / after it'} (parse the three files + COPY ${floors[i]!.rows} rows) ${fl}: ${ratios[i]!.toFixed(1)}× the floor`,
      );
    });
    const middle = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    firstSeconds = middle(firsts.map((f) => f.seconds));
    console.log(
      `first week vs the floor, ${pairs} run(s): median ${middle(ratios).toFixed(1)}× (${ratios.map((r) => r.toFixed(1)).join(' / ')}); wall median ${firstSeconds.toFixed(2)} s; floor ${floors.map((f) => f.seconds.toFixed(2)).join(' / ')} s; peak RSS ${firsts.map((f) => f.peakRssMb).join(' / ')} MB`,
    );
    const first = firsts[firsts.length - 1]!;
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
    migrateIn(penv);
    const p = stepIn(penv, weeks[0]!);
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
        migrateIn(kenv);
        const r = stepIn(kenv, folder);
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
