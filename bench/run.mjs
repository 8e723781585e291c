#!/usr/bin/env node
// `npm run bench`: runs the shared gateway harness (../shared/bench, or SWITCHYARD_SHARED_DIR/bench) with
// Switchyard as a target, started from the built JavaScript with its defaults (auth, the ledger, payloads stored
// in full, traces, metrics), beside the same gateway with the whole observatory set on explicitly and with
// payload capture, tracing and metrics off, Portkey and the baseline pass-through proxy, in one run. Extra arguments go to the
// harness (e.g. --reps 1 --duration 5). The observatory's share (full / off throughput, issue 4's bar: >= 0.85)
// is printed and appended to bench/RESULTS.md.
// `npm run bench -- --governance` measures the cost of limits and budgets instead (see bench/governance.mjs).
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyHarness, gatewayEntry, root, runHarness } from './harness.mjs';
import { observatoryResultsSection } from './observatory-report.mjs';

const argv = process.argv.slice(2);
if (argv.includes('--governance')) {
  const { runGovernanceBench } = await import('./governance.mjs');
  process.exit(await runGovernanceBench(argv.filter((arg) => arg !== '--governance')));
}

const harness = copyHarness();
const port = Number(process.env.SWITCHYARD_BENCH_PORT ?? '8787');
const key = 'sk-sy-bench-master-key';
/** The bar: throughput with payloads, traces and metrics on over throughput with them off. */
const requiredShare = 0.85;

// OPENAI_BASE_URL / OPENAI_API_KEY / PORT come from the harness: the gateway discovers the mock as `openai`.
function target(name, targetPort, extraEnvironment) {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const command = [`SWITCHYARD_MASTER_KEY=${key}`, `SWITCHYARD_DATA_DIR=${dataDirectory}`, 'SWITCHYARD_LOG_LEVEL=warn', 'NODE_ENV=production', ...extraEnvironment, `node ${gatewayEntry} start --port ${targetPort}`].join(' ');
  return ['--target', `http://127.0.0.1:${targetPort}/v1`, '--target-name', name, '--target-cmd', command, '--target-header', `Authorization: Bearer ${key}`];
}

const outIndex = argv.indexOf('--out');
const out = outIndex >= 0 ? argv[outIndex + 1] : join(harness, 'results', `core-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
const status = runHarness(harness, [
  '--baseline',
  ...target('switchyard', port, []),
  ...target('switchyard-observatory-full', port + 1, ['SWITCHYARD_PAYLOADS__MODE=full', 'SWITCHYARD_TRACING__ENABLED=true', 'SWITCHYARD_METRICS__ENABLED=true']),
  // The "with them off": payload logging, tracing and metrics (the ledger row stays: budgets need it).
  ...target('switchyard-observatory-off', port + 2, ['SWITCHYARD_PAYLOADS__MODE=off', 'SWITCHYARD_TRACING__ENABLED=false', 'SWITCHYARD_METRICS__ENABLED=false']),
  ...argv,
  ...(outIndex >= 0 ? [] : ['--out', out]),
]);
if (status === 0 && existsSync(out)) {
  const result = JSON.parse(readFileSync(out, 'utf8'));
  const table = readFileSync(out.replace(/\.json$/, '.txt'), 'utf8');
  const section = observatoryResultsSection({ result, table, requiredShare });
  console.log(`\n${section.ratioTable}`);
  appendFileSync(join(root, 'bench', 'RESULTS.md'), section.markdown);
  console.log('[bench] appended to bench/RESULTS.md');
}
process.exit(status);
