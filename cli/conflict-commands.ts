/** Review commands: the conflict report, reviewer decisions, and source reliability. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  buildConflictReport,
  CONFLICT_STATES,
  FACT_STATUSES,
  findConflict,
  parseDecisionValue,
  reliabilityForWeek,
  type ConflictState,
} from '../pipelines/report/conflicts.js';
import { recordDecision, type DecisionInput } from '../pipelines/run/record-decision.js';
import { parseWeek } from '../schema/week.js';
import type { Attribute } from '../schema/attributes.js';
import type { FactStatus } from '../schema/fact.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { formatQualifiers, formatValue } from './format.js';
import { printList } from './output.js';
import { renderHtml } from './report-html.js';
import { renderMarkdown } from './report-md.js';
import { modelFromOption } from './model-lookup.js';
import { sourceOption } from './options.js';
import { reviewerName, terminalSafe } from './reviewer.js';
import { safeText } from './terminal.js';

function oneOf<T extends string>(option: string, given: string[] | undefined, allowed: readonly T[]): T[] | undefined {
  if (!given) return undefined;
  const words = given.flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
  for (const w of words) {
    if (!(allowed as readonly string[]).includes(w)) {
      throw new UsageError(`${option}: unknown value ${JSON.stringify(w)} (one of: ${allowed.join(', ')})`);
    }
  }
  return words as T[];
}

interface ConflictsOptions {
  format: string;
  status?: string[];
  state?: string[];
  model?: string;
  source?: string;
  week?: string;
  out?: string;
  json?: boolean;
}

interface ResolveOptions {
  value?: string;
  rejectSource?: string;
  equivalent?: boolean;
  defer?: boolean;
  note?: string;
  by?: string;
  json?: boolean;
}

export function registerConflictCommands(program: Command): void {
  program
    .command('conflicts')
    .description(
      'report facts sources disagree on (auto-resolved, needs-review, reviewed): candidates with source, URL, fetch time and excerpt, the chosen value and why, conflict ids for `resolve`, source reliability',
    )
    .option('--format <md|json|html>', 'Markdown (terminal, pull request), JSON, or one self-contained HTML file', 'md')
    .option('--status <status...>', `fact statuses to list (default: auto-resolved needs-review reviewed; any of ${FACT_STATUSES.join(', ')})`)
    .option('--state <state...>', `only conflicts in these states (${CONFLICT_STATES.join(', ')})`)
    .option('--model <name>', 'only this model (any name of it), e.g. openai/gpt-image-1-mini')
    .option('--source <id>', 'only facts with a candidate from this source')
    .option('--week <YYYY-Www>', 'the week to report (default: the latest published week)')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--json', 'same as --format json')
    .action(async (opts: ConflictsOptions) => {
      if (opts.json) opts.format = 'json';
      if (!['md', 'json', 'html'].includes(opts.format)) {
        throw new UsageError(`--format must be md, json or html (got ${JSON.stringify(opts.format)})`);
      }
      const source = sourceOption(opts.source);
      const statuses = oneOf<FactStatus>('--status', opts.status, FACT_STATUSES);
      const states = oneOf<ConflictState>('--state', opts.state, CONFLICT_STATES);
      const week = opts.week === undefined ? undefined : parseWeek(opts.week);
      await withDatabase(async ({ db }) => {
        const model = await modelFromOption(db, opts.model);
        const report = await buildConflictReport(db, { week, statuses, states, model, source });
        const text =
          opts.format === 'json'
            ? `${JSON.stringify(report, null, 2)}\n`
            : opts.format === 'html'
              ? renderHtml(report)
              : renderMarkdown(report);
        if (opts.out) {
          writeFileSync(opts.out, text);
          process.stderr.write(`wrote ${opts.out} (${report.summary.listed} facts, week ${report.week})\n`);
        } else process.stdout.write(safeText(text));
      });
    });

  program
    .command('resolve')
    .description(
      "record a reviewer's decision on a conflict (who, when, note, the candidates seen) and re-reconcile the latest week: a value, a rejected source claim, equivalent, or deferred; decisions are kept in a log, the latest holds while the candidates stay the same",
    )
    .argument('<conflict-id>', 'the conflict id shown by `modelfacts conflicts`')
    .option(
      '--value <value>',
      'the right value, read by the attribute: price 0.005 or $0.005; date 2025-10-06 or 2025-10; licence "Proprietary:conditional"; count 128000 or n/a; list "text, image"; text; or a JSON value',
    )
    .option('--reject-source <source[:via]>', "this source's claim is wrong here: kept, but it does not vote while it says the same")
    .option('--equivalent', 'the candidates mean the same: not a conflict (the chosen value stands)')
    .option('--defer', 'decide later (sets aside the decision in force)')
    .option('--note <text>', 'why (required with --value and --reject-source; kept with the decision)')
    .option('--by <name>', 'who decides (default: $MODELFACTS_REVIEWER, else $USER, else the login name)')
    .option('--json', 'print the decision as JSON')
    .action(async (idText: string, opts: ResolveOptions) => {
      if (!/^\d+$/.test(idText.trim())) throw new UsageError(`conflict id must be a number (got ${JSON.stringify(idText)})`);
      const id = Number(idText);
      // ids are 32-bit serials: a larger number is no conflict, not a database failure
      if (id < 1 || id > 2_147_483_647) throw new UsageError(`conflict id must be between 1 and 2147483647 (got ${idText.trim()})`);
      const chosen = [opts.value !== undefined && '--value', opts.rejectSource !== undefined && '--reject-source', opts.equivalent && '--equivalent', opts.defer && '--defer'].filter(Boolean);
      if (chosen.length !== 1) {
        throw new UsageError(`resolve takes exactly one of --value, --reject-source, --equivalent, --defer (got ${chosen.length ? chosen.join(', ') : 'none'})`);
      }
      if ((opts.value !== undefined || opts.rejectSource !== undefined) && !opts.note?.trim()) {
        throw new UsageError(`${chosen[0]} needs --note: say why`);
      }
      const by = reviewerName(opts.by);
      await withDatabase(async (database) => {
        const conflict = await findConflict(database.db, id);
        const base = { conflictId: id, note: opts.note ?? '', by };
        let input: DecisionInput;
        if (opts.value !== undefined) input = { ...base, action: 'override', value: parseDecisionValue(conflict.attribute as Attribute, opts.value) };
        else if (opts.rejectSource !== undefined) {
          const [sourceId, ...via] = opts.rejectSource.split(':');
          input = { ...base, action: 'reject', sourceId: sourceOption(sourceId), via: via.length ? via.join(':') : null };
        } else input = { ...base, action: opts.equivalent ? 'equivalent' : 'defer' };
        const r = await recordDecision(database, input);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        const q = formatQualifiers(r.qualifiers);
        const what =
          r.action === 'reject'
            ? `${r.sourceId}${r.via ? ` (via ${r.via})` : ''}'s claim rejected`
            : r.action === 'defer'
              ? 'deferred'
              : `${r.action === 'equivalent' ? 'marked equivalent' : 'resolved'}: = ${formatValue(r.value)}`;
        process.stdout.write(
          terminalSafe(
            `conflict ${r.conflictId} ${what} — ${r.modelId} ${r.attribute}${q ? ` [${q}]` : ''} (decision ${r.id}, by ${r.by}, ${r.at}${r.note ? `: ${r.note}` : ''})\n` +
              `week ${r.week}: the fact is now ${r.fact?.status ?? 'absent'}${r.fact?.chosen ? ` — ${formatValue(r.fact.chosen)}` : ''}`,
          ) + '\n',
        );
      });
    });

  program
    .command('reliability')
    .description('per source and attribute: how many of its claims agreed with the final value in a week, beside the weight truth discovery learned for it (the weights the week\'s reconcile stored; for a week reconciled before they were stored, learned again from every multi-source fact stored up to it)')
    .option('--week <YYYY-Www>', 'the week (default: the latest published week)')
    .option('--source <id>', 'only this source')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: { week?: string; source?: string; json?: boolean; csv?: boolean }) => {
      const source = sourceOption(opts.source);
      const week = opts.week === undefined ? undefined : parseWeek(opts.week);
      await withDatabase(async ({ db }) => {
        const r = await reliabilityForWeek(db, week);
        const rows = r.rows.filter((x) => !source || x.sourceId === source);
        printList(
          rows.map((x) => ({ week: r.week, ...x })),
          rows.map((x) => ({ ...x, share: opts.csv ? x.share : `${Math.round(x.share * 100)}%` })),
          opts,
          ['sourceId', 'attribute', 'claims', 'agreed', 'share', 'weight', 'compared'],
        );
      });
    });
}
