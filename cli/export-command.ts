/** `modelfacts export --format …`: the reconciled facts of a week in a shape another tool loads directly. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { findSource } from '../extractors/registry.js';
import type { Db } from '../pipelines/store/db.js';
import { queryFacts } from '../pipelines/store/queries.js';
import type { ExportResult } from '../pipelines/report/export/common.js';
import { buildGenaiPrices } from '../pipelines/report/export/genai-prices.js';
import { buildLitellm } from '../pipelines/report/export/litellm.js';
import { buildModelDoc } from '../pipelines/report/export/model-doc.js';
import { buildModelsDev } from '../pipelines/report/export/models-dev.js';
import { buildOpenrouter } from '../pipelines/report/export/openrouter.js';
import { factVersions, storedWeeks } from '../pipelines/store/fact-history.js';
import { latestStoredPage } from '../pipelines/store/raw-pages.js';
import { parseWeek } from '../schema/week.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';

export const EXPORT_FORMATS = ['models-dev', 'litellm', 'genai-prices', 'openrouter', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportArgs {
  format: ExportFormat;
  /** The week to export; default the newest stored week. */
  asOf?: string;
  withProvenance?: boolean;
  /** The time written in the document (json); default now. */
  now?: Date;
}

/** Builds one export from the database (the pure shaping lives in pipelines/report/export/). */
export async function runExport(db: Db, args: ExportArgs): Promise<ExportResult> {
  const weeks = await storedWeeks(db);
  if (weeks.length === 0) throw new UsageError('nothing to export: no week has been published (run `modelfacts refresh` first)');
  const week = args.asOf ?? weeks[weeks.length - 1]!;
  const facts = await queryFacts(db, { asOf: week });
  switch (args.format) {
    case 'json':
      return buildModelDoc(facts, week, (args.now ?? new Date()).toISOString(), args.withProvenance === true);
    case 'models-dev':
      return buildModelsDev(facts, week, args.withProvenance === true);
    case 'openrouter':
      return buildOpenrouter(facts, week);
    case 'genai-prices': {
      const versions = await factVersions(db, { attribute: 'price' });
      return buildGenaiPrices(facts, versions, weeks.filter((w) => w <= week), week);
    }
    case 'litellm': {
      const url = findSource('litellm')!.pages![0]!;
      const stored = await latestStoredPage(db, url, week);
      if (!stored) throw new UsageError(`no LiteLLM map stored as of ${week}: refresh the litellm source first (${url})`);
      return buildLitellm(facts, week, stored.body);
    }
  }
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('the reconciled facts of a week in a shape another tool loads: models-dev api.json, LiteLLM cost map, genai-prices data.json, OpenRouter /models, or modelfacts json')
    .requiredOption('--format <format>', EXPORT_FORMATS.join('|'))
    .option('--as-of <YYYY-Www>', 'the week to export (default: the newest stored week)')
    .option('--out <file>', 'write the document here (default: stdout)')
    .option('--with-provenance', 'json and models-dev: each value with its full provenance (URL, fetch time, excerpt)')
    .action(async (opts: { format: string; asOf?: string; out?: string; withProvenance?: boolean }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(opts.format)) {
        throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got ${JSON.stringify(opts.format)})`);
      }
      const asOf = opts.asOf ? parseWeek(opts.asOf) : undefined;
      await withDatabase(async ({ db }) => {
        const result = await runExport(db, { format: opts.format as ExportFormat, asOf, withProvenance: opts.withProvenance });
        if (opts.out) writeFileSync(opts.out, result.text);
        else process.stdout.write(result.text);
        const s = result.summary;
        const parts = [
          `${s.format} export of ${s.week}: ${s.entries ?? s.models} entries`,
          ...(s.valuesChanged !== undefined ? [`${s.valuesChanged} LiteLLM values replaced by reconciled ones (of ${s.baseEntries} stored entries)`] : []),
          ...(s.omittedUnchosen ? [`${s.omittedUnchosen} facts without a chosen value left out (needs review)`] : []),
        ];
        // the summary goes to stderr so that stdout stays the document
        process.stderr.write(`${parts.join('; ')}${opts.out ? ` → ${opts.out}` : ''}\n`);
      });
    });
}
