/** Commands that change the database or run the pipeline: migrate, extract, refresh, demo. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { SourceModule } from '../extractors/contract.js';
import { migrateDatabase, openDatabase, refuseNewerSchema, type Database } from '../pipelines/store/db.js';
import { liveTransport } from '../pipelines/fetch/index.js';
import { archiveCovers, loadArchive, startReplayServer, type Archive } from '../pipelines/fetch/replay.js';
import type { PublishResult } from '../pipelines/publish/publish.js';
import { refresh, type RefreshEvents } from '../pipelines/run/refresh.js';
import { checkNotFuture, isoWeek, parseWeek } from '../schema/week.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { selectSources } from './options.js';
import { printList } from './output.js';
import { progressReporter } from './progress.js';
import { safeText } from './terminal.js';
import { printSummary } from './summary.js';
import { assertDemoOnly, demoRefusal } from './demo-guard.js';

/** The week to publish without --week: the archive's week, else a week-named archive folder, else the current week. */
function defaultWeek(replay?: { folder: string; archive: Archive }): string {
  if (replay?.archive.week) return parseWeek(replay.archive.week);
  const name = replay ? basename(resolve(replay.folder)) : '';
  if (/^\d{4}-W\d{2}$/.test(name)) return parseWeek(name);
  return isoWeek(new Date());
}

export interface RefreshArgs {
  source?: string[];
  replay?: string;
  week?: string;
  json?: boolean;
  /** Progress events; default: a terminal display or JSON log lines on stderr. */
  events?: RefreshEvents;
  /** Sources published without health checks. */
  skipHealth?: string[];
  /** Accept a week later than the current one. */
  allowFuture?: boolean;
}

/** A checked refresh: what to run, for which week, from where. Made without the database. */
export interface RefreshPlan {
  sources: SourceModule[];
  week: string;
  replay?: { folder: string; archive: Archive };
  skipHealth: string[];
}

/** Checks a refresh's arguments (sources, week, replay archive); bad input throws before any database is opened. */
export function planRefresh(args: RefreshArgs): RefreshPlan {
  const sources = selectSources(args.source);
  selectSources(args.skipHealth);
  const explicitWeek = args.week ? parseWeek(args.week) : undefined;
  const replay = args.replay ? { folder: args.replay, archive: loadArchive(args.replay) } : undefined;
  const week = checkNotFuture(explicitWeek ?? defaultWeek(replay), args.allowFuture ?? false);
  if (!replay) return { sources, week, skipHealth: args.skipHealth ?? [] };
  // without --source, a replay runs the sources the archive holds pages for (a real-data week holds three catalogs)
  const covered = args.source?.length
    ? sources
    : sources.filter((s) => archiveCovers(replay.archive, [...(s.pages ?? []), ...(s.index?.urls ?? [])]));
  if (covered.length === 0) throw new UsageError(`the replay archive ${replay.folder} holds no page of the selected sources`);
  return { sources: covered, week, replay, skipHealth: args.skipHealth ?? [] };
}

/** Runs one refresh (live or from a replay archive) against an open database; `plan` when the arguments were checked already. */
export async function runRefresh(database: Database, args: RefreshArgs, plan: RefreshPlan = planRefresh(args)) {
  const server = plan.replay ? await startReplayServer(plan.replay.archive) : undefined;
  try {
    return await refresh({
      database,
      sources: plan.sources,
      week: plan.week,
      mode: server ? 'replay' : 'live',
      transport: server?.transport ?? liveTransport,
      health: { skipFor: plan.skipHealth },
      events: args.events ?? progressReporter(),
    });
  } finally {
    await server?.close();
  }
}

export function reportRun(result: PublishResult, json?: boolean): void {
  const week = result.week;
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    process.stdout.write(
      `run ${result.runId} (${week}): ${result.status} — ${result.counts.claims} claims valid this week ` +
        `(+${result.counts.claimsAdded} new versions, ${result.counts.claimsClosed} closed), ${result.counts.facts} facts, ` +
        `${result.counts.needsReview} need review, ${result.counts.issues} extraction issues, ${result.counts.unmatched} unmatched names\n`,
    );
    for (const [id, s] of Object.entries(result.sourceStatus)) {
      if (s.status !== 'ok') {
        process.stdout.write(safeText(`  ${id}: ${s.status} — ${s.reason ?? ''}${s.lastGoodWeek ? ` (keeping claims from ${s.lastGoodWeek})` : ''}\n`));
      }
    }
  }
  if (result.status !== 'ok') process.exitCode = 1;
}

/** The bundled replay weeks under fixtures/replay/, oldest first. */
export function bundledWeeks(root = resolve('fixtures', 'replay')): string[] {
  if (!existsSync(root)) throw new UsageError(`no bundled replay weeks: ${root} does not exist (run from a checkout)`);
  return readdirSync(root)
    .filter((d) => /^\d{4}-W\d{2}$/.test(d) && existsSync(join(root, d, 'manifest.json')))
    .sort()
    .map((d) => join(root, d));
}

export function registerRunCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply the SQL migrations to the database (DATABASE_URL, or the embedded one in ./.modelfacts/)')
    .action(async () => {
      const database = await openDatabase();
      try {
        await refuseNewerSchema(database);
        await migrateDatabase(database);
        process.stdout.write(`migrated ${database.describe}\n`);
      } finally {
        await database.close();
      }
    });

  program
    .command('extract')
    .description('run one source extractor on a saved page and print its observations (no database)')
    .argument('<source>', 'source id (see `modelfacts sources`)')
    .argument('<file>', 'saved page (HTML or JSON)')
    .option('--url <url>', 'the URL the page was fetched from (default: a file:// URL)')
    .option('--json', 'print JSON')
    .action((sourceId: string, file: string, opts: { url?: string; json?: boolean }) => {
      const source = selectSources([sourceId])[0]!;
      if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
      const url = opts.url ?? pathToFileURL(resolve(file)).toString();
      try {
        new URL(url);
      } catch (cause) {
        throw new UsageError(`--url is not a URL: ${url}`, { cause });
      }
      const page = { url, body: readFileSync(file, 'utf8'), contentType: '', fetchedAt: new Date().toISOString() };
      const extraction = source.extract(page);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ source: source.id, url, ...extraction }, null, 2)}\n`);
        return;
      }
      printList(
        extraction.observations,
        extraction.observations.map((o) => ({
          model: o.model,
          attribute: o.attribute,
          qualifiers: Object.entries(o.qualifiers)
            .map(([k, v]) => `${k}=${v}`)
            .join(' '),
          value: o.value,
          excerpt: o.excerpt,
        })),
        {},
      );
    });

  program
    .command('refresh')
    .description('fetch every source (or a replay archive), extract, reconcile and publish the week')
    .option('--source <id...>', 'only these sources')
    .option('--replay <folder>', 'serve a recorded archive (fixtures/replay/<week> or a real-data week folder) instead of the live sites')
    .option('--week <YYYY-Www>', 'the ISO week to publish (default: the archive week, else the current week)')
    .option('--skip-health <id...>', 'publish these sources without the drift/health checks (after reviewing an expected drop)')
    .option('--allow-future', 'accept a --week later than the current ISO week')
    .option('--json', 'print the run record as JSON')
    .action(async (opts: RefreshArgs) => {
      // bad input is reported before the database is opened
      const plan = planRefresh(opts);
      await withDatabase(async (database) => {
        const stop = interruptible();
        try {
          reportRun(await runRefresh(database, opts, plan), opts.json);
        } finally {
          stop();
        }
      });
    });

  program
    .command('demo')
    .description('replay the bundled weeks under fixtures/replay/ in order and print a summary (what `npm start` runs)')
    .option('--yes', 'write the demo weeks even into the database DATABASE_URL names, or one holding other weeks')
    .action(async (opts: { yes?: boolean }) => {
      const folders = bundledWeeks();
      if (process.env.DATABASE_URL && !opts.yes) throw demoRefusal('DATABASE_URL is set');
      await withDatabase(async (database) => {
        if (!opts.yes) await assertDemoOnly(database, folders.map((f) => basename(f)));
        for (const folder of folders) {
          const result = await runRefresh(database, { replay: folder });
          reportRun(result);
        }
        await printSummary(database.db, 'openai/gpt-image-1-mini');
      });
    });
}

/**
 * Ctrl-C or SIGTERM during a one-off refresh: the run's writes are one
 * transaction, so leaving now rolls it back (Postgres drops it with the
 * connection; PGlite recovers on the next open). Say so in one line and exit
 * 130 / 143 instead of dying silently. Returns the function that removes the handlers.
 */
function interruptible(): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      process.stderr.write(`modelfacts: ${signal} received: stopped; the run's uncommitted writes are rolled back (see \`modelfacts runs\`)\n`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.once(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}
