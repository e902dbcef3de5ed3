import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // two files at a time: most tests wait on Postgres, servers or child processes (one, vitest's default on 2 cores, took ~11 min; two ~7)
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
