/**
 * A mirror transport: every request for a live URL goes to one of several mirror
 * servers, `<origin>/<host>/<path>`, the one its path hashes to — a site seen behind
 * several edge hosts. The generated bench corpus (bench/corpus.ts) is served this way.
 * Each mirror server is a host of its own for the per-host limits, so politeness is
 * measured where requests land. Pure: a worker in another process maps URLs the same.
 */
import { createHash } from 'node:crypto';
import type { Transport } from './types.js';

/** Where a live URL is served, given the mirrors' origins. */
export function mirrorUrlFor(origins: readonly string[]): (liveUrl: string) => string {
  if (origins.length === 0) throw new Error('a mirror transport needs at least one origin');
  return (liveUrl) => {
    const u = new URL(liveUrl);
    const path = `/${u.host}${u.pathname}${u.search}`;
    return `${origins[createHash('sha1').update(path).digest().readUInt32BE(0) % origins.length]}${path}`;
  };
}

export function mirrorTransport(origins: readonly string[]): Transport {
  const local = mirrorUrlFor(origins);
  return {
    name: 'replay',
    target: (url) => local(url.toString()),
    hostKey: (url) => new URL(local(url.toString())).host,
  };
}
