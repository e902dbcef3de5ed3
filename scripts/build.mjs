/**
 * `npm run build` (also run by `prepare`, so `npm install` / `npm ci` builds it):
 * bundles the CLI into dist/modelfacts.mjs with esbuild, so a command starts
 * without compiling TypeScript or resolving hundreds of module files.
 * dist/build.json lists the project files that went in: bin/modelfacts.js runs
 * the bundle only while none of them is newer, and the sources (through tsx) otherwise.
 *
 * Plain JavaScript on purpose: it runs before anything else is built.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// MODELFACTS_BUILD_OUT builds elsewhere (the bundle's test); bin/modelfacts.js runs dist/
const outdir = process.env.MODELFACTS_BUILD_OUT ? resolve(process.env.MODELFACTS_BUILD_OUT) : resolve(root, 'dist');
const outfile = resolve(outdir, 'modelfacts.mjs');

/**
 * Each module keeps its own import.meta.url (the migrations folder is found
 * from it), expressed relative to the bundle so the checkout can move.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(dirname(outfile), args.path).split('\\').join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

/**
 * zod's namespace re-exports every locale's error messages (`z.locales`, ≈ 370 kB of the bundle, half of what every
 * command loads); modelfacts uses English only, the locale zod itself configures. The bundle gets a locales module
 * with English alone, so a command does not load the other 47 at each start.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    // the file itself, not a module of another namespace: dist/build.json lists only files (bin/modelfacts.js checks them)
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
    }));
  },
};

/**
 * pg asks at load whether it runs on Cloudflare Workers, and part of the test
 * constructs a `Response`, which makes Node load its whole fetch implementation
 * (≈ 35 ms of CPU at each start) for a command that never fetches. This bundle is
 * for Node (`platform: 'node'`), so the answer is no. If pg's code changes, the
 * bundle keeps pg's own test and the build says so.
 */
const pgNotOnCloudflare = {
  name: 'pg-not-on-cloudflare',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]pg[\\/]lib[\\/]stream\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const test = 'function isCloudflareRuntime() {';
      if (!text.includes(test)) return { contents: text, loader: 'js', warnings: [{ text: `${test} not found in pg/lib/stream.js: pg's own runtime test kept` }] };
      return { contents: text.replace(test, `${test}\n  return false; // bundled for Node (scripts/build.mjs)`), loader: 'js' };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  // split: each command's modules are a chunk of their own, loaded when it runs (cli/main.ts)
  entryPoints: { modelfacts: resolve(root, 'cli/main.ts') },
  outdir,
  splitting: true,
  chunkNames: 'chunk-[name]-[hash]', // beside the entry: each module's import.meta.url is made relative to dist/
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
  // loaded from node_modules at run time: PGlite finds its WebAssembly beside its own module,
  // Playwright is imported only when a browser source runs, pg-native is pg's optional addon
  external: ['@electric-sql/pglite', 'playwright', 'playwright-core', 'pg-native'],
  // the bundled CommonJS packages call require()
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl, zodEnglishOnly, pgNotOnCloudflare],
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((f) => !f.startsWith('node_modules/'))
  .sort();
mkdirSync(dirname(outfile), { recursive: true });
writeFileSync(resolve(outdir, 'build.json'), `${JSON.stringify({ inputs }, null, 1)}\n`);
