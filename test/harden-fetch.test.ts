/**
 * Hostile input at the fetch edge: replay archives that try to read outside
 * their folder or hang the reader, redirects that downgrade the scheme or
 * change the port, an oversized robots.txt, a page in another charset, and a
 * rendered page that tries to open WebSockets, WebRTC or undeclared hosts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher, PermanentFetchError, RobotsDisallowedError, type Transport } from '../pipelines/fetch/index.js';
import { httpGet } from '../pipelines/fetch/http.js';
import { decodeBody } from '../pipelines/fetch/charset.js';
import iconv from 'iconv-lite';
import { ArchiveError, loadArchive, startReplayServer } from '../pipelines/fetch/replay.js';

const root = mkdtempSync(join(tmpdir(), 'mf-harden-fetch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const URL1 = 'https://example.test/a';

/** An archive folder whose single entry's body is `body` (a path, relative to the folder). */
function archive(name: string, entries: object[], files: Record<string, string | Buffer> = {}, raw?: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'pages'), { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(join(dir, f), content);
  writeFileSync(join(dir, 'manifest.json'), raw ?? JSON.stringify({ week: '2026-W17', entries }));
  return dir;
}
const entry = (body: string, extra: object = {}) => ({ url: URL1, status: 200, headers: { 'content-type': 'text/html' }, body, ...extra });

describe('replay archives read nothing outside their folder', () => {
  it('refuses a body symlinked to a file outside', () => {
    writeFileSync(join(root, 'secret.txt'), 'secret');
    const dir = archive('symlink', [entry('pages/a.html')]);
    symlinkSync(join(root, 'secret.txt'), join(dir, 'pages/a.html'));
    expect(() => loadArchive(dir)).toThrow(ArchiveError);
    expect(() => loadArchive(dir)).toThrow(/entry #1 \(https:\/\/example\.test\/a\): body pages\/a\.html resolves to .*secret\.txt, outside the folder/);
  });

  it('refuses a body in a sibling folder whose name starts with the archive name', () => {
    mkdirSync(join(root, 'prefix-evil'), { recursive: true });
    writeFileSync(join(root, 'prefix-evil', 'x.html'), '<p>outside</p>');
    const dir = archive('prefix', [entry('../prefix-evil/x.html')]);
    expect(() => loadArchive(dir)).toThrow(/points outside the folder/);
  });

  it('refuses a FIFO (without hanging), /dev/zero, a directory and a body over the size cap', () => {
    const fifo = archive('fifo', [entry('pages/a.html')]);
    execFileSync('mkfifo', [join(fifo, 'pages/a.html')]);
    expect(() => loadArchive(fifo)).toThrow(/body pages\/a\.html is not a regular file/);

    const zero = archive('zero', [entry('pages/a.html')]);
    symlinkSync('/dev/zero', join(zero, 'pages/a.html'));
    expect(() => loadArchive(zero)).toThrow(/resolves to \/dev\/zero, outside the folder/);

    const dirBody = archive('dirbody', [entry('pages')]);
    expect(() => loadArchive(dirBody)).toThrow(/body pages is not a regular file/);

    const big = archive('big', [entry('pages/a.html')], { 'pages/a.html': '' });
    truncateSync(join(big, 'pages/a.html'), 26 * 1024 * 1024); // sparse: no disk used
    expect(() => loadArchive(big)).toThrow(/has 27262976 bytes, more than the 26214400-byte cap/);
  });

  it('refuses header names and values with CR, LF or NUL, naming the header', () => {
    const value = archive('hdr-value', [entry('pages/a.html', { headers: { 'x-a': 'ok\r\nset-cookie: x=1' } })], { 'pages/a.html': '<p>' });
    expect(() => loadArchive(value)).toThrow(/headers\.x-a: header x-a holds a control character/);
    const name = archive('hdr-name', [entry('pages/a.html', { headers: { 'bad name\n': 'v' } })], { 'pages/a.html': '<p>' });
    expect(() => loadArchive(name)).toThrow(/is not an HTTP token/);
  });

  it('reports duplicate URLs, and reads a manifest that starts with a byte-order mark', () => {
    const dup = archive('dup', [entry('pages/a.html'), entry('pages/a.html')], { 'pages/a.html': '<p>' });
    expect(() => loadArchive(dup)).toThrow(/entries #1 and #2 both hold https:\/\/example\.test\/a; keep one/);
    const manifest = `\uFEFF${JSON.stringify({ week: '2026-W17', entries: [entry('pages/a.html')] })}`;
    const bom = archive('bom', [], { 'pages/a.html': '<p>' }, manifest);
    expect(loadArchive(bom).entries.size).toBe(1);
  });

  it('decodes UTF-8 as iconv-lite does: the BOM dropped, each invalid or cut-off sequence one U+FFFD', () => {
    const bodies = [
      Buffer.from('\uFEFF{"name":"Mistral Médium"}'),
      Buffer.from([0x7b, 0xc3, 0x28, 0xe2, 0x82, 0x7d, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xef, 0xbb, 0xbf, 0xe2, 0x82]),
      Buffer.from([0xef, 0xbb]),
    ];
    for (const body of bodies) {
      for (const type of ['application/json', 'text/html; charset=utf-8']) expect(decodeBody(body, type)).toBe(iconv.decode(body, 'utf-8'));
    }
    expect(decodeBody(bodies[0]!, 'application/json')).toBe('{"name":"Mistral Médium"}');
  });

  it('honours the charset of the headers, else of the page', async () => {
    const latin = Buffer.from('<p>Mistral Médium, Ünïcode</p>', 'latin1');
    const meta = Buffer.concat([Buffer.from('<html><head><meta charset="windows-1252"></head><body>', 'latin1'), Buffer.from([0x93, 0x41, 0x94])]);
    const dir = archive(
      'charset',
      [
        entry('pages/a.html', { headers: { 'content-type': 'text/html; charset=ISO-8859-1' } }),
        entry('pages/b.html', { url: 'https://example.test/b', headers: { 'content-type': 'text/html' } }),
      ],
      { 'pages/a.html': latin, 'pages/b.html': meta },
    );
    const server = await startReplayServer(loadArchive(dir));
    const fetcher = new Fetcher({ transport: server.transport, retries: 0, respectRobots: false });
    try {
      const source = { id: 't', hosts: ['example.test'], fetchMode: 'http' as const };
      expect((await fetcher.fetch(URL1, source)).body).toBe('<p>Mistral Médium, Ünïcode</p>');
      expect((await fetcher.fetch('https://example.test/b', source)).body).toContain('\u201cA\u201d');
    } finally {
      await fetcher.close();
      await server.close();
    }
  });
});

describe('a replay answers in process what its server answers over the socket', () => {
  it('the same status, headers, body and hash for a page, a 304, a redirect and a miss', async () => {
    const latin = Buffer.from('<p>Mistral Médium</p>', 'latin1');
    const dir = archive(
      'in-process',
      [
        entry('pages/a.html', { headers: { 'Content-Type': 'text/html; charset=ISO-8859-1', ETag: '"v1"', 'Last-Modified': 'Mon, 06 Apr 2026 06:00:00 GMT' } }),
        { url: 'https://example.test/moved', status: 301, headers: { location: 'https://example.test/a' }, body: 'pages/empty.html' },
      ],
      { 'pages/a.html': latin, 'pages/empty.html': '' },
    );
    const server = await startReplayServer(loadArchive(dir));
    expect(server.transport.dispatcher).toBeDefined();
    const viaSocket: Transport = { ...server.transport, dispatcher: undefined };
    const get = (transport: Transport, url: string, conditional?: { etag: string }) =>
      httpGet(url, { transport, allowedHosts: ['example.test'], userAgent: 'test', timeoutMs: 5000, maxBytes: 1 << 20, conditional });
    // the socket's own headers (date, connection, keep-alive) are the server's, not the archive's
    const comparable = ({ fetchedAt: _, headers, ...page }: Awaited<ReturnType<typeof get>>) => ({
      ...page,
      headers: Object.fromEntries(Object.entries(headers).filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k))),
    });
    try {
      for (const [url, conditional] of [[URL1], [URL1, { etag: '"v1"' }], ['https://example.test/moved']] as const) {
        const inProcess = comparable(await get(server.transport, url, conditional));
        expect(inProcess).toEqual(comparable(await get(viaSocket, url, conditional)));
        expect(inProcess.status).toBe(conditional ? 304 : 200);
      }
      expect(comparable(await get(server.transport, URL1)).headers).toEqual({
        'content-type': 'text/html; charset=ISO-8859-1',
        etag: '"v1"',
        'last-modified': 'Mon, 06 Apr 2026 06:00:00 GMT',
        'content-length': String(latin.length),
      });
      const missing = 'https://example.test/missing';
      const failure = (t: Transport) => get(t, missing).then(() => new Error('answered'), (e: Error) => e);
      const [a, b] = await Promise.all([failure(server.transport), failure(viaSocket)]);
      expect([a.constructor, a.message]).toEqual([b.constructor, b.message]);
      expect(a.message).toMatch(/HTTP 404/);
      expect(server.misses).toEqual([missing, missing]);
    } finally {
      await server.close();
    }
  });
});

/** A local server standing for every live host; `handler` answers by live URL. */
async function liveServer(handler: (req: IncomingMessage, res: ServerResponse, live: URL) => void) {
  const server: Server = createServer((req, res) => {
    const raw = req.url ?? '/';
    const slash = raw.indexOf('/', 1);
    handler(req, res, new URL(`https://${raw.slice(1, slash)}${raw.slice(slash)}`));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const transport: Transport = { name: 'replay', target: (u) => `http://127.0.0.1:${port}/${u.host}${u.pathname}${u.search}` };
  return { server, transport, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

describe('redirects and robots.txt', () => {
  let srv: Awaited<ReturnType<typeof liveServer>>;
  let robots: { body: Buffer; encoding?: string } = { body: Buffer.from('') };
  beforeAll(async () => {
    srv = await liveServer((_req, res, live) => {
      if (live.pathname === '/down') res.writeHead(301, { location: 'http://example.test/page' }).end();
      else if (live.pathname === '/port') res.writeHead(302, { location: 'https://example.test:8443/page' }).end();
      else if (live.pathname === '/same') res.writeHead(302, { location: '/page' }).end();
      else if (live.pathname === '/robots.txt') {
        res.writeHead(200, { 'content-type': 'text/plain', ...(robots.encoding ? { 'content-encoding': robots.encoding } : {}) });
        res.end(robots.body);
      } else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>page</p>');
    });
  });
  afterAll(() => srv.close());
  const opts = () => ({ transport: srv.transport, allowedHosts: ['example.test'], userAgent: 'test', timeoutMs: 5000, maxBytes: 1 << 20 });

  it('refuses a redirect that downgrades https to http or changes the port; follows one on the same origin', async () => {
    await expect(httpGet('https://example.test/down', opts())).rejects.toThrow(
      /redirect to http:\/\/example\.test\/page refused: scheme changed from https: to http:/,
    );
    await expect(httpGet('https://example.test/port', opts())).rejects.toThrow(/refused: port changed from 443 to 8443/);
    await expect(httpGet('https://example.test/port', opts())).rejects.toBeInstanceOf(PermanentFetchError);
    expect((await httpGet('https://example.test/same', opts())).finalUrl).toBe('https://example.test/page');
  });

  it('obeys a Disallow at the top of a robots.txt larger than 500 KiB, plain or gzip-compressed', async () => {
    const big = Buffer.from(`User-agent: *\nDisallow: /\n${'# padding line of a very long robots.txt\n'.repeat(20_000)}`);
    expect(big.length).toBeGreaterThan(600 * 1024);
    const source = { id: 't', hosts: ['example.test'], fetchMode: 'http' as const };
    for (const variant of [{ body: big }, { body: gzipSync(big), encoding: 'gzip' }]) {
      robots = variant;
      const fetcher = new Fetcher({ transport: srv.transport, retries: 0 });
      await expect(fetcher.fetch('https://example.test/page', source)).rejects.toBeInstanceOf(RobotsDisallowedError);
      await fetcher.close();
    }
  });
});

describe('a rendered page reaches only the declared hosts', () => {
  it('cannot open a WebSocket, a WebRTC connection or a request to an undeclared host; Chromium runs in its own process group', async () => {
    // a trap on 127.0.0.1 counts every connection a page manages to open to it
    const seen: string[] = [];
    const trap = createServer((req, res) => {
      seen.push(`http ${req.url}`);
      res.end('reached');
    });
    trap.on('upgrade', (req, socket) => {
      seen.push(`upgrade ${req.url}`);
      socket.destroy();
    });
    trap.on('connection', () => seen.push('tcp'));
    await new Promise<void>((ok) => trap.listen(0, '127.0.0.1', ok));
    const port = (trap.address() as AddressInfo).port;
    const page = `<html><body><p id="rtc">?</p><p id="ws">pending</p><p id="fetch">pending</p>
<img src="http://127.0.0.1:${port}/img">
<script>
  const out = (id, text) => { document.getElementById(id).textContent = text; };
  out('rtc', typeof RTCPeerConnection);
  try {
    const ws = new WebSocket('ws://127.0.0.1:${port}/socket');
    ws.onopen = () => out('ws', 'open');
    ws.onclose = () => out('ws', 'closed');
  } catch (e) { out('ws', 'threw'); }
  fetch('http://127.0.0.1:${port}/fetch').then(() => out('fetch', 'reached'), () => out('fetch', 'blocked'));
  new Image().src = 'https://undeclared.example/pixel';
</script></body></html>`;
    const dir = archive('browser', [entry('pages/a.html')], { 'pages/a.html': page });
    const server = await startReplayServer(loadArchive(dir));
    const fetcher = new Fetcher({ transport: server.transport, retries: 0, respectRobots: false });
    try {
      const got = await fetcher.fetch(URL1, { id: 't', hosts: ['example.test'], fetchMode: 'browser' });
      expect(got.body).toContain('<p id="rtc">undefined</p>');
      expect(got.body).toContain('<p id="ws">closed</p>');
      expect(got.body).toContain('<p id="fetch">blocked</p>');
      expect(seen).toEqual([]);
      // Ctrl-C reaches the terminal's process group; Chromium is not in ours, so it is not killed with us
      const ps = execFileSync('ps', ['-o', 'pid=,pgid=,comm=', '-u', String(process.getuid!())], { encoding: 'utf8' });
      const ownGroup = execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim();
      const chromium = ps.split('\n').filter((l) => /chrom/i.test(l));
      expect(chromium.length).toBeGreaterThan(0);
      expect(chromium.filter((l) => l.trim().split(/\s+/)[1] === ownGroup)).toEqual([]);
    } finally {
      await fetcher.close();
      await server.close();
      await new Promise<void>((ok) => trap.close(() => ok()));
    }
  });
});

describe('a rendered page fetches only what its text needs', () => {
  it('asks for no image, font, audio or video; its scripts and their data are fetched', async () => {
    const page = `<html><head><style>@font-face { font-family: f; src: url('/font.woff2'); } body { font-family: f; }</style></head>
<body><img src="/pic.png"><video src="/clip.mp4" autoplay muted></video><audio src="/tune.mp3" autoplay></audio>
<p id="price">pending</p><script src="/missing.js"></script>
<script>
  new Image().src = '/pixel.gif';
  fetch('/data.json').then((r) => r.json()).then((d) => { document.getElementById('price').textContent = d.price; document.body.dataset.ready = 'yes'; });
</script></body></html>`;
    const data = 'https://example.test/data.json';
    const dir = archive('browser-unread', [entry('pages/a.html'), { url: data, status: 200, headers: { 'content-type': 'application/json' }, body: 'pages/data.json' }], {
      'pages/a.html': page,
      'pages/data.json': '{"price":"$0.25"}',
    });
    const server = await startReplayServer(loadArchive(dir));
    const fetcher = new Fetcher({ transport: server.transport, retries: 0, respectRobots: false, timeoutMs: 8000 });
    try {
      const got = await fetcher.fetch(URL1, { id: 't', hosts: ['example.test'], fetchMode: 'browser', renderedWhen: 'body[data-ready="yes"]' });
      expect(got.body).toContain('<p id="price">$0.25</p>');
      // the page itself still holds them: only their fetch was refused
      expect(got.body).toContain('<img src="/pic.png">');
      // a request the page made reaches the archive as a miss: the script did, nothing that only paints did
      expect(server.misses).toEqual(['https://example.test/missing.js']);
    } finally {
      await fetcher.close();
      await server.close();
    }
  });
});

describe('a rendered page read from its own world', () => {
  // the selector is watched and the HTML read by scripts run in the page's own world (browser.ts): a page can tamper with them
  const browserFetch = async (name: string, page: string, renderedWhen?: string, headers?: Record<string, string>) => {
    const dir = archive(name, [entry('pages/a.html', headers ? { headers: { 'content-type': 'text/html', ...headers } } : {})], { 'pages/a.html': page });
    const server = await startReplayServer(loadArchive(dir));
    const fetcher = new Fetcher({ transport: server.transport, retries: 0, respectRobots: false, timeoutMs: 8000 });
    try {
      return await fetcher.fetch(URL1, { id: 't', hosts: ['example.test'], fetchMode: 'browser', ...(renderedWhen ? { renderedWhen } : {}) });
    } finally {
      await fetcher.close();
      await server.close();
    }
  };

  it('reads the page as page.content() would: doctype, then the whole document, scripts’ changes included', async () => {
    const got = await browserFetch(
      'browser-read',
      `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><div id="table" aria-busy="true"></div>
<script>setTimeout(() => { document.getElementById('table').innerHTML = '<b>$1.25</b>'; document.getElementById('table').setAttribute('aria-busy', 'false'); }, 50);</script></body></html>`,
      '#table[aria-busy="false"]',
    );
    expect(got.body.startsWith('<!DOCTYPE html><html lang="en"><head><title>t</title></head>')).toBe(true);
    expect(got.body).toContain('<div id="table" aria-busy="false"><b>$1.25</b></div>');
    expect(got.body.endsWith('</html>')).toBe(true);
  });

  it('reads a page whose Content-Security-Policy forbids eval and every script but its own', async () => {
    const got = await browserFetch(
      'browser-csp',
      `<html><body><p id="price">pending</p><script>
  try { eval('1'); document.body.dataset.eval = 'allowed'; } catch { document.body.dataset.eval = 'refused'; }
  setTimeout(() => { document.getElementById('price').textContent = '$2.00'; document.body.dataset.ready = 'yes'; }, 50);
</script></body></html>`,
      'body[data-ready="yes"]',
      { 'content-security-policy': "default-src 'none'; script-src 'unsafe-inline'" },
    );
    // the policy held: the page's own eval was refused
    expect(got.body).toContain('data-eval="refused"');
    expect(got.body).toContain('<p id="price">$2.00</p>');
  });

  it('a page that disables the watch for its selector is read once its network is quiet, not waited on until the timeout', async () => {
    const t0 = performance.now();
    const got = await browserFetch(
      'browser-no-watch',
      `<html><body><p id="late">pending</p>
<script>
  window.MutationObserver = function () { return { observe() {}, disconnect() {} }; };
  document.querySelector = () => null;
  setTimeout(() => { document.getElementById('late').textContent = 'shown'; }, 50);
</script></body></html>`,
      '#late',
    );
    expect(got.body).toContain('<p id="late">shown</p>');
    expect(performance.now() - t0).toBeLessThan(7000);
  });

  it('a page whose document cannot be read fails with an error naming it', async () => {
    const page = `<html><body><p>x</p><script>
  Object.defineProperty(Document.prototype, 'documentElement', { get() { throw new Error('no reading me'); } });
</script></body></html>`;
    await expect(browserFetch('browser-unreadable', page)).rejects.toThrow(/^https:\/\/example\.test\/a: cannot read the rendered page: .*no reading me/);
  });
});
