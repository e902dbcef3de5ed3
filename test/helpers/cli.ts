import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = resolve('bin/modelfacts.js');

/** Runs the real CLI in a child process, as a user would. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((ok) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, CI: 'true', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        ok({ code, stdout, stderr });
      },
    );
  });
}
