/** Read-only listings: sources, facts, runs, unmatched. Each takes --json. */
import type { Command } from 'commander';
import { listRuns, listUnmatched, queryFacts } from '../pipelines/store/queries.js';
import { parseWeek } from '../schema/week.js';
import { isoTimestamp } from '../pipelines/store/rows.js';
import { runDetail, runJson } from '../pipelines/store/runs.js';
import { printRunDetail } from './run-detail.js';
import { Attribute } from '../schema/attributes.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { factCsvRow, factJson, factRow } from './format.js';
import { printList } from './output.js';
import { modelFromOption } from './model-lookup.js';

export function registerQueryCommands(program: Command): void {
  program
    .command('sources')
    .description('list the sources: id, kind, fetch mode, authority, declared hosts')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      // the extractors (and their parsers) load only for the commands that use them
      const { SOURCES } = await import('../extractors/registry.js');
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
    .option('--model <name>', 'any name of the model: canonical id, bare name, LiteLLM key, OpenRouter id (any case)')
    .option('--attribute <name>', `one of: ${Attribute.options.join(', ')}`)
    .option('--as-of <YYYY-Www>', 'what was known in that week (default: current)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: { model?: string; attribute?: string; asOf?: string; json?: boolean; csv?: boolean }) => {
      if (opts.attribute && !Attribute.safeParse(opts.attribute).success) {
        throw new UsageError(`unknown attribute ${JSON.stringify(opts.attribute)} (one of: ${Attribute.options.join(', ')})`);
      }
      const asOf = opts.asOf ? parseWeek(opts.asOf) : undefined;
      await withDatabase(async ({ db }) => {
        const model = await modelFromOption(db, opts.model);
        const rows = await queryFacts(db, { model, attribute: opts.attribute, asOf });
        printList(
          rows.map(factJson),
          rows.map((f) => (opts.csv ? factCsvRow(f) : { model: f.modelId, ...factRow(f) })),
          opts,
        );
      });
    });

  program
    .command('runs')
    .description('list refresh runs with per-source status and counts')
    .option('--limit <n>', 'how many, newest first', '20')
    .option('--id <n>', 'instead: one run, with each source’s status and reason and its extraction problems')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; id?: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer (got ${opts.limit})`);
      const id = opts.id === undefined ? undefined : Number(opts.id);
      if (id !== undefined && (!Number.isInteger(id) || id < 1)) throw new UsageError(`--id must be a run id (got ${opts.id})`);
      await withDatabase(async ({ db }) => {
        if (id !== undefined) {
          const run = await runDetail(db, id);
          if (!run) throw new UsageError(`no run ${id} (see \`modelfacts runs\`)`);
          printRunDetail(run, opts.json);
          return;
        }
        const rows = await listRuns(db, limit);
        printList(
          rows.map(runJson),
          rows.map((r) => ({
            id: r.id,
            week: r.week,
            mode: r.mode,
            status: r.status,
            started: isoTimestamp(r.startedAt),
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
    .description('model names a source used that no alias or rule matched, with counts and the reason (unknown-family, unknown-creator, ambiguous with its candidates), latest run per source')
    .option('--source <id>', 'only this source')
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; json?: boolean }) => {
      const { sourceOption } = await import('./options.js');
      const source = sourceOption(opts.source);
      await withDatabase(async ({ db }) => {
        const rows = await listUnmatched(db, source);
        printList(rows, rows, opts, ['sourceId', 'name', 'count', 'reason', 'candidates']);
      });
    });
}
