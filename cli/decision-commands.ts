/** `modelfacts decisions`: the reviewer decision log, oldest first. */
import type { Command } from 'commander';
import { decisionLog } from '../pipelines/store/decisions.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { formatValue } from './format.js';
import { printList } from './output.js';
import { terminalSafe } from './reviewer.js';
import type { Value } from '../schema/values.js';

export function registerDecisionCommands(program: Command): void {
  program
    .command('decisions')
    .description('the reviewer decision log, oldest first: every decision kept, each naming the one it superseded')
    .option('--conflict <id>', 'only the decisions on this conflict')
    .option('--json', 'print JSON')
    .action(async (opts: { conflict?: string; json?: boolean }) => {
      if (opts.conflict !== undefined && !/^\d+$/.test(opts.conflict.trim())) {
        throw new UsageError(`--conflict must be a conflict id (got ${JSON.stringify(opts.conflict)})`);
      }
      const conflictId = opts.conflict === undefined ? undefined : Number(opts.conflict);
      await withDatabase(async ({ db }) => {
        const log = await decisionLog(db, { conflictId });
        printList(
          log,
          log.map((d) => ({
            id: d.id,
            conflict: d.conflictId,
            action: d.action,
            what: terminalSafe(
              d.action === 'reject' ? `${d.sourceId}${d.via ? ` (via ${d.via})` : ''}` : d.value ? formatValue(d.value as Value) : '',
            ),
            by: terminalSafe(d.by),
            at: d.at,
            week: d.week,
            supersedes: d.supersedes ?? '',
            note: terminalSafe(d.note),
            fact: terminalSafe(d.factKey),
          })),
          opts,
        );
      });
    });
}
