/** A local HTTP server on 127.0.0.1 (port 0) serving fixed documents, for pointing a consumer's own loader at an export. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function serveDocuments(docs: Record<string, string>): Promise<{ url: (path: string) => string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const body = docs[req.url ?? ''];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () => new Promise<void>((ok, fail) => server.close((e) => (e ? fail(e) : ok()))),
  };
}
