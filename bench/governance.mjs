// `npm run bench -- --governance`: what limits and budgets cost on the request path. The bar: with
// 1,000 keys, limits and a budget on every request, the gateway keeps at least 85 % of its throughput without
// them, on the embedded preset and on the scaled one, measured in one run of the shared harness.
//
// 1. Embedded: a data directory is filled once through the admin API (bench/governance-fixture.mjs): 1,000
//    virtual keys over 4 workspaces / 8 teams, each key with a request limit, a token limit and a budget far
//    above what the run reaches, and a budget on every workspace (2 limits + 2 budget reservations a request).
// 2. Scaled: the same in a fresh PostgreSQL schema + Redis key prefix (bench/governance-stores.mjs).
// 3. One harness run: baseline, then per preset the gateway called with the master key (not governed, not
//    attributed), with a virtual key that has no limit or budget (`-plain`: "without them", the issue's
//    comparison) and with one of the 1,000 limited keys (governed). Portkey is left out (not what this measures).
// 4. The harness table and the governed/ungoverned ratios are printed and appended to bench/RESULTS.md under
//    "Governance overhead". The schema and Redis keys are removed at the end, whatever happened.
// Extra arguments go to the harness (e.g. --reps 1 --duration 5); SWITCHYARD_BENCH_KEYS changes the key count.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayEnvironment, seedGovernance, startGateway } from './governance-fixture.mjs';
import { createScaledStores } from './governance-stores.mjs';
import { copyHarness, gatewayEntry, root, shellQuote } from './harness.mjs';
import { governanceRatios, governanceResultsSection } from './governance-report.mjs';

const masterKey = 'sk-sy-bench-master-key';
/** The bar: governed throughput over ungoverned throughput, same run. */
export const requiredShare = 0.85;

/** Fills one store through a short-lived gateway and returns the secret of one governed key. */
async function prepare(label, environment, keys) {
  const started = Date.now();
  console.log(`[bench] ${label}: creating ${keys} keys with limits and budgets through the admin API`);
  const gateway = await startGateway(gatewayEnvironment({ ...environment, SWITCHYARD_MASTER_KEY: masterKey, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-bench-unused' }));
  try {
    const seeded = await seedGovernance(gateway.url, masterKey, { keys, onProgress: (done) => process.stdout.write(`\r[bench] ${label}: ${done}/${keys} keys`) });
    process.stdout.write('\n');
    console.log(`[bench] ${label}: ${seeded.workspaces} workspaces, ${seeded.teams} teams, ${seeded.keys} keys, ${seeded.limits} limits, ${seeded.budgets} budgets in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { governed: seeded.secret, plain: seeded.plainSecret };
  } catch (error) {
    console.error(`\n[bench] ${label}: filling the store failed; the gateway printed:\n${gateway.output()}`);
    throw error;
  } finally {
    await gateway.stop();
  }
}

/** The harness's `--target` arguments for one gateway started from the built JavaScript. */
function target(name, port, environment, credential) {
  // OPENAI_BASE_URL / OPENAI_API_KEY / PORT come from the harness: the gateway discovers the mock as `openai`.
  const assignments = Object.entries({ ...environment, SWITCHYARD_MASTER_KEY: masterKey, SWITCHYARD_LOG_LEVEL: 'warn', NODE_ENV: 'production' }).map(([variable, value]) => `${variable}=${shellQuote(value)}`);
  return ['--target', `http://127.0.0.1:${port}/v1`, '--target-name', name, '--target-cmd', `${assignments.join(' ')} node ${shellQuote(gatewayEntry)} start --port ${port}`, '--target-header', `Authorization: Bearer ${credential}`];
}

/** Runs the harness asynchronously, so that an interrupted run still reaches the cleanup below. */
function runHarness(harness, args) {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(harness, 'run.sh'), ...args], { stdio: 'inherit', cwd: harness });
    // Ctrl-C reaches the harness through the terminal and it stops its processes; a SIGTERM sent to us alone
    // is passed on to it. Either way we wait for it, then clean up.
    const onInterrupt = () => undefined;
    const onTerminate = () => child.kill('SIGTERM');
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    child.once('exit', (code) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(code ?? 1);
    });
  });
}

/** Runs the governance benchmark; `args` go to the harness. Returns the process exit code. */
export async function runGovernanceBench(args) {
  const harness = copyHarness();
  const keys = Number(process.env.SWITCHYARD_BENCH_KEYS ?? 1000);
  const firstPort = Number(process.env.SWITCHYARD_BENCH_PORT ?? 8787);
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? args[outIndex + 1] : join(harness, 'results', `governance-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
  const harnessArgs = outIndex >= 0 ? args : [...args, '--out', out];
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-bench-governance-'));
  const embedded = { SWITCHYARD_DATA_DIR: dataDirectory };
  let scaled;
  try {
    const embeddedKeys = await prepare('embedded', embedded, keys);
    scaled = await createScaledStores();
    const scaledEnvironment = { ...scaled.environment, SWITCHYARD_DATA_DIR: dataDirectory };
    console.log(`[bench] scaled: PostgreSQL schema ${scaled.schema}, Redis prefix ${scaled.keyPrefix}`);
    const scaledKeys = await prepare('scaled', scaledEnvironment, keys);
    const status = await runHarness(harness, [
      '--baseline',
      '--no-portkey',
      ...target('switchyard', firstPort, embedded, masterKey),
      ...target('switchyard-plain', firstPort + 1, embedded, embeddedKeys.plain),
      ...target('switchyard-governed', firstPort + 2, embedded, embeddedKeys.governed),
      ...target('switchyard-scaled', firstPort + 3, scaledEnvironment, masterKey),
      ...target('switchyard-scaled-plain', firstPort + 4, scaledEnvironment, scaledKeys.plain),
      ...target('switchyard-scaled-governed', firstPort + 5, scaledEnvironment, scaledKeys.governed),
      ...harnessArgs,
    ]);
    if (status !== 0 || !existsSync(out)) {
      console.error(`[bench] the harness failed (exit ${status}); nothing written to bench/RESULTS.md`);
      return status || 1;
    }
    const result = JSON.parse(readFileSync(out, 'utf8'));
    const table = readFileSync(out.replace(/\.json$/, '.txt'), 'utf8');
    const ratios = governanceRatios(result, [
      { preset: 'embedded', versus: 'plain key', ungoverned: 'switchyard-plain', governed: 'switchyard-governed' },
      { preset: 'embedded', versus: 'master key', ungoverned: 'switchyard', governed: 'switchyard-governed' },
      { preset: 'scaled', versus: 'plain key', ungoverned: 'switchyard-scaled-plain', governed: 'switchyard-scaled-governed' },
      { preset: 'scaled', versus: 'master key', ungoverned: 'switchyard-scaled', governed: 'switchyard-scaled-governed' },
    ]);
    const section = governanceResultsSection({ result, table, ratios, keys, requiredShare });
    console.log(`\n${section.ratioTable}`);
    appendFileSync(join(root, 'bench', 'RESULTS.md'), section.markdown);
    console.log('[bench] appended to bench/RESULTS.md');
    return 0;
  } finally {
    await scaled?.remove().catch((error) => console.error(`[bench] removing the PostgreSQL schema / Redis keys failed: ${error.message}`));
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}
