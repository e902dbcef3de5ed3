/** `modelfacts serve`: the review app in the browser (see review/). */
import type { Command } from 'commander';
import { startReviewServer } from '../review/server.js';
import { isLoopback } from '../review/security.js';
import { withDatabase } from './db-session.js';
import { UsageError } from './errors.js';
import { reviewerName } from './reviewer.js';

interface ServeOptions {
  port: string;
  host: string;
  token?: string;
  by?: string;
}

/** The reviewer: --by, else the name part of a `name:secret` token, else as for `resolve`. */
function reviewerOf(opts: ServeOptions, token: string | undefined): string {
  if (opts.by?.trim()) return opts.by.trim();
  const named = token ? /^([A-Za-z][\w.@-]{0,63}):(.+)$/.exec(token) : null;
  return named ? named[1]! : reviewerName(undefined);
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('the review app: queue, model pages, price history, runs and decisions in the browser (binds 127.0.0.1 unless told otherwise)')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .option('--host <address>', 'address to bind; anything but loopback needs a token', '127.0.0.1')
    .option('--token <secret>', 'access token every request must carry (default $MODELFACTS_TOKEN); "name:secret" also names the reviewer')
    .option('--by <name>', 'who the decisions are recorded as (default: the token name, $MODELFACTS_REVIEWER, $USER)')
    .action(async (opts: ServeOptions) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535 (got ${JSON.stringify(opts.port)})`);
      const token = opts.token ?? process.env.MODELFACTS_TOKEN ?? undefined;
      if (token !== undefined && token.length < 8) throw new UsageError('--token must be at least 8 characters');
      if (!isLoopback(opts.host) && !token) {
        throw new UsageError(`serve --host ${opts.host} needs a token: pass --token or set MODELFACTS_TOKEN (only 127.0.0.1 / localhost run without one)`);
      }
      const by = reviewerOf(opts, token);
      await withDatabase(async (database) => {
        const server = await startReviewServer({ database, by, token, host: opts.host, port });
        process.stdout.write(`modelfacts review app on ${server.url}/ (reviewing as ${by}; Ctrl-C stops)\n`);
        await new Promise<void>((done) => {
          const stop = () => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            void server.close().then(done, done);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      });
    });
}
