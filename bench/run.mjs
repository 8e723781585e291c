#!/usr/bin/env node
// `npm run bench`: runs the shared gateway harness (../shared/bench, or SWITCHYARD_SHARED_DIR/bench) with
// Switchyard as a target, started from the built JavaScript with auth and the ledger on, beside Portkey and
// the baseline pass-through proxy, in one run. Extra arguments go to the harness (e.g. --reps 1 --duration 5).
// `npm run bench -- --governance` measures the cost of limits and budgets instead (see bench/governance.mjs).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyHarness, gatewayEntry, runHarness } from './harness.mjs';

const argv = process.argv.slice(2);
if (argv.includes('--governance')) {
  const { runGovernanceBench } = await import('./governance.mjs');
  process.exit(await runGovernanceBench(argv.filter((arg) => arg !== '--governance')));
}

const harness = copyHarness();
const port = process.env.SWITCHYARD_BENCH_PORT ?? '8787';
const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const key = 'sk-sy-bench-master-key';
// OPENAI_BASE_URL / OPENAI_API_KEY / PORT come from the harness: the gateway discovers the mock as `openai`.
const command = [
  `SWITCHYARD_MASTER_KEY=${key}`,
  `SWITCHYARD_DATA_DIR=${dataDirectory}`,
  'SWITCHYARD_LOG_LEVEL=warn',
  'NODE_ENV=production',
  `node ${gatewayEntry} start --port ${port}`,
].join(' ');
process.exit(
  runHarness(harness, [
    '--baseline',
    '--target', `http://127.0.0.1:${port}/v1`,
    '--target-name', 'switchyard',
    '--target-cmd', command,
    '--target-header', `Authorization: Bearer ${key}`,
    ...argv,
  ]),
);
