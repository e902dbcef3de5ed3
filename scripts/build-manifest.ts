/**
 * Writes fixtures/replay/<week>/manifest.json from the files under
 * fixtures/replay/<week>/pages/<host>/<url path>.
 *
 * File naming: the URL path with one extension (.html .json .txt .xml) added;
 * a last segment `_index` stands for its folder (`models/_index.html` is
 * `/models`). An optional sidecar `<file>.meta.json` gives
 * `{ "status": 404, "headers": { ... } }`.
 * Usage: npx tsx scripts/build-manifest.ts fixtures/replay/2026-W16 [...]
 */
import { readdirSync, statSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

for (const weekDir of process.argv.slice(2)) {
  const pagesDir = join(weekDir, 'pages');
  if (!existsSync(pagesDir)) throw new Error(`${pagesDir} does not exist`);
  const entries = walk(pagesDir)
    .filter((f) => !f.endsWith('.meta.json'))
    .sort()
    .map((file) => {
      const rel = relative(pagesDir, file).split(sep);
      const host = rel[0]!;
      const last = rel[rel.length - 1]!;
      const ext = Object.keys(TYPES).find((e) => last.endsWith(e));
      if (!ext) throw new Error(`${file}: name must end in one of ${Object.keys(TYPES).join(' ')}`);
      const segments = [...rel.slice(1, -1), last.slice(0, -ext.length)];
      if (segments[segments.length - 1] === '_index') segments.pop();
      const url = `https://${host}/${segments.join('/')}`;
      const metaFile = `${file}.meta.json`;
      const meta = existsSync(metaFile) ? JSON.parse(readFileSync(metaFile, 'utf8')) : {};
      return {
        url,
        status: meta.status ?? 200,
        headers: { 'content-type': TYPES[ext], ...(meta.headers ?? {}) },
        body: relative(weekDir, file).split(sep).join('/'),
      };
    });
  const week = weekDir.replace(/\/$/, '').split('/').pop();
  writeFileSync(join(weekDir, 'manifest.json'), `${JSON.stringify({ week, entries }, null, 2)}\n`);
  console.log(`${weekDir}: ${entries.length} entries`);
}
