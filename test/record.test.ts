/**
 * `modelfacts record`: a capture of what the sources fetch, written as a
 * replay archive, replays to the same claims. The "live" site here is the
 * bundled 2026-W17 archive behind the replay server (the Vercel page renders
 * its prices from an XHR call, which must be captured too), plus a small
 * local server for redirects, compression and headers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anttisahla } from '../extractors/anttisahla.js';
import type { SourceModule } from '../extractors/contract.js';
import { llmStats } from '../extractors/llm-stats.js';
import { openaiDocs } from '../extractors/openai-docs.js';
import { vercelGatewayPage } from '../extractors/vercel-gateway-page.js';
import { recordArchive } from '../cli/record-command.js';
import { Fetcher } from '../pipelines/fetch/index.js';
import { ArchiveRecorder, archivePath } from '../pipelines/fetch/record.js';
import { loadArchive, startReplayServer, type ReplayServer } from '../pipelines/fetch/replay.js';
import { SEED_ALIAS_TABLE } from '../pipelines/normalize/identity.js';
import { runSource } from '../pipelines/run/refresh.js';
import { claimContentHash, claimIdentity } from '../pipelines/store/rows.js';

const SOURCES: SourceModule[] = [anttisahla, llmStats, openaiDocs, vercelGatewayPage];
const root = mkdtempSync(join(tmpdir(), 'mf-record-'));
const tmp = (name: string) => join(mkdtempSync(join(root, 'x-')), name);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Each source's claims through a replay of `folder`, as identity=contentHash (fetch times left out). */
async function claimsFrom(folder: string): Promise<Record<string, string[]>> {
  const server = await startReplayServer(loadArchive(folder));
  const fetcher = new Fetcher({ transport: server.transport, retries: 0 });
  try {
    const out: Record<string, string[]> = {};
    for (const s of SOURCES) {
      const o = await runSource(s, (url, src) => fetcher.fetch(url, src), SEED_ALIAS_TABLE);
      expect(o.status, `${s.id}: ${o.reason}`).toBe('ok');
      out[s.id] = o.claims.map((c) => `${claimIdentity(c)}=${claimContentHash(c)}`).sort();
    }
    return out;
  } finally {
    await fetcher.close();
    await server.close();
  }
}

describe('recording the sources into a replay archive', () => {
  let live: ReplayServer;
  const out = tmp('capture');
  beforeAll(async () => {
    live = await startReplayServer(loadArchive('fixtures/replay/2026-W17'));
  });
  afterAll(async () => {
    await live.close();
  });

  it('captures pages, robots.txt and the browser page’s XHR calls, and replays to the same claims', async () => {
    const result = await recordArchive({ out, sources: SOURCES, transport: live.transport, week: '2026-W17' });
    expect(result.sources.map((s) => [s.sourceId, s.status])).toEqual(SOURCES.map((s) => [s.id, 'ok']).sort());

    const archive = loadArchive(out);
    expect(archive.week).toBe('2026-W17');
    const urls = [...archive.entries.keys()];
    expect(urls).toContain('https://vercel.com/ai-gateway/models/gpt-image-1-mini');
    // the client-side call that fills the Vercel providers table
    expect(urls).toContain('https://vercel.com/ai-gateway/api/models/gpt-image-1-mini/endpoints');
    expect(urls).toContain('https://llm-stats.com/robots.txt');
    expect(result.entries).toBe(urls.length);
    // the document is stored as served, not as the browser rendered it
    const doc = archive.entries.get('https://vercel.com/ai-gateway/models/gpt-image-1-mini')!;
    const original = loadArchive('fixtures/replay/2026-W17').entries.get(doc.url)!;
    expect(readFileSync(doc.file, 'utf8')).toBe(readFileSync(original.file, 'utf8'));

    expect(await claimsFrom(out)).toEqual(await claimsFrom('fixtures/replay/2026-W17'));
  });

  it('refuses a folder that holds files already', async () => {
    await expect(recordArchive({ out, sources: [llmStats], transport: live.transport })).rejects.toThrow(
      /is not empty: record into a new folder/,
    );
  });

  it('the CLI records from an archive with the archive’s week and exits 0', () => {
    const target = tmp('cli');
    const r = spawnSync(
      process.execPath,
      ['bin/modelfacts.js', 'record', '--out', target, '--replay', 'fixtures/replay/2026-W16', '--source', 'llm-stats', '--json'],
      { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 },
    );
    expect(r.stderr).not.toMatch(/modelfacts:/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ week: '2026-W16', sources: [{ sourceId: 'llm-stats', status: 'ok' }] });
    expect(existsSync(join(target, 'manifest.json'))).toBe(true);
  });
});

describe('what a recording keeps of a response', () => {
  it('keeps redirect hops, stores bodies decoded, drops cookies and transfer headers', async () => {
    const page = '<html><body><h1>Hello</h1></body></html>';
    const srv = createServer((req, res) => {
      if (req.url?.startsWith('/site.test/old')) {
        res.writeHead(301, { location: '/new', 'set-cookie': 'session=secret' }).end();
      } else if (req.url?.startsWith('/site.test/new')) {
        res.writeHead(200, {
          'content-type': 'text/html',
          'content-encoding': 'gzip',
          etag: '"v1"',
          'set-cookie': 'session=secret',
          'x-request-id': 'abc',
        });
        res.end(gzipSync(page));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    const recorder = new ArchiveRecorder();
    const fetcher = new Fetcher({
      transport: { name: 'replay', target: (u) => `http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}` },
      record: recorder.record,
      respectRobots: false,
    });
    const site = { id: 's', hosts: ['site.test'], fetchMode: 'http' as const, kind: 'html' as const };
    const fetched = await fetcher.fetch('https://site.test/old', site);
    srv.close();
    const folder = tmp('hops');
    const manifest = recorder.write(folder, { week: '2026-W17' });
    expect(manifest.entries).toEqual([
      { url: 'https://site.test/new', status: 200, headers: { 'content-type': 'text/html', etag: '"v1"' }, body: 'pages/site.test/new.html' },
      { url: 'https://site.test/old', status: 301, headers: { location: '/new' }, body: 'pages/site.test/old.bin' },
    ]);
    expect(readFileSync(join(folder, 'pages/site.test/new.html'), 'utf8')).toBe(page);
    expect(readFileSync(join(folder, 'manifest.json'), 'utf8')).not.toMatch(/secret|x-request-id/);

    // and it replays to the same page, redirect included
    const replay = await startReplayServer(loadArchive(folder));
    try {
      const again = await new Fetcher({ transport: replay.transport, respectRobots: false }).fetch('https://site.test/old', site);
      expect(again).toMatchObject({ body: fetched.body, hash: fetched.hash, finalUrl: 'https://site.test/new' });
    } finally {
      await replay.close();
    }
  });

  it('names files by the fixture layout: path plus extension, _index for a folder, a hash for a query', () => {
    expect(archivePath(new URL('https://llm-stats.com/models'), 'text/html')).toBe('pages/llm-stats.com/models.html');
    expect(archivePath(new URL('https://llm-stats.com/'), 'text/html')).toBe('pages/llm-stats.com/_index.html');
    expect(archivePath(new URL('https://llm-stats.com/a/'), 'text/html')).toBe('pages/llm-stats.com/a/_index.html');
    expect(archivePath(new URL('https://models.dev/api.json'), 'application/json')).toBe('pages/models.dev/api.json.json');
    expect(archivePath(new URL('https://x.test/v1/models?page=2'), 'application/json')).toMatch(
      /^pages\/x\.test\/v1\/models@[0-9a-f]{10}\.json$/,
    );
    expect(archivePath(new URL('https://x.test/a%20b/..%2F..%2Fetc'), 'text/plain')).toBe('pages/x.test/a_b/.._.._etc.txt');
  });
});
