/**
 * The `modelfacts` CLI. Exit codes: 0 ok, 1 failed, 2 bad usage or input.
 * Every listing takes --json.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerConflictCommands } from './conflict-commands.js';
import { registerDecisionCommands } from './decision-commands.js';
import { registerDistributedCommands } from './distributed-commands.js';
import { registerExportCommand } from './export-command.js';
import { exitCodeFor, reportError } from './errors.js';
import { registerHistoryCommands } from './history-commands.js';
import { registerPriceCommands } from './price-commands.js';
import { registerIdentityCommands } from './identity-commands.js';
import { registerQueryCommands } from './query-commands.js';
import { registerRecordCommand } from './record-command.js';
import { registerRunCommands } from './run-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerWeeksCommand } from './weeks-command.js';

/** The version in package.json, read next to the code (the CLI runs from a checkout or an install). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function buildProgram(): Command {
  const program = new Command('modelfacts')
    .description('Audited, weekly-versioned catalog of AI model facts, with provenance and conflict reports.')
    .version(packageVersion(), '--version', 'print the modelfacts version')
    .option('--verbose', 'print stack traces and causes on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerRunCommands(program);
  registerQueryCommands(program);
  registerHistoryCommands(program);
  registerPriceCommands(program);
  registerExportCommand(program);
  registerIdentityCommands(program);
  registerConflictCommands(program);
  registerDecisionCommands(program);
  registerRecordCommand(program);
  registerServeCommand(program);
  registerWeeksCommand(program);
  registerDistributedCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    reportError(error, argv.includes('--verbose'));
    return exitCodeFor(error);
  }
}
