/** Read-only listings: sources, facts, runs, unmatched. Each takes --json. */
import type { Command } from 'commander';
import { SOURCES } from '../extractors/registry.js';
import { listRuns, listUnmatched, queryFacts } from '../pipelines/store/queries.js';
import { parseWeek } from '../schema/week.js';
import { Attribute } from '../schema/attributes.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { factJson, factRow } from './format.js';
import { printList } from './output.js';
import { modelOption, sourceOption } from './options.js';

export function registerQueryCommands(program: Command): void {
  program
    .command('sources')
    .description('list the sources: id, kind, fetch mode, authority, declared hosts')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const data = SOURCES.map((s) => ({
        id: s.id,
        kind: s.kind,
        fetchMode: s.fetchMode,
        authority: s.authority,
        ownRoute: s.ownRoute ?? null,
        hosts: s.hosts,
        version: s.version,
        description: s.description,
      }));
      printList(
        data,
        data.map((d) => ({ ...d, hosts: d.hosts.join(' ') })),
        opts,
        ['id', 'kind', 'fetchMode', 'authority', 'hosts', 'description'],
      );
    });

  program
    .command('facts')
    .description('list reconciled facts, each with its candidates and their provenance')
    .option('--model <id>', 'canonical model id, e.g. openai/gpt-image-1-mini')
    .option('--attribute <name>', `one of: ${Attribute.options.join(', ')}`)
    .option('--as-of <YYYY-Www>', 'what was known in that week (default: current)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: { model?: string; attribute?: string; asOf?: string; json?: boolean; csv?: boolean }) => {
      const model = modelOption(opts.model);
      if (opts.attribute && !Attribute.safeParse(opts.attribute).success) {
        throw new UsageError(`unknown attribute ${JSON.stringify(opts.attribute)} (one of: ${Attribute.options.join(', ')})`);
      }
      const asOf = opts.asOf ? parseWeek(opts.asOf) : undefined;
      await withDatabase(async ({ db }) => {
        const rows = await queryFacts(db, { model, attribute: opts.attribute, asOf });
        printList(
          rows.map(factJson),
          rows.map((f) => ({ model: f.modelId, ...factRow(f) })),
          opts,
        );
      });
    });

  program
    .command('runs')
    .description('list refresh runs with per-source status and counts')
    .option('--limit <n>', 'how many, newest first', '20')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer (got ${opts.limit})`);
      await withDatabase(async ({ db }) => {
        const rows = await listRuns(db, limit);
        printList(
          rows,
          rows.map((r) => ({
            id: r.id,
            week: r.week,
            mode: r.mode,
            status: r.status,
            started: r.startedAt,
            claims: r.counts.claims,
            facts: r.counts.facts,
            broken: Object.entries(r.sourceStatus)
              .filter(([, s]) => s.status !== 'ok')
              .map(([id, s]) => `${id} (${s.status})`)
              .join(', '),
          })),
          opts,
        );
      });
    });

  program
    .command('unmatched')
    .description('model names a source used that no alias matched, with counts (latest run per source)')
    .option('--source <id>', 'only this source')
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; json?: boolean }) => {
      const source = sourceOption(opts.source);
      await withDatabase(async ({ db }) => {
        const rows = await listUnmatched(db, source);
        printList(rows, rows, opts, ['sourceId', 'name', 'count']);
      });
    });
}
