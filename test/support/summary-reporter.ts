import { appendFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Options given in the vitest config. */
export interface SummaryReporterOptions {
  /** Name the `*.services.test.ts` suites this run leaves out (the default run, which needs no services). */
  listServiceSuites?: boolean;
}

/**
 * Prints the plain closing line CI reads ("N passed, N failed, N skipped"), after vitest's own summary, and in
 * the default run which suites need PostgreSQL / Redis / NATS and were not run.
 */
export default class SummaryReporter implements Reporter {
  constructor(private readonly options: SummaryReporterOptions = {}) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed++;
    }
    if (this.options.listServiceSuites) {
      const root = process.cwd();
      const suites = ['src', 'test'].flatMap((folder) => findServiceSuites(join(root, folder))).map((file) => relative(root, file)).sort();
      process.stdout.write(`\nNot run here (they need PostgreSQL, Redis or NATS; \`npm run test:services\` runs them): ${suites.length} suites\n`);
      for (const suite of suites) process.stdout.write(`  ${suite}\n`);
    }
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    // CI runs several suites and prints one total at the end (see .ci/run).
    const totals = process.env.SWITCHYARD_TEST_TOTALS_FILE;
    if (totals) appendFileSync(totals, `${passed} ${failed} ${skipped}\n`);
  }
}

function findServiceSuites(folder: string): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findServiceSuites(path);
    return entry.name.endsWith('.services.test.ts') ? [path] : [];
  });
}
