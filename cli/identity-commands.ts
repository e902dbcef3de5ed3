/** Model identity: `models` (every known model and its names) and `aliases` (raw names, reviewer decisions). */
import type { Command } from 'commander';
import { modelListing } from '../pipelines/report/model-listing.js';
import { knownModelIds } from '../pipelines/report/model-lookup.js';
import {
  currentRoutes,
  listAliasDecisions,
  listModelNames,
  recordAliasDecision,
  type AliasDecision,
} from '../pipelines/store/model-names.js';
import { ModelId } from '../schema/ids.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { modelFromOption } from './model-lookup.js';
import { sourceOption } from './options.js';
import { printList } from './output.js';

function targetId(to: string | undefined, verb: string): string {
  if (!to) throw new UsageError(`aliases ${verb} needs --to <creator/slug>`);
  const id = to.trim().toLowerCase();
  if (!ModelId.safeParse(id).success) throw new UsageError(`--to must be a canonical id like openai/gpt-image-1-mini (got ${JSON.stringify(to)})`);
  return id;
}

export function registerIdentityCommands(program: Command): void {
  program
    .command('models')
    .description('list known models with their aliases (raw names), snapshots, variants, routes and sources')
    .option('--search <text>', 'only models whose id or any alias contains this text (any case)')
    .option('--creator <creator>', 'only this creator (id or name, e.g. xai, x-ai, Meta)')
    .option('--json', 'print JSON')
    .action(async (opts: { search?: string; creator?: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const [ids, names, routes] = await Promise.all([knownModelIds(db), listModelNames(db), currentRoutes(db)]);
        const rows = modelListing(ids, names, routes, opts);
        printList(
          rows,
          rows.map((m) => ({
            model: m.modelId,
            aliases: m.aliases.length,
            links: [m.snapshotOf && `snapshot of ${m.snapshotOf}`, m.variantOf && `variant of ${m.variantOf}`].filter(Boolean).join(', '),
            snapshots: m.snapshots.length,
            variants: m.variants.length,
            routes: m.routes.join(' '),
            sources: m.sources.join(' '),
          })),
          opts,
        );
      });
    });

  const aliases = program
    .command('aliases')
    .description('raw model names the sources used, the id each resolved to and the rule that did it (latest run per source)')
    .option('--model <name>', 'only names of this model (any name of it)')
    .option('--source <id>', 'only this source')
    .option('--json', 'print JSON')
    .action(async (opts: { model?: string; source?: string; json?: boolean }) => {
      const source = sourceOption(opts.source);
      await withDatabase(async ({ db }) => {
        const model = await modelFromOption(db, opts.model);
        const [names, decisions] = await Promise.all([listModelNames(db, { model, source }), listAliasDecisions(db)]);
        const byAlias = new Map(decisions.map((d) => [d.alias, d]));
        const rows = names.map((n) => {
          const d = byAlias.get(n.name.toLowerCase());
          return {
            sourceId: n.sourceId,
            name: n.name,
            modelId: n.modelId,
            rule: n.rule,
            count: n.count,
            decision: d?.decision ? { decision: d.decision, modelId: d.modelId, ruleModelId: d.ruleModelId, decidedAt: d.decidedAt } : null,
          };
        });
        printList(
          rows,
          rows.map((r) => ({ ...r, decision: r.decision ? `${r.decision.decision} → ${r.decision.modelId}` : '' })),
          opts,
          ['sourceId', 'name', 'modelId', 'rule', 'count', 'decision'],
        );
      });
    });

  const decide = (verb: AliasDecision, description: string) =>
    aliases
      .command(verb)
      .description(description)
      .argument('<raw>', 'the raw name exactly as a source wrote it (any case)')
      .option('--to <id>', 'the canonical model id')
      .action(async (raw: string, opts: { to?: string }) => {
        await withDatabase(async ({ db }) => {
          const uses = (await listModelNames(db)).filter((n) => n.name.toLowerCase() === raw.trim().toLowerCase());
          if (uses.length === 0) throw new UsageError(`no source used the name ${JSON.stringify(raw)} in its latest run (see \`modelfacts aliases\`)`);
          const current = [...new Set(uses.map((u) => u.modelId).filter((m): m is string => m !== null))];
          let modelId: string;
          if (verb === 'confirm') {
            if (current.length !== 1) throw new UsageError(`${JSON.stringify(raw)} resolves to ${current.length === 0 ? 'no model' : current.join(', ')}: use \`aliases map\``);
            modelId = opts.to ? targetId(opts.to, verb) : current[0]!;
            if (modelId !== current[0]) throw new UsageError(`${JSON.stringify(raw)} resolves to ${current[0]}, not ${modelId}: use \`aliases map\``);
          } else {
            modelId = targetId(opts.to, verb);
            if (verb === 'split') {
              if (current.length === 0) throw new UsageError(`${JSON.stringify(raw)} is not merged with any model: use \`aliases map\``);
              if (current.includes(modelId)) throw new UsageError(`--to must differ from the id ${JSON.stringify(raw)} is merged into (${current.join(', ')})`);
            }
          }
          await recordAliasDecision(db, { raw, decision: verb, modelId, ruleModelId: current[0] ?? null, at: new Date().toISOString() });
          const was = current.length > 0 ? ` (was ${current.join(', ')})` : '';
          process.stdout.write(`${verb}: ${JSON.stringify(raw)} → ${modelId}${was}; applied from the next refresh on\n`);
        });
      });
  decide('confirm', "confirm the id a raw name resolves to (kept across weeks, applied before the rules)");
  decide('map', 'map a raw name to a model id (kept across weeks, applied before the rules)');
  decide('split', 'separate a raw name from the model it was merged into, as its own id given by --to');
}
