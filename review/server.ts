/** Starts the review app on a host and port (port 0: any free one), refusing a non-loopback host without a token. */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createReviewApp, type ReviewAppOptions } from './app.js';
import { isLoopback } from './security.js';

/** Binding beyond this machine without a token would let anyone on the network decide: refuse (exit 2). */
export class UnsafeBindError extends Error {
  constructor(host: string) {
    super(`serve --host ${host} needs a token: pass --token or set MODELFACTS_TOKEN (only 127.0.0.1 / localhost run without one)`);
    this.name = 'UnsafeBindError';
  }
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function startReviewServer(opts: ReviewAppOptions & { host: string; port: number }): Promise<RunningServer> {
  if (!isLoopback(opts.host) && !opts.token) throw new UnsafeBindError(opts.host);
  const app = createReviewApp(opts);
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
        });
      });
    } catch (cause) {
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}`, { cause }));
      return;
    }
    server.on('error', (cause) => reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${(cause as Error).message}`, { cause })));
  });
}
