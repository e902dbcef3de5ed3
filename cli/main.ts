/**
 * The `modelfacts` CLI. Exit codes: 0 ok, 1 failed, 2 bad usage or input.
 * Every listing takes --json.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { exitCodeFor, reportError } from './errors.js';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded only when it runs: a query does not load the
 * fetchers, the browser, the extractors or the review app (the bundle keeps
 * them in chunks of their own). Help and unknown commands load them all.
 */
const COMMAND_MODULES: Record<string, () => Promise<Register>> = {
  ...of(['migrate', 'extract', 'refresh', 'demo'], async () => (await import('./run-commands.js')).registerRunCommands),
  ...of(['sources', 'facts', 'runs', 'unmatched'], async () => (await import('./query-commands.js')).registerQueryCommands),
  ...of(['diff', 'reextract', 'schedule'], async () => (await import('./history-commands.js')).registerHistoryCommands),
  ...of(['prices', 'history'], async () => (await import('./price-commands.js')).registerPriceCommands),
  ...of(['export'], async () => (await import('./export-command.js')).registerExportCommand),
  ...of(['models', 'aliases'], async () => (await import('./identity-commands.js')).registerIdentityCommands),
  ...of(['conflicts', 'resolve', 'reliability'], async () => (await import('./conflict-commands.js')).registerConflictCommands),
  ...of(['decisions'], async () => (await import('./decision-commands.js')).registerDecisionCommands),
  ...of(['record'], async () => (await import('./record-command.js')).registerRecordCommand),
  ...of(['serve'], async () => (await import('./serve-command.js')).registerServeCommand),
  ...of(['weeks'], async () => (await import('./weeks-command.js')).registerWeeksCommand),
};

function of(names: string[], load: () => Promise<Register>): Record<string, () => Promise<Register>> {
  return Object.fromEntries(names.map((n) => [n, load]));
}

/** The modules to register for this command line: its command's, or every one (help, an unknown command). */
async function registrations(argv: readonly string[]): Promise<Register[]> {
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  const load = command === undefined ? undefined : COMMAND_MODULES[command];
  if (load) return [await load()];
  // in the order help lists them
  const all = ['migrate', 'sources', 'diff', 'prices', 'export', 'models', 'conflicts', 'decisions', 'record', 'serve', 'weeks'];
  return Promise.all(all.map((n) => COMMAND_MODULES[n]!()));
}

/** The version in package.json, read next to the code (the CLI runs from a checkout or an install). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function buildProgram(register: readonly Register[]): Command {
  const program = new Command('modelfacts')
    .description('Audited, weekly-versioned catalog of AI model facts, with provenance and conflict reports.')
    .version(packageVersion(), '--version', 'print the modelfacts version')
    .option('--verbose', 'print stack traces and causes on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const r of register) r(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const program = buildProgram(await registrations(argv));
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    reportError(error, argv.includes('--verbose'));
    return exitCodeFor(error);
  }
}
