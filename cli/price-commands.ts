/** `prices` (a model's route price table, who says so) and `history` (its values over the stored weeks). */
import type { Command } from 'commander';
import { queryFacts } from '../pipelines/store/queries.js';
import { buildHistory, sparkline, type HistorySeries } from '../pipelines/report/history.js';
import { LISTING_LABEL } from '../pipelines/report/price-kinds.js';
import { priceTable, type PriceRow } from '../pipelines/report/prices.js';
import { factVersions, storedWeeks } from '../pipelines/store/fact-history.js';
import { parseWeek } from '../schema/week.js';
import { Attribute } from '../schema/attributes.js';
import { ORDER } from '../schema/qualifiers.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { formatQualifiers, formatValue, plainValue } from './format.js';
import { printList, terminalSafe } from './output.js';
import { modelFromOption } from './model-lookup.js';
import type { Db } from '../pipelines/store/db.js';
import { addQualifierOptions, qualifierFilter, type QualifierOpts } from './qualifier-options.js';

async function requireModel(db: Db, name: string | undefined): Promise<string> {
  const model = await modelFromOption(db, name);
  if (!model) throw new UsageError('--model is required');
  return model;
}

function attributeOption(a: string | undefined): string | undefined {
  if (a && !Attribute.safeParse(a).success) {
    throw new UsageError(`unknown attribute ${JSON.stringify(a)} (one of: ${Attribute.options.join(', ')})`);
  }
  return a;
}

/** One price row for the terminal and CSV: a column per qualifier, the amount as a plain decimal. */
function priceCells(r: PriceRow, screen: boolean) {
  return {
    ...Object.fromEntries(ORDER.map((k) => [k, r.qualifiers[k] ?? ''])),
    usd: r.usd === undefined ? '' : screen ? `$${r.usd}` : r.usd,
    listing: r.listing ? (screen ? LISTING_LABEL[r.listing] : r.listing) : '',
    status: r.status,
    sources: [...new Set(r.sources.map((s) => s.sourceId))].sort().join(screen ? ', ' : ' '),
  };
}

function printHistory(series: HistorySeries[], weeks: string[]): void {
  if (series.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  process.stdout.write(`weeks ${weeks[0]} … ${weeks[weeks.length - 1]} (${weeks.length})\n`);
  for (const s of series) {
    const head = `${s.attribute}${Object.keys(s.qualifiers).length ? ` [${formatQualifiers(s.qualifiers)}]` : ''}`;
    const line = sparkline(s.points, weeks);
    const last = s.points[s.points.length - 1]!;
    process.stdout.write(terminalSafe(`${head}  ${line ? `${line}  ` : ''}${formatValue(last.value)}`) + '\n');
    for (const c of s.changes) {
      const what = c.from ? `${formatValue(c.from)} → ${formatValue(c.to)}` : `${formatValue(c.to)} (first seen)`;
      process.stdout.write(terminalSafe(`    ${c.week}: ${what} (${c.sources.join(', ')})`) + '\n');
    }
  }
}

export function registerPriceCommands(program: Command): void {
  const prices = program
    .command('prices')
    .description('a model’s prices on each route, with who says so and the status; $0, free and subscription listings marked and kept apart')
    .requiredOption('--model <name>', 'any name of the model, e.g. openai/gpt-image-1-mini');
  addQualifierOptions(prices)
    .option('--as-of <YYYY-Www>', 'what was known in that week (default: current)')
    .option('--sort <order>', '"price": cheapest paid price first (default: by route)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (one column per qualifier, plain decimals)')
    .action(async (opts: QualifierOpts & { model?: string; asOf?: string; sort?: string; json?: boolean; csv?: boolean }) => {
      const filter = qualifierFilter(opts);
      if (opts.sort !== undefined && opts.sort !== 'price') throw new UsageError(`--sort must be "price" (got ${JSON.stringify(opts.sort)})`);
      const asOf = opts.asOf ? parseWeek(opts.asOf) : undefined;
      await withDatabase(async ({ db }) => {
        const model = await requireModel(db, opts.model);
        const facts = await queryFacts(db, { model, attribute: 'price', asOf });
        const rows = priceTable(facts, filter, opts.sort === 'price');
        printList(rows, rows.map((r) => priceCells(r, !opts.csv)), opts);
      });
    });

  const history = program
    .command('history')
    .description('each of a model’s values over the stored weeks, the week it changed and the sources (a sparkline per price)')
    .requiredOption('--model <name>', 'any name of the model, e.g. openai/gpt-image-1')
    .option('--attribute <name>', `one of: ${Attribute.options.join(', ')}`);
  addQualifierOptions(history)
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV: one row per fact and week')
    .action(async (opts: QualifierOpts & { model?: string; attribute?: string; json?: boolean; csv?: boolean }) => {
      const attribute = attributeOption(opts.attribute);
      const filter = qualifierFilter(opts);
      await withDatabase(async ({ db }) => {
        const model = await requireModel(db, opts.model);
        const [versions, weeks] = await Promise.all([factVersions(db, { model, attribute }), storedWeeks(db)]);
        const series = buildHistory(versions, weeks, { attribute, qualifiers: filter });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ modelId: model, weeks, series }, null, 2)}\n`);
        } else if (opts.csv) {
          const rows = series.flatMap((s) =>
            s.points.map((p) => ({
              attribute: s.attribute,
              ...Object.fromEntries(ORDER.map((k) => [k, s.qualifiers[k] ?? ''])),
              week: p.week,
              value: plainValue(p.value),
              changed: s.changes.some((c) => c.week === p.week) ? 'yes' : '',
              status: p.status,
              sources: p.sources.join(' '),
            })),
          );
          printList([], rows, { csv: true });
        } else {
          printHistory(series, weeks);
        }
      });
    });
}
