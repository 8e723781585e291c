import { defineConfig } from 'vitest/config';

// The default suite: everything that runs on a fresh clone with nothing else running.
// Suites that need PostgreSQL / Redis / NATS live under `*.services.test.ts` and run through
// vitest.services.config.ts (see .ci/run).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/*.services.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', ['./test/support/summary-reporter.ts', { listServiceSuites: true }]],
  },
});
