/**
 * Fault injection: a local server plays the live sites (it serves the
 * 2026-W17 replay archive) and can answer one page with any failure the real
 * web produces. For each fault the run must finish, record the source's
 * status and reason, lose nothing stored earlier, and publish the others.
 * Sleeps are injected (virtual time) and timeouts small, so the file is fast.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anttisahla } from '../extractors/anttisahla.js';
import type { SourceModule } from '../extractors/contract.js';
import { llmStats } from '../extractors/llm-stats.js';
import { claims, facts, fetches, runs } from '../schema/tables.js';
import {
  Fetcher,
  HostNotAllowedError,
  RobotsDisallowedError,
  USER_AGENT,
  WrongContentTypeError,
  type FetcherOptions,
  type Transport,
} from '../pipelines/fetch/index.js';
import { loadArchive, startReplayServer, type Archive } from '../pipelines/fetch/replay.js';
import { refresh } from '../pipelines/run/refresh.js';
import { buildConflictReport, FACT_STATUSES } from '../pipelines/report/conflicts.js';
import { renderHtml } from '../cli/report-html.js';
import { renderMarkdown } from '../cli/report-md.js';
import { validAt } from '../pipelines/store/versions.js';
import { freshDb, type TestDb } from './helpers/db.js';
import { scalePrices } from './helpers/extraction.js';

const ARCHIVE = 'fixtures/replay/2026-W17';
const TARGET = 'https://anttisahla.com/ai/models/gpt-image-1-mini';
const SEED_WEEK = '2026-W16';
const WEEK = '2026-W17';

type Handler = (req: IncomingMessage, res: ServerResponse, live: URL) => void;

/** The W17 archive served as if live, with per-path faults, robots.txt files and optional validators. */
class FaultServer {
  readonly server: Server;
  faults = new Map<string, Handler>();
  robots = new Map<string, { status: number; body: string }>();
  etags = false;
  /** Every request seen: live URL, headers. */
  log: { url: string; headers: IncomingMessage['headers'] }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  port = 0;

  constructor(private readonly archive: Archive) {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Live URL → this server: /<host>/<path>?<query>, as the replay server does. */
  get transport(): Transport {
    return { name: 'replay', target: (u) => `http://127.0.0.1:${this.port}/${u.host}${u.pathname}${u.search}` };
  }

  reset(): void {
    this.faults.clear();
    this.robots.clear();
    this.etags = false;
    this.log = [];
    this.maxInFlight = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '/';
    const slash = raw.indexOf('/', 1);
    const live = new URL(`https://${raw.slice(1, slash < 0 ? undefined : slash)}${slash < 0 ? '/' : raw.slice(slash)}`);
    this.log.push({ url: live.toString(), headers: req.headers });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    const fault = this.faults.get(`${live.host}${live.pathname}`);
    if (fault) return fault(req, res, live);
    if (live.pathname === '/robots.txt') {
      const r = this.robots.get(live.host) ?? { status: 404, body: 'no robots.txt' };
      res.writeHead(r.status, { 'content-type': 'text/plain' }).end(r.body);
      return;
    }
    const served = this.page(live.toString());
    if (!served) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    const headers: Record<string, string> = { ...served.headers, 'content-length': String(served.body.length) };
    if (this.etags) {
      headers.etag = `"${served.body.length}-${served.body.subarray(0, 64).toString('hex').slice(0, 16)}"`;
      if (req.headers['if-none-match'] === headers.etag) {
        res.writeHead(304, { etag: headers.etag }).end();
        return;
      }
    }
    res.writeHead(served.status, headers).end(served.body);
  }

  page(url: string): { status: number; headers: Record<string, string>; body: Buffer } | undefined {
    const entry = this.archive.entries.get(url);
    if (!entry) return undefined;
    return { status: entry.status, headers: entry.headers, body: readFileSync(entry.file) };
  }

  /** Answers the page's path with `handler`. */
  fault(url: string, handler: Handler): void {
    const u = new URL(url);
    this.faults.set(`${u.host}${u.pathname}`, handler);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }
}

let gzipBomb: Buffer;

/** Each fault, how the server answers the target page, and what the run must record. */
const FAULTS: {
  name: string;
  handler: (srv: FaultServer) => Handler;
  status: 'broken' | 'quarantined';
  reason: RegExp;
}[] = [
  {
    name: '500',
    handler: () => (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('oops'),
    status: 'broken',
    reason: /HTTP 500 \(gave up after 3 attempts\)/,
  },
  {
    name: '503 with Retry-After',
    handler: () => (_req, res) => res.writeHead(503, { 'retry-after': '2' }).end('busy'),
    status: 'broken',
    reason: /HTTP 503 \(gave up after 3 attempts\)/,
  },
  {
    name: '429',
    handler: () => (_req, res) => res.writeHead(429).end('slow down'),
    status: 'broken',
    reason: /HTTP 429 \(gave up/,
  },
  {
    // no stored copy and no validators sent: nothing to reuse, and not a layout change either
    name: 'a 304 to a request without validators',
    handler: () => (_req, res) => res.writeHead(304).end(),
    status: 'broken',
    reason: /304 Not Modified to a request without validators/,
  },
  {
    name: 'a timeout',
    handler: () => () => undefined, // never answers; the request's deadline ends it
    status: 'broken',
    reason: /timed out/,
  },
  {
    name: 'a connection reset',
    handler: () => (req) => req.socket.destroy(),
    status: 'broken',
    reason: /connection reset/,
  },
  {
    name: 'a truncated body',
    handler: (srv) => (_req, res, live) => {
      const body = srv.page(live.toString())!.body;
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(body.length) });
      res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
    },
    status: 'broken',
    reason: /body interrupted|truncated/,
  },
  {
    name: 'a 50 MB body',
    handler: () => (_req, res) => {
      // chunked, no declared length: the cap has to stop the read itself
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(256 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
    status: 'broken',
    reason: /larger than the 2097152-byte cap/,
  },
  {
    name: 'a gzip bomb',
    handler: () => (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': String(gzipBomb.length) });
      res.end(gzipBomb);
    },
    status: 'broken',
    reason: /decompressed body larger than the 2097152-byte cap/,
  },
  {
    name: 'a redirect loop',
    handler: () => (_req, res, live) =>
      res.writeHead(302, { location: live.search ? live.pathname : `${live.pathname}?again=1` }).end(),
    status: 'broken',
    reason: /redirect loop/,
  },
  {
    name: 'a redirect to an undeclared host',
    handler: () => (_req, res) => res.writeHead(301, { location: 'https://evil.example.net/steal' }).end(),
    status: 'broken',
    reason: /gpt-image-1-mini: redirect refused https:\/\/evil\.example\.net\/steal: host not declared/,
  },
  {
    name: 'a wrong content type',
    handler: () => (_req, res) =>
      res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')),
    status: 'broken',
    reason: /unexpected content type image\/png \(expected text\/html\)/,
  },
  {
    name: 'an empty 200',
    handler: () => (_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-length': '0' }).end(),
    status: 'broken',
    reason: /empty body \(HTTP 200\)/,
  },
  {
    name: 'HTML with the key table missing',
    handler: (srv) => (_req, res, live) => {
      const html = srv.page(live.toString())!.body.toString('utf8').replace(/<dl>[\s\S]*?<\/dl>/, '');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    },
    status: 'quarantined',
    reason: /layout changed at https:\/\/anttisahla\.com\/ai\/models\/gpt-image-1-mini: missing spec list/,
  },
];

describe('fault injection: a run survives every fault and keeps what it had', () => {
  let t: TestDb;
  let srv: FaultServer;
  const sleeps: number[] = [];
  const sources: SourceModule[] = [anttisahla, llmStats];

  const run = (week: string, fetcherOptions: Partial<FetcherOptions> = {}) =>
    refresh({
      database: t.database,
      sources,
      week,
      mode: 'replay',
      transport: srv.transport,
      fetcherOptions: {
        retries: 2,
        timeoutMs: 2000, // generous for a loaded CI machine; the timeout fault still ends in a few seconds
        maxBytes: 2 * 1024 * 1024,
        hostIntervalMs: 0,
        sleep: async (ms) => void sleeps.push(ms),
        ...fetcherOptions,
      },
    });

  /** What is stored for a week: the faulty source's claims and every fact, by identity and content hash. */
  async function snapshot(week: string) {
    const db = t.database.db;
    const c = await db
      .select({ k: claims.identity, h: claims.contentHash })
      .from(claims)
      .where(and(eq(claims.sourceId, 'anttisahla'), validAt(claims, week)));
    const f = await db.select({ k: facts.factKey, h: facts.contentHash }).from(facts).where(validAt(facts, week));
    return {
      claims: c.map((r) => `${r.k}=${r.h}`).sort(),
      facts: f.map((r) => `${r.k}=${r.h}`).sort(),
    };
  }

  beforeAll(async () => {
    gzipBomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    srv = await new FaultServer(loadArchive(ARCHIVE)).start();
    t = await freshDb('pglite');
    const seeded = await run(SEED_WEEK);
    expect(seeded.status).toBe('ok');
  });
  afterAll(async () => {
    await srv?.close();
    await t?.drop();
  });

  it.each(FAULTS)('$name', async (fault) => {
    srv.reset();
    sleeps.length = 0;
    const before = { seed: await snapshot(SEED_WEEK), week: await snapshot(WEEK) };
    expect(before.week.claims.length).toBeGreaterThan(20);
    srv.fault(TARGET, fault.handler(srv));

    const result = await run(WEEK);

    // the run finished and says what happened to the source, in the result and in the runs table
    expect(result.status).toBe('partial');
    expect(result.sourceStatus.anttisahla).toMatchObject({ status: fault.status, lastGoodWeek: SEED_WEEK });
    expect(result.sourceStatus.anttisahla!.reason).toMatch(fault.reason);
    const [stored] = await t.database.db.select().from(runs).where(eq(runs.id, result.runId));
    expect(stored!.sourceStatus.anttisahla).toEqual(result.sourceStatus.anttisahla);
    // the other source published normally
    expect(result.sourceStatus['llm-stats']).toMatchObject({ status: 'ok' });
    expect(result.sourceStatus['llm-stats']!.claims).toBeGreaterThan(20);
    // nothing stored earlier was lost: the faulty source's claims and every fact are as before
    expect(await snapshot(SEED_WEEK)).toEqual(before.seed);
    expect(await snapshot(WEEK)).toEqual(before.week);
    // the failed page is in the run's fetch log with its error
    const logged = await t.database.db
      .select()
      .from(fetches)
      .where(and(eq(fetches.runId, result.runId), eq(fetches.url, TARGET)));
    expect(logged).toHaveLength(1);
    if (fault.status === 'broken') expect(logged[0]!.error).toMatch(fault.reason);
    if (fault.name === '503 with Retry-After') {
      // the host was paused for the 2 s the server asked, in virtual time: the page's two retries
      // waited, and so did any other page of the host fetched meanwhile (pages are fetched a few at a time)
      expect(sleeps.filter((ms) => ms >= 1900 && ms <= 2000).length).toBeGreaterThanOrEqual(2);
      expect(sleeps.every((ms) => ms <= 2000)).toBe(true);
    }
  });

  it('a 503 that clears after its Retry-After: the page is fetched and the run is ok', async () => {
    srv.reset();
    sleeps.length = 0;
    let calls = 0;
    srv.fault(TARGET, (_req, res, live) => {
      if (++calls === 1) return void res.writeHead(503, { 'retry-after': '3' }).end();
      const page = srv.page(live.toString())!;
      res.writeHead(200, page.headers).end(page.body);
    });
    const result = await run(WEEK);
    expect(result.status).toBe('ok');
    expect(calls).toBe(2);
    expect(sleeps.some((ms) => ms >= 2900 && ms <= 3000)).toBe(true);
  });

  it('a Retry-After longer than a run waits fails the page at once', async () => {
    srv.reset();
    sleeps.length = 0;
    srv.fault(TARGET, (_req, res) => res.writeHead(429, { 'retry-after': '86400' }).end());
    const result = await run(WEEK);
    expect(result.sourceStatus.anttisahla!.reason).toMatch(/retry after 86400 s, longer than a run waits \(120 s\)/);
    expect(sleeps.filter((ms) => ms > 1000)).toEqual([]);
  });

  it('prices ×1000 on one page: those claims are quarantined, their last good values stay, the rest of the source publishes', async () => {
    srv.reset();
    const before = await snapshot(WEEK);
    srv.fault(TARGET, (_req, res, live) => {
      const html = scalePrices(srv.page(live.toString())!.body.toString('utf8'), '1000');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
    const result = await run(WEEK);
    expect(result.sourceStatus.anttisahla).toMatchObject({ status: 'ok' });
    expect(result.sourceStatus.anttisahla!.quarantinedClaims).toBeGreaterThan(0);
    expect(result.sourceStatus.anttisahla!.reason).toMatch(/claim\(s\) quarantined, e\.g\. openai\/gpt-image-1-mini price .* jumped from 0\.004 to 4 \(×10\^3: a unit slip\?\)/);
    expect(await snapshot(WEEK)).toEqual(before);
  });

  it('robots.txt: a disallowed page is reported and not fetched; the rest of the source publishes', async () => {
    srv.reset();
    srv.robots.set('anttisahla.com', {
      status: 200,
      body: 'User-agent: *\nAllow: /\n\nUser-agent: modelfacts\nDisallow: /ai/models/gpt-image-1-mini\n',
    });
    const result = await run('2026-W18');
    expect(srv.log.map((l) => l.url)).not.toContain(TARGET);
    expect(result.sourceStatus.anttisahla).toMatchObject({ status: 'ok' });
    expect(result.sourceStatus.anttisahla!.reason).toMatch(/1 page\(s\) disallowed by robots\.txt, e\.g\. .*gpt-image-1-mini/);
    const [logged] = await t.database.db
      .select()
      .from(fetches)
      .where(and(eq(fetches.runId, result.runId), eq(fetches.url, TARGET)));
    expect(logged!.error).toMatch(/disallowed by robots\.txt/);
    expect(logged!.pageHash).toBeNull();
  });

  it('robots.txt answering 500: nothing is fetched from that site (RFC 9309), the run goes on', async () => {
    srv.reset();
    srv.robots.set('anttisahla.com', { status: 500, body: 'down' });
    const result = await run(WEEK);
    expect(result.sourceStatus.anttisahla).toMatchObject({ status: 'broken' });
    expect(result.sourceStatus.anttisahla!.reason).toMatch(/robots\.txt could not be read .*HTTP 500.*RFC 9309/);
    expect(srv.log.filter((l) => l.url.startsWith('https://anttisahla.com/ai/'))).toEqual([]);
    expect(result.sourceStatus['llm-stats']).toMatchObject({ status: 'ok' });
  });

  it('conditional GET: validators are sent, a 304 reuses the archived body, and nothing new is published', async () => {
    srv.reset();
    srv.etags = true;
    const first = await run('2026-W19');
    expect(first.status).toBe('ok');
    srv.log = [];
    const second = await run('2026-W19');
    expect(second.status).toBe('ok');
    const conditional = srv.log.filter((l) => l.headers['if-none-match']);
    expect(conditional.length).toBeGreaterThan(10);
    expect(second.counts.claimsAdded).toBe(0);
    expect(second.counts.claimsClosed).toBe(0);
    expect(second.sourceStatus.anttisahla!.claims).toBe(first.sourceStatus.anttisahla!.claims);
    const rows = await t.database.db.select().from(fetches).where(eq(fetches.runId, second.runId));
    expect(rows.every((r) => r.httpStatus === 304 && r.pageHash && r.etag)).toBe(true);
    // and the validators carry on to the run after
    srv.log = [];
    await run('2026-W19');
    expect(srv.log.filter((l) => l.headers['if-none-match']).length).toBe(conditional.length);
  });
});

describe('a replay archive with one page changed to a new layout', () => {
  it('quarantines that source, keeps its facts current, publishes the others', async () => {
    const t = await freshDb('pglite');
    const dir = join(mkdtempSync(join(tmpdir(), 'mf-layout-')), '2026-W17');
    cpSync(ARCHIVE, dir, { recursive: true });
    const sources = [anttisahla, llmStats];
    const replay = async (folder: string, week: string) => {
      const server = await startReplayServer(loadArchive(folder));
      try {
        return await refresh({ database: t.database, sources, week, mode: 'replay', transport: server.transport });
      } finally {
        await server.close();
      }
    };
    try {
      expect((await replay('fixtures/replay/2026-W16', '2026-W16')).status).toBe('ok');
      const page = join(dir, 'pages/anttisahla.com/ai/models/gpt-image-1-mini.html');
      writeFileSync(page, readFileSync(page, 'utf8').replace(/<dl>[\s\S]*?<\/dl>/, '<div class="specs-v2">coming soon</div>'));
      const result = await replay(dir, '2026-W17');
      expect(result.sourceStatus.anttisahla).toMatchObject({ status: 'quarantined', lastGoodWeek: '2026-W16' });
      expect(result.sourceStatus.anttisahla!.reason).toMatch(/missing spec list/);
      expect(result.sourceStatus['llm-stats']).toMatchObject({ status: 'ok' });
      // anttisahla's W16 facts are still what W17 shows
      const current = await t.database.db
        .select()
        .from(claims)
        .where(and(eq(claims.sourceId, 'anttisahla'), validAt(claims, '2026-W17')));
      expect(current.length).toBeGreaterThan(20);
      expect(current.every((c) => c.validFrom === '2026-W16' && c.validTo === null)).toBe(true);
      const f = await t.database.db.select().from(facts).where(validAt(facts, '2026-W17'));
      expect(f.some((x) => (x.candidates as { provenance: { sourceId: string } }[]).some((c) => c.provenance.sourceId === 'anttisahla'))).toBe(
        true,
      );
    } finally {
      await t.drop();
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('scraped text in HTML output', () => {
  const HOSTILE = `<script>alert("pwned")</script> "dq" 'sq'`;

  it('a page stating <script> and quotes: stored as text, escaped in the HTML report, and the quarantine reason shown', async () => {
    const t = await freshDb('pglite');
    const srv = await new FaultServer(loadArchive(ARCHIVE)).start();
    const run = (week: string) =>
      refresh({ database: t.database, sources: [anttisahla, llmStats], week, mode: 'replay', transport: srv.transport });
    try {
      // the page writes the markup as text (entities), so the extractor reads it as part of the price line
      srv.fault(TARGET, (_req, res, live) => {
        const html = srv
          .page(live.toString())!
          .body.toString('utf8')
          .replace(/(<li>High quality: \$0\.07 per image)<\/li>/, `$1 &lt;script&gt;alert("pwned")&lt;/script&gt; "dq" 'sq'</li>`);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      });
      expect((await run('2026-W16')).status).toBe('ok');
      const stored = await t.database.db.select().from(claims).where(eq(claims.sourceId, 'anttisahla'));
      expect(stored.some((c) => c.excerpt.includes(HOSTILE))).toBe(true);

      // next week every page's prices slip ×1000 (a unit shift of the whole site): quarantined, and the report says why
      for (const m of ['dall-e-3', 'gpt-image-1', 'gpt-image-1-mini', 'gpt-image-1.5', 'imagen-4-fast']) {
        srv.fault(`https://anttisahla.com/ai/models/${m}`, (_req, res, live) => {
          const html = scalePrices(srv.page(live.toString())!.body.toString('utf8'), '1000');
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
        });
      }
      expect((await run('2026-W17')).sourceStatus.anttisahla!.status).toBe('quarantined');

      const report = await buildConflictReport(t.database.db, {
        week: '2026-W17',
        model: 'openai/gpt-image-1-mini',
        statuses: FACT_STATUSES,
      });
      expect(report.sourceProblems).toEqual([
        expect.objectContaining({ sourceId: 'anttisahla', status: 'quarantined', lastGoodWeek: '2026-W16', reason: expect.stringMatching(/health check failed: .* went from 0\.004 to 4 /) }),
      ]);
      const excerpts = report.models.flatMap((m) => m.attributes.flatMap((a) => a.facts.flatMap((f) => f.candidates.map((c) => c.excerpt))));
      expect(excerpts.some((e) => e.includes(HOSTILE))).toBe(true);

      const page = renderHtml(report);
      // the excerpt sits in the report's JSON block, \u-escaped (the page's script shows it as text)
      expect(page).toContain(`\\u003cscript\\u003ealert(\\"pwned\\")\\u003c/script\\u003e \\"dq\\" 'sq'`);
      expect(page).not.toContain('alert("pwned")');
      expect(page).not.toMatch(/<script>alert/);
      expect(page).toMatch(/quarantined.*health check failed/s);
      // Markdown viewers render inline HTML, except inside code spans: that is the only place it may appear
      const md = renderMarkdown(report);
      expect(md).toContain(`\`High quality: $0.07 per image ${HOSTILE}\``);
      expect(md.replace(/(`+)[^`]*?\1/g, '')).not.toMatch(/<script|alert\(/);
    } finally {
      await srv.close();
      await t.drop();
    }
  });
});

describe('politeness and limits of the fetcher', () => {
  let srv: FaultServer;
  const site = { id: 'anttisahla', hosts: ['anttisahla.com'], fetchMode: 'http' as const, kind: 'html' as const };
  beforeAll(async () => {
    srv = await new FaultServer(loadArchive(ARCHIVE)).start();
  });
  afterAll(async () => {
    await srv.close();
  });

  /** A clock that only sleeps move: intervals and pauses show up exactly. */
  function virtualTime() {
    let now = 1_000_000;
    const sleeps: number[] = [];
    return {
      sleeps,
      now: () => now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    };
  }

  it('names the tool in its User-Agent, on robots.txt and pages alike', async () => {
    srv.reset();
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0 });
    await f.fetch(TARGET, site);
    expect(srv.log.map((l) => l.url)).toEqual(['https://anttisahla.com/robots.txt', TARGET]);
    expect(srv.log.every((l) => l.headers['user-agent'] === USER_AGENT)).toBe(true);
    expect(USER_AGENT).toMatch(/^modelfacts\/\S+ \(\+https?:\/\//);
  });

  it('spaces requests to one host by the interval, and Crawl-delay raises it', async () => {
    srv.reset();
    const clock = virtualTime();
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 1000, ...clock });
    for (const slug of ['dall-e-3', 'gpt-image-1', 'gpt-image-1.5']) await f.fetch(`https://anttisahla.com/ai/models/${slug}`, site);
    // robots.txt, then three pages: each start 1 s after the one before
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);

    srv.reset();
    srv.robots.set('anttisahla.com', { status: 200, body: 'User-agent: *\nCrawl-delay: 5\n' });
    const slow = virtualTime();
    const g = new Fetcher({ transport: srv.transport, hostIntervalMs: 1000, ...slow });
    for (const slug of ['dall-e-3', 'gpt-image-1']) await g.fetch(`https://anttisahla.com/ai/models/${slug}`, site);
    // the delay counts from the robots.txt request on
    expect(slow.sleeps).toEqual([5000, 5000]);
  });

  it('never has more requests in flight to one host than its concurrency', async () => {
    srv.reset();
    srv.fault('https://anttisahla.com/slow', (_req, res) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>slow</p>'), 60);
    });
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0, hostConcurrency: 2, respectRobots: false });
    await Promise.all(Array.from({ length: 8 }, (_, i) => f.fetch(`https://anttisahla.com/slow?i=${i}`, site)));
    expect(srv.log).toHaveLength(8);
    expect(srv.maxInFlight).toBe(2);
  });

  it('never has more requests in flight over all hosts than maxConcurrency', async () => {
    srv.reset();
    const slow = (_req: unknown, res: ServerResponse) => {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>slow</p>'), 60);
    };
    srv.fault('https://anttisahla.com/slow', slow);
    srv.fault('https://llm-stats.com/slow', slow);
    const both = { ...site, hosts: ['anttisahla.com', 'llm-stats.com'] };
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0, hostConcurrency: 4, maxConcurrency: 3, respectRobots: false });
    const hosts = ['anttisahla.com', 'llm-stats.com'];
    await Promise.all(Array.from({ length: 10 }, (_, i) => f.fetch(`https://${hosts[i % 2]}/slow?i=${i}`, both)));
    expect(srv.log).toHaveLength(10);
    expect(srv.maxInFlight).toBe(3);
  });

  it('backs off exponentially with jitter on 5xx', async () => {
    srv.reset();
    srv.fault(TARGET, (_req, res) => res.writeHead(502).end());
    const clock = virtualTime();
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0, retries: 4, backoffBaseMs: 1000, respectRobots: false, ...clock });
    await expect(f.fetch(TARGET, site)).rejects.toThrow(/HTTP 502 \(gave up after 5 attempts\)/);
    expect(clock.sleeps).toHaveLength(4);
    clock.sleeps.forEach((ms, n) => {
      expect(ms).toBeGreaterThanOrEqual(1000 * 2 ** n * 0.5);
      expect(ms).toBeLessThanOrEqual(1000 * 2 ** n);
    });
  });

  it('stops at the run deadline instead of starting another attempt', async () => {
    srv.reset();
    srv.fault(TARGET, (_req, res) => res.writeHead(500).end());
    const clock = virtualTime();
    const f = new Fetcher({
      transport: srv.transport,
      hostIntervalMs: 0,
      retries: 10,
      backoffBaseMs: 1000,
      respectRobots: false,
      runDeadline: clock.now() + 2500,
      ...clock,
    });
    await expect(f.fetch(TARGET, site)).rejects.toThrow(/no time left in the run for another attempt/);
    await expect(f.fetch('https://anttisahla.com/ai/models/dall-e-3', site)).resolves.toMatchObject({ status: 200 });
    await clock.sleep(5000);
    await expect(f.fetch('https://anttisahla.com/ai/models/dall-e-3', site)).rejects.toThrow(/time budget was spent/);
  });

  it('refuses a declared body over the cap before reading it, and undeclared hosts outright', async () => {
    srv.reset();
    srv.fault(TARGET, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 * 1024 * 1024) });
      res.write('<html>');
    });
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0, maxBytes: 1024 * 1024, respectRobots: false });
    await expect(f.fetch(TARGET, site)).rejects.toThrow(/response of 52428800 bytes is larger than the 1048576-byte cap/);
    await expect(f.fetch('https://llm-stats.com/models', site)).rejects.toThrow(HostNotAllowedError);
    expect(srv.log.map((l) => l.url)).toEqual([TARGET]);
  });

  it('checks the content type against what the source parses', async () => {
    srv.reset();
    srv.fault('https://anttisahla.com/x.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'));
    srv.fault('https://anttisahla.com/plain', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('{"a":1}'));
    srv.fault('https://anttisahla.com/untyped', (_req, res) => res.writeHead(200, {}).end('<html><p>hi</p></html>'));
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0, respectRobots: false, retries: 0 });
    await expect(f.fetch('https://anttisahla.com/x.json', site)).rejects.toThrow(WrongContentTypeError);
    await expect(f.fetch('https://anttisahla.com/plain', { ...site, kind: 'catalog' })).resolves.toMatchObject({ body: '{"a":1}' });
    await expect(f.fetch('https://anttisahla.com/untyped', site)).resolves.toMatchObject({ status: 200 });
    await expect(f.fetch('https://anttisahla.com/untyped', { ...site, kind: 'catalog' })).rejects.toThrow(/expected application\/json/);
  });

  it('robots.txt disallowing a page throws RobotsDisallowedError without fetching it', async () => {
    srv.reset();
    srv.robots.set('anttisahla.com', { status: 200, body: 'User-agent: modelfacts\nDisallow: /ai/\n' });
    const f = new Fetcher({ transport: srv.transport, hostIntervalMs: 0 });
    await expect(f.fetch(TARGET, site)).rejects.toThrow(RobotsDisallowedError);
    expect(srv.log.map((l) => l.url)).toEqual(['https://anttisahla.com/robots.txt']);
  });
});
