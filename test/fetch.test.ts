import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LayoutError } from '../extractors/contract.js';
import { vercelGatewayPage } from '../extractors/vercel-gateway-page.js';
import { findChromium } from '../pipelines/fetch/browser.js';
import { BrowserUnavailableError, Fetcher, HostNotAllowedError } from '../pipelines/fetch/index.js';
import { ArchiveError, loadArchive, startReplayServer, type ReplayServer } from '../pipelines/fetch/replay.js';

const PAGE = 'https://vercel.com/ai-gateway/models/gpt-image-1-mini';

describe('replay through the fetch layer', () => {
  let server: ReplayServer;
  let fetcher: Fetcher;
  beforeAll(async () => {
    server = await startReplayServer(loadArchive('fixtures/replay/2026-W17'));
    fetcher = new Fetcher({ transport: server.transport, retries: 0 });
  });
  afterAll(async () => {
    await fetcher.close();
    await server.close();
  });

  it('a plain HTTP fetch of the Vercel page does not contain the prices; the browser fetch does', async () => {
    const http = await fetcher.fetch(PAGE, { ...vercelGatewayPage, fetchMode: 'http' });
    expect(http.mode).toBe('http');
    expect(http.body).toContain('GPT Image 1 Mini');
    expect(http.body).not.toMatch(/\$8\.00/);
    expect(() => vercelGatewayPage.extract({ ...http, url: PAGE })).toThrow(LayoutError);

    const browser = await fetcher.fetch(PAGE, vercelGatewayPage);
    expect(browser.mode).toBe('browser');
    expect(browser.body).toMatch(/\$8\.00/);
    const prices = vercelGatewayPage
      .extract({ ...browser, url: PAGE })
      .observations.filter((o) => o.attribute === 'price' && o.value.kind === 'money');
    const byDirection = Object.fromEntries(prices.map((o) => [o.qualifiers.direction, o.value.kind === 'money' && o.value.usd]));
    expect(byDirection).toMatchObject({ input: '2', output: '8', cache_read: '0.2' });
  });

  it('serves the archive at the live URL and answers 404 for what it does not hold', async () => {
    const page = await fetcher.fetch('https://platform.openai.com/docs/models/gpt-image-1-mini', {
      id: 'openai-docs',
      hosts: ['platform.openai.com'],
      fetchMode: 'http',
    });
    expect(page.url).toBe('https://platform.openai.com/docs/models/gpt-image-1-mini');
    expect(page.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      fetcher.fetch('https://platform.openai.com/docs/models/no-such-model', {
        id: 'openai-docs',
        hosts: ['platform.openai.com'],
        fetchMode: 'http',
      }),
    ).rejects.toThrow(/HTTP 404/);
    expect(server.misses).toContain('https://platform.openai.com/docs/models/no-such-model');
  });

  it('refuses hosts the source did not declare', async () => {
    await expect(
      fetcher.fetch('https://evil.example.com/x', { id: 'openai-docs', hosts: ['platform.openai.com'], fetchMode: 'http' }),
    ).rejects.toThrow(HostNotAllowedError);
  });
});

describe('redirects and the allowlist', () => {
  it('refuses a redirect to an undeclared host', async () => {
    const srv = createServer((req, res) => {
      res.writeHead(302, { location: 'https://elsewhere.example.org/page' }).end();
    });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    const port = (srv.address() as AddressInfo).port;
    const fetcher = new Fetcher({
      transport: { name: 'replay', target: (u) => `http://127.0.0.1:${port}${u.pathname}` },
      retries: 0,
      respectRobots: false,
    });
    await expect(fetcher.fetch('https://site.test/a', { id: 's', hosts: ['site.test'], fetchMode: 'http' })).rejects.toThrow(
      /elsewhere\.example\.org.*not declared/,
    );
    srv.close();
  });
});

describe('archive and browser errors', () => {
  it('names a malformed manifest and its bad field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mf-archive-'));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ entries: [{ url: 'not a url', status: 200, body: 'x' }] }));
    expect(() => loadArchive(dir)).toThrow(ArchiveError);
    expect(() => loadArchive(dir)).toThrow(/entries\.0\.url.*not a url/);
    writeFileSync(join(dir, 'manifest.json'), '{ nope');
    expect(() => loadArchive(dir)).toThrow(/manifest\.json is not valid JSON/);
    expect(() => loadArchive(join(dir, 'missing'))).toThrow(/does not exist/);
  });

  it('says clearly when no browser is found', () => {
    expect(() => findChromium({ MODELFACTS_CHROMIUM: '/nowhere/chromium' })).toThrow(BrowserUnavailableError);
    expect(() => findChromium({ MODELFACTS_CHROMIUM: '/nowhere/chromium' })).toThrow(/MODELFACTS_CHROMIUM points at \/nowhere\/chromium/);
  });
});
