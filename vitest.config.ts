import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript sources under the "source" condition.
const conditions = ['source', ...defaultServerConditions];

/** The platform's tests: one embedded Postgres for the run, cleaned up per file. */
export const platformTests = {
  name: 'platform',
  globalSetup: ['packages/devkit/src/global-setup.ts'],
  setupFiles: ['packages/devkit/src/vitest-setup.ts'],
  include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
};

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.vitest-report.json' },
    projects: [
      { extends: true, test: platformTests },
      // The manifest checks' own cases: pure functions over parsed manifests, no database. One
      // process for all their files, rather than one each re-importing the verify modules.
      { extends: true, test: { name: 'verify', include: ['verify/**/*.test.ts'], isolate: false } },
    ],
  },
});
