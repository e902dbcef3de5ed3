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
import { modelOption, selectSources } from './options.js';
import { reportRun, runRefresh, type RefreshArgs } from './run-commands.js';

function describeChange(c: FactChange, kind: string): string {
  const head = `${kind} ${c.modelId} ${c.attribute}${Object.keys(c.qualifiers).length ? ` [${formatQualifiers(c.qualifiers)}]` : ''}`;
  const value =
    kind === '+'
      ? formatValue(c.after?.value)
      : kind === '-'
        ? formatValue(c.before?.value)
        : `${formatValue(c.before?.value)} → ${formatValue(c.after?.value)}`;
  const lines = [`${head}: ${value} (${(c.after ?? c.before)!.sources.join(', ')})`];
  for (const cand of c.candidates) {
    lines.push(
      `    ${cand.sourceId}${cand.via ? ` via ${cand.via}` : ''}: ${cand.before ? formatValue(cand.before) : '(none)'} → ${cand.after ? formatValue(cand.after) : '(none)'}`,
    );
  }
  return lines.join('\n');
}

export function registerHistoryCommands(program: Command): void {
  program
    .command('diff')
    .description('facts added, removed and changed between two weeks (old → new, with sources)')
    .argument('<from>', 'ISO week, e.g. 2026-W16')
    .argument('<to>', 'ISO week, e.g. 2026-W17')
    .option('--model <id>', 'only this model')
    .option('--page <url>', 'instead: a unified diff of that page’s text between the two weeks')
    .option('--json', 'print JSON')
    .action(async (fromArg: string, toArg: string, opts: { model?: string; page?: string; json?: boolean }) => {
      const from = parseWeek(fromArg);
      const to = parseWeek(toArg);
      const model = modelOption(opts.model, (id) => `--model must be creator/slug (got ${id})`);
      await withDatabase(async ({ db }) => {
        if (opts.page) {
          const patch = await pageDiff(db, opts.page, from, to);
          process.stdout.write(opts.json ? `${JSON.stringify({ url: opts.page, from, to, patch })}\n` : patch);
          return;
        }
        const d = await diffWeeks(db, from, to, { model });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${from} → ${to}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed\n`);
        for (const c of d.added) process.stdout.write(`${describeChange(c, '+')}\n`);
        for (const c of d.removed) process.stdout.write(`${describeChange(c, '-')}\n`);
        for (const c of d.changed) process.stdout.write(`${describeChange(c, '~')}\n`);
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
      if (opts.source) selectSources(opts.source);
      await withDatabase(async (database) => {
        const args: RefreshArgs = { source: opts.source, replay: opts.replay };
        let current: Promise<unknown> = Promise.resolve();
        const task = cron.schedule(
          opts.cron,
          () => {
            current = (async () => {
              log('schedule.run.started', { cron: opts.cron });
              try {
                const r = await runRefresh(database, args);
                log('schedule.run.finished', { runId: r.runId, status: r.status, counts: r.counts });
              } catch (error) {
                const skipped = error instanceof LockHeldError;
                log(skipped ? 'schedule.run.skipped' : 'schedule.run.failed', { error: (error as Error).message });
              }
            })();
            return current;
          },
          { timezone: opts.timezone, noOverlap: true, name: 'modelfacts-refresh' },
        );
        log('schedule.started', { cron: opts.cron, timezone: opts.timezone, next: task.getNextRun()?.toISOString() });
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            log('schedule.stopping', { signal });
            void Promise.resolve(task.stop())
              .then(() => current)
              .then(() => resolve());
          };
          process.once('SIGTERM', () => stop('SIGTERM'));
          process.once('SIGINT', () => stop('SIGINT'));
        });
        await task.destroy();
        log('schedule.stopped');
      });
    });
}
