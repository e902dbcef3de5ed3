/**
 * Politeness shared through the database (pipelines/run/distributed/politeness.ts):
 * two fetchers — standing for two worker processes — on one database fetch robots.txt
 * once per run and origin, obey its Crawl-delay together, and never hold more than a
 * host's concurrency at once; a Retry-After pauses the host for both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Fetcher, type FetchSource, type Transport } from '../pipelines/fetch/index.js';
import { acquireHostSlot, createDistributedRun, releaseHostSlot } from '../pipelines/store/distributed.js';
import { databaseHostLimiter, databaseRobotsStore } from '../pipelines/run/distributed/politeness.js';
import { freshDb, type TestDb } from './helpers/db.js';

const SOURCE: FetchSource = { id: 'test', hosts: ['site.test'], fetchMode: 'http' };

let db: TestDb;
let server: Server;
let origin: string;
const hits: { path: string; at: number }[] = [];
let inFlight = 0;
let maxInFlight = 0;
let robots = 'User-agent: *\nAllow: /\n';
let tooMany = 0;

beforeAll(async () => {
  db = await freshDb('postgres');
  server = createServer((req, res) => {
    hits.push({ path: req.url ?? '', at: performance.now() });
    if (req.url === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(robots);
    if (req.url === '/busy' && tooMany-- > 0) return void res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${req.url}</html>`);
    }, 80);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  await db?.drop();
});

const transport: Transport = { name: 'replay', target: (url) => `${origin}${url.pathname}` };

async function twoWorkers(run: number, extra: Partial<ConstructorParameters<typeof Fetcher>[0]> = {}) {
  const make = () =>
    new Fetcher({
      transport,
      hostIntervalMs: 0,
      hostConcurrency: 2,
      backoffBaseMs: 10,
      ...extra,
      hostLimiter: databaseHostLimiter(db.database.db, { leaseMs: 30_000 }),
      robotsStore: databaseRobotsStore(db.database.db, run, 30_000),
    });
  return [make(), make()] as const;
}

async function newRun(week: string): Promise<number> {
  const run = await createDistributedRun(db.database.db, {
    week,
    mode: 'replay',
    deadline: new Date(Date.now() + 600_000),
    plan: { sources: [], skipHealth: [], transport: { kind: 'live' }, jobExpireSeconds: 60, pageRetries: 0 },
  });
  return run.id;
}

describe('politeness shared by two fetchers through the database', () => {
  it('robots.txt once per run and origin; at most the host concurrency in flight across both', async () => {
    hits.length = 0;
    const [a, b] = await twoWorkers(await newRun('2026-W10'));
    const urls = Array.from({ length: 12 }, (_, i) => `https://site.test/p${i}`);
    await Promise.all(urls.map((u, i) => (i % 2 ? a : b).fetch(u, SOURCE)));
    expect(hits.filter((h) => h.path === '/robots.txt')).toHaveLength(1);
    expect(hits.filter((h) => h.path.startsWith('/p'))).toHaveLength(12);
    expect(maxInFlight).toBeLessThanOrEqual(2);
    expect(maxInFlight).toBeGreaterThan(0);
    // a new run asks again
    const [c] = await twoWorkers(await newRun('2026-W11'));
    await c.fetch('https://site.test/again', SOURCE);
    expect(hits.filter((h) => h.path === '/robots.txt')).toHaveLength(2);
  });

  it("a robots.txt Crawl-delay read by one spaces both fetchers' requests", async () => {
    hits.length = 0;
    robots = 'User-agent: *\nCrawl-delay: 1\n';
    const [a, b] = await twoWorkers(await newRun('2026-W12'));
    await Promise.all(['x1', 'x2', 'x3'].map((p, i) => (i % 2 ? a : b).fetch(`https://site.test/${p}`, SOURCE)));
    const starts = hits.filter((h) => h.path.startsWith('/x')).map((h) => h.at).sort((x, y) => x - y);
    expect(starts).toHaveLength(3);
    // one second apart (the database's clock; a little slack for the loopback hop)
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(900);
    robots = 'User-agent: *\nAllow: /\n';
  });

  it('a Retry-After met by one fetcher pauses the host for the other', async () => {
    hits.length = 0;
    tooMany = 1;
    const [a, b] = await twoWorkers(await newRun('2026-W13'));
    const first = a.fetch('https://site.test/busy', SOURCE);
    // once a's 429 has paused the host in the database, b's request waits for the pause to end
    const host = 'site.test';
    for (let paused = false; !paused; await new Promise((ok) => setTimeout(ok, 20))) {
      const r = await db.database.db.execute(sql`select paused_until > clock_timestamp() as p from host_slots where host = ${host}`);
      paused = (r as unknown as { rows: { p: boolean }[] }).rows[0]?.p === true;
    }
    await Promise.all([first, b.fetch('https://site.test/other', SOURCE)]);
    const at = (p: string) => hits.filter((h) => h.path === p).map((h) => h.at);
    const [refused] = at('/busy');
    expect(at('/busy')).toHaveLength(2);
    expect(at('/other')[0]! - refused!).toBeGreaterThanOrEqual(900);
  });

  it('host slots: a lease per request up to the concurrency, starts an interval apart on the database clock', async () => {
    const limits = { concurrency: 2, intervalMs: 500, leaseMs: 10_000 };
    const one = await acquireHostSlot(db.database.db, 'slots.test', limits);
    const two = await acquireHostSlot(db.database.db, 'slots.test', limits);
    expect(one).toBeDefined();
    expect(two!.waitMs).toBeGreaterThan(300);
    expect(await acquireHostSlot(db.database.db, 'slots.test', limits)).toBeUndefined();
    await releaseHostSlot(db.database.db, one!.leaseId);
    const three = await acquireHostSlot(db.database.db, 'slots.test', limits);
    expect(three!.waitMs).toBeGreaterThan(two!.waitMs);
    const rows = await db.database.db.execute(sql`select count(*)::int as n from host_leases where host = 'slots.test'`);
    expect((rows as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(2);
  });
});
