/** History commands: diff between weeks, re-extraction of a past week, and the scheduled refresh daemon. */
import type { Command } from 'commander';
import cron from 'node-cron';
import { diffWeeks, pageDiff, type FactChange } from '../pipelines/report/diff.js';
import { reextractWeek } from '../pipelines/run/reextract.js';
import { LockHeldError } from '../pipelines/store/lock.js';
import { parseWeek } from '../schema/week.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { formatQualifiers, formatValue } from './format.js';
import { log, progressReporter } from './progress.js';
import { safeText } from './terminal.js';
import { modelFromOption } from './model-lookup.js';
import { selectSources } from './options.js';
import { lastRefreshStart, missedSlot } from '../pipelines/run/catch-up.js';
import { qualifierFilter } from './qualifier-options.js';
import { Attribute } from '../schema/attributes.js';
import { planRefresh, reportRun, runRefresh, type RefreshArgs } from './run-commands.js';

const CHANGE_KINDS = ['values', 'sources', 'all'] as const;
type ChangeKinds = (typeof CHANGE_KINDS)[number];

function describeChange(c: FactChange, kind: string): string {
  const head = `${kind} ${c.modelId} ${c.attribute}${Object.keys(c.qualifiers).length ? ` [${formatQualifiers(c.qualifiers)}]` : ''}`;
  const value =
    kind === '+'
      ? formatValue(c.after?.value)
      : kind === '-'
        ? formatValue(c.before?.value)
        : c.kind === 'sources'
          ? `${formatValue(c.after?.value)} (unchanged; sources changed)`
          : `${formatValue(c.before?.value)} → ${formatValue(c.after?.value)}`;
  const lines = [`${head}: ${value} (${(c.after ?? c.before)!.sources.join(', ')})`];
  for (const cand of c.candidates) {
    lines.push(
      `    ${cand.sourceId}${cand.via ? ` via ${cand.via}` : ''}: ${cand.before ? formatValue(cand.before) : '(none)'} → ${cand.after ? formatValue(cand.after) : '(none)'}`,
    );
  }
  return lines.join('\n');
}

/** Counts for the summary line: value changes split by kind, and the changes only in what sources said. */
function diffSummary(d: { added: FactChange[]; removed: FactChange[]; changed: FactChange[] }) {
  const changed = d.changed.filter((c) => c.kind === 'value').length;
  return {
    valueChanges: d.added.length + d.removed.length + changed,
    added: d.added.length,
    removed: d.removed.length,
    changed,
    sourceChanges: d.changed.length - changed,
  };
}

export function registerHistoryCommands(program: Command): void {
  program
    .command('diff')
    .description('facts added, removed and changed between two weeks (old → new, with sources)')
    .argument('<from>', 'ISO week, e.g. 2026-W16')
    .argument('<to>', 'ISO week, e.g. 2026-W17')
    .option('--model <name>', 'only this model (any name of it)')
    .option('--attribute <name>', `only this attribute (${Attribute.options.join(', ')})`)
    .option('--route <route>', 'only facts on this route')
    .option('--changes <kind>', 'values: chosen values that changed (and facts added or removed); sources: only what sources said; all', 'values')
    .option('--page <url>', 'instead: a unified diff of that page’s text between the two weeks')
    .option('--json', 'print JSON')
    .action(async (fromArg: string, toArg: string, opts: { model?: string; attribute?: string; route?: string; changes: string; page?: string; json?: boolean }) => {
      const from = parseWeek(fromArg);
      const to = parseWeek(toArg);
      if (!(CHANGE_KINDS as readonly string[]).includes(opts.changes)) {
        throw new UsageError(`--changes must be one of ${CHANGE_KINDS.join(', ')} (got ${JSON.stringify(opts.changes)})`);
      }
      const changes = opts.changes as ChangeKinds;
      if (opts.attribute && !Attribute.safeParse(opts.attribute).success) {
        throw new UsageError(`unknown attribute ${JSON.stringify(opts.attribute)} (one of: ${Attribute.options.join(', ')})`);
      }
      const route = opts.route === undefined ? undefined : qualifierFilter({ route: opts.route }).route;
      await withDatabase(async ({ db }) => {
        const model = await modelFromOption(db, opts.model);
        if (opts.page) {
          const patch = await pageDiff(db, opts.page, from, to);
          process.stdout.write(opts.json ? `${JSON.stringify({ url: opts.page, from, to, patch })}\n` : safeText(patch));
          return;
        }
        const full = await diffWeeks(db, from, to, { model, attribute: opts.attribute, route });
        const summary = diffSummary(full);
        const keep = (c: FactChange) => changes === 'all' || (changes === 'values' ? c.kind === 'value' : c.kind === 'sources');
        const d = { ...full, added: full.added.filter(keep), removed: full.removed.filter(keep), changed: full.changed.filter(keep) };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ ...d, changes, summary }, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `${from} → ${to}: ${summary.valueChanges} value changes (${summary.added} added, ${summary.removed} removed, ` +
            `${summary.changed} changed), ${summary.sourceChanges} changes only in what sources said` +
            `${changes === 'all' ? '' : ` — showing ${changes === 'values' ? 'value changes' : 'source changes'} (--changes all for both)`}\n`,
        );
        for (const c of d.added) process.stdout.write(`${safeText(describeChange(c, '+'))}\n`);
        for (const c of d.removed) process.stdout.write(`${safeText(describeChange(c, '-'))}\n`);
        for (const c of d.changed) process.stdout.write(`${safeText(describeChange(c, '~'))}\n`);
      });
    });

  program
    .command('reextract')
    .description("re-run today's extractors over a past week's archived pages (no fetching) and republish that week")
    .requiredOption('--week <YYYY-Www>', 'the week to re-extract')
    .option('--source <id...>', 'only these sources')
    .option('--json', 'print the run record as JSON')
    .action(async (opts: { week: string; source?: string[]; json?: boolean }) => {
      const week = parseWeek(opts.week);
      const sources = selectSources(opts.source);
      await withDatabase(async (database) => {
        const result = await reextractWeek(database, week, sources, progressReporter());
        reportRun(result, opts.json);
      });
    });

  program
    .command('schedule')
    .description('run the refresh on a cron schedule (UTC) until stopped; overlapping runs are refused by the lock')
    .option('--cron <expr>', 'cron expression (5 or 6 fields, UTC)', '0 6 * * 1')
    .option('--timezone <tz>', 'time zone of the expression', 'UTC')
    .option('--source <id...>', 'only these sources')
    .option('--replay <folder>', 'refresh from this archive instead of the live sites (testing)')
    .action(async (opts: { cron: string; timezone: string; source?: string[]; replay?: string }) => {
      if (!cron.validate(opts.cron)) throw new UsageError(`invalid cron expression: ${JSON.stringify(opts.cron)}`);
      checkTimezone(opts.timezone);
      const args: RefreshArgs = { source: opts.source, replay: opts.replay };
      // bad input (a missing replay folder, an unknown source) stops here, not at every tick
      planRefresh(args);
      await withDatabase(async (database) => {
        let current: Promise<unknown> | undefined;
        let lastStart = (await lastRefreshStart(database.db)) ?? undefined;
        const runOnce = (reason: 'scheduled' | 'catch-up', extra: Record<string, unknown> = {}) => {
          if (current || stopping) return current; // one run at a time; the lock refuses other processes
          lastStart = Date.now();
          current = (async () => {
            log('schedule.run.started', { cron: opts.cron, reason, ...extra });
            try {
              const r = await runRefresh(database, args);
              log('schedule.run.finished', { runId: r.runId, status: r.status, counts: r.counts });
            } catch (error) {
              const skipped = error instanceof LockHeldError;
              log(skipped ? 'schedule.run.skipped' : 'schedule.run.failed', { error: (error as Error).message });
            } finally {
              current = undefined;
            }
          })();
          return current;
        };
        const task = cron.schedule(opts.cron, () => runOnce('scheduled'), {
          timezone: opts.timezone,
          noOverlap: true,
          name: 'modelfacts-refresh',
          logger: cronLogger,
        });
        const match = (d: Date) => task.match(d);
        const catchUp = () => {
          const slot = missedSlot(match, new Date(), lastStart);
          if (slot && !current) void runOnce('catch-up', { missed: slot.toISOString() });
        };
        let stopping = false;
        // the clock jumped or the machine slept over a tick: noticed within a minute
        const watchdog = setInterval(() => {
          if (!stopping) catchUp();
        }, 60_000);
        // the signal handlers come first: a run's synchronous start (reading an archive) must not leave
        // a window in which Ctrl-C kills the daemon mid-run; a second signal while stopping is ignored
        const stopped = new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            if (stopping) return;
            stopping = true;
            log('schedule.stopping', { signal });
            clearInterval(watchdog);
            void Promise.resolve(task.stop())
              .then(() => current)
              .then(() => resolve());
          };
          process.on('SIGTERM', () => stop('SIGTERM'));
          process.on('SIGINT', () => stop('SIGINT'));
        });
        log('schedule.started', { cron: opts.cron, timezone: opts.timezone, next: task.getNextRun()?.toISOString() });
        catchUp();
        await stopped;
        await task.destroy();
        log('schedule.stopped');
      });
    });
}

/** node-cron's own messages as JSON log lines (its default logger prints coloured text into the JSON log). */
const cronLogger = {
  info: (message: string) => log('schedule.cron', { level: 'info', message }),
  warn: (message: string) => log('schedule.cron', { level: 'warn', message }),
  error: (message: string | Error, err?: Error) => log('schedule.cron', { level: 'error', message: String(message), error: err?.message }),
  debug: () => undefined,
};

function checkTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch (cause) {
    throw new UsageError(`unknown time zone ${JSON.stringify(tz)} (use an IANA name like UTC or Europe/Berlin)`, { cause });
  }
}
