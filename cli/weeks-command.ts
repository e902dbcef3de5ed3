/** `weeks`: the weeks the database holds; `weeks drop WEEK --yes` removes one (a mistyped or future week). */
import type { Command } from 'commander';
import { dropWeek, listWeeks } from '../pipelines/store/weeks.js';
import { parseWeek } from '../schema/week.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { printList } from './output.js';

export function registerWeeksCommand(program: Command): void {
  const weeks = program
    .command('weeks')
    .description('the weeks stored, with their runs (`weeks drop WEEK --yes` removes one)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const rows = await listWeeks(db);
        printList(rows, rows as unknown as Record<string, unknown>[], opts, ['week', 'runs', 'lastRunId', 'lastStatus', 'lastMode', 'lastStartedAt']);
      });
    });
  weeks
    .command('drop')
    .description("remove one week's runs and versions in one transaction; the weeks around it read as they did")
    .argument('<week>', 'ISO week, e.g. 2026-W17')
    .option('--yes', 'really remove it (nothing else asks)')
    .option('--json', 'print what was removed as JSON')
    .action(async (weekArg: string, _opts: unknown, cmd: Command) => {
      // `weeks` itself takes --json too: read the options of both levels
      const opts = cmd.optsWithGlobals<{ yes?: boolean; json?: boolean }>();
      const week = parseWeek(weekArg);
      if (!opts.yes) throw new UsageError(`weeks drop removes every run and version of ${week}; add --yes to do it`);
      await withDatabase(async (database) => {
        const r = await dropWeek(database, week);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(r, null, 2)}\n`
            : `dropped ${week}: ${r.runs} run(s), ${r.claimsDeleted} claim and ${r.factsDeleted} fact versions removed, ${r.versionsMended} versions mended\n`,
        );
      });
    });
}
