import { defineConfig } from 'vitest/config';

// The services suite: only `*.services.test.ts`, which need PostgreSQL (127.0.0.1:5432, trust auth,
// database `test`), Redis or NATS running. `.ci/run` starts them, then runs `npm run test:services`.
export default defineConfig({
  test: {
    include: ['src/**/*.services.test.ts', 'test/**/*.services.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
