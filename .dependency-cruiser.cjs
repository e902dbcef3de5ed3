/**
 * Import rules of the pipeline (ARCHITECTURE.md): the stages read in data-flow
 * order, a stage never imports a later one, the pure stages touch no IO, the
 * store calls no stage, and only run/ strings stages together.
 * `npm run lint` fails on any violation.
 */
const PURE = '^(extractors|schema|pipelines/normalize|pipelines/reconcile)/';
const IO_MODULES = '^(node:)?(fs|fs/promises|net|http|https|child_process)$|^(pg|pg-copy-streams|drizzle-orm|undici|playwright|@electric-sql/pglite)(/|$)';
const STAGE = (names) => `^pipelines/(${names.join('|')})/`;

module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'pure-imports-no-io',
      comment: 'extraction, normalization, reconciliation and the schema are pure: no file, network, process or database module',
      severity: 'error',
      from: { path: PURE },
      to: { path: IO_MODULES },
    },
    {
      name: 'pure-imports-no-io-stage',
      comment: 'the pure folders never reach into fetch, store, publish, run, report or the CLI',
      severity: 'error',
      from: { path: PURE },
      to: { path: [STAGE(['fetch', 'store', 'publish', 'run', 'report']), '^cli/'] },
    },
    {
      name: 'store-imports-no-stage',
      comment: 'store/ is database access only: it calls no stage (types and the schema are fine)',
      severity: 'error',
      from: { path: STAGE(['store']) },
      to: { path: [STAGE(['fetch', 'normalize', 'reconcile', 'publish', 'run', 'report']), '^cli/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'fetch-is-first',
      severity: 'error',
      from: { path: STAGE(['fetch']) },
      to: { path: [STAGE(['normalize', 'reconcile', 'store', 'publish', 'run', 'report']), '^cli/'] },
    },
    {
      name: 'normalize-before-reconcile',
      severity: 'error',
      from: { path: STAGE(['normalize']) },
      to: { path: STAGE(['reconcile']) },
    },
    {
      name: 'publish-does-not-orchestrate',
      comment: 'publish writes one run\'s results; it neither calls reconcile nor the run/ or report/ code',
      severity: 'error',
      from: { path: STAGE(['publish']) },
      to: { path: [STAGE(['fetch', 'normalize', 'reconcile', 'run', 'report']), '^cli/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'report-is-read-only',
      comment: 'report/ builds views of what is stored; recording a decision and re-reconciling is run/ work',
      severity: 'error',
      from: { path: STAGE(['report']) },
      to: { path: [STAGE(['fetch', 'publish', 'run']), '^cli/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'only-run-orchestrates',
      comment: 'nothing below the CLI calls run/ but run/ itself',
      severity: 'error',
      from: { pathNot: '^(cli|pipelines/run|test|bench|scripts)/' },
      to: { path: STAGE(['run']) },
    },
    {
      name: 'cli-is-the-top',
      severity: 'error',
      from: { pathNot: '^(cli|test|bench|bin)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^tsx/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|migrations|fixtures)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // resolve package subpath exports (e.g. @openrouter/sdk/models) as Node does
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'types', 'node', 'default'] },
  },
};
