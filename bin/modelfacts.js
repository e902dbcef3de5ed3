#!/usr/bin/env node
// Runs the bundled CLI (dist/, built by `npm install` / `npm run build`) when it is
// up to date with the sources, else the TypeScript sources directly through tsx:
// an edited checkout never runs stale code, an installed one starts fast.
import { existsSync, readFileSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const bundle = new URL('dist/modelfacts.mjs', root);
const manifest = new URL('dist/build.json', root);

function bundleIsFresh() {
  if (!existsSync(bundle) || !existsSync(manifest)) return false;
  const built = statSync(bundle).mtimeMs;
  const { inputs } = JSON.parse(readFileSync(manifest, 'utf8'));
  return inputs.every((file) => {
    const source = new URL(file, root);
    return existsSync(source) && statSync(source).mtimeMs <= built;
  });
}

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
const code = await main(process.argv);
// exit once stdout has drained, so piped output is never cut short
process.stdout.write('', () => process.exit(code));
