// Profiling aid (not part of the benchmark): the gateway's CPU time per request with each part of the
// observatory switched on alone (payload capture, tracing, metrics) and together, against all of it off, so the
// "full / off" gap of the shared harness can be split into its parts. The gateway runs pinned to one core
// (taskset, as the harness pins it), the load runs in this process on the other, and CPU is read from
// /proc/<pid>/stat around a fixed number of requests at a fixed concurrency; variants are interleaved over
// several rounds because the machine drifts. `node bench/observatory-ablation.mjs [--rounds N]
// [--requests N] [--concurrency N] [--compare DIST]` after `npm run build`; --compare adds "off" and "full"
// of another build (its dist/ folder, e.g. from a git worktree of the commit before a change) to each round.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { chatBody, startChatUpstream } from './chat-upstream.mjs';
import { gatewayEnvironment } from './governance-fixture.mjs';
import { gatewayEntry, listeningUrl, processCpuSeconds, root } from './harness.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => Number(argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const rounds = option('--rounds', 3);
const requests = option('--requests', 20_000);
const concurrency = option('--concurrency', 16);
const warmup = 4_000;
const masterKey = 'sk-sy-ablation-master-key';

const off = { SWITCHYARD_PAYLOADS__MODE: 'off', SWITCHYARD_TRACING__ENABLED: 'false', SWITCHYARD_METRICS__ENABLED: 'false' };
const full = { SWITCHYARD_PAYLOADS__MODE: 'full', SWITCHYARD_TRACING__ENABLED: 'true', SWITCHYARD_METRICS__ENABLED: 'true' };
// --compare DIST: the other build's entry point.
const compared = argv.includes('--compare') ? join(resolve(argv[argv.indexOf('--compare') + 1]), 'cli', 'main.js') : undefined;
const variants = [
  ['off', off, gatewayEntry],
  ['payloads', { ...off, SWITCHYARD_PAYLOADS__MODE: 'full' }, gatewayEntry],
  ['tracing', { ...off, SWITCHYARD_TRACING__ENABLED: 'true' }, gatewayEntry],
  ['metrics', { ...off, SWITCHYARD_METRICS__ENABLED: 'true' }, gatewayEntry],
  ['full', full, gatewayEntry],
  ...(compared === undefined ? [] : [['off (compared build)', off, compared], ['full (compared build)', full, compared]]),
];

async function load(pool, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const response = await pool.request({ path: '/v1/chat/completions', method: 'POST', headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' }, body: chatBody });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function measure(environment, entry) {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-ablation-'));
  const child = spawn('taskset', ['-c', '1', process.execPath, entry, 'start', '--port', '0'], { cwd: root, env: gatewayEnvironment({ ...environment, SWITCHYARD_DATA_DIR: dataDirectory, SWITCHYARD_MASTER_KEY: masterKey, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-ablation' }), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await listeningUrl(child, 60_000);
    const pool = new Pool(url, { connections: concurrency });
    await load(pool, warmup);
    const before = processCpuSeconds(child.pid);
    const started = process.hrtime.bigint();
    await load(pool, requests);
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    // Work the last requests queued (batched writes) belongs to them: let it finish before reading the CPU.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const cpu = processCpuSeconds(child.pid) - before;
    await pool.close();
    return { cpuMicros: (cpu / requests) * 1e6, rps: requests / elapsed };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

const upstream = await startChatUpstream('Check the billing service latency first, then the retry policy of the batch job.');
const results = new Map(variants.map(([name]) => [name, []]));
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, environment, entry] of variants) {
      const result = await measure(environment, entry);
      results.get(name).push(result);
      console.log(`[ablation] round ${round + 1} ${name}: ${result.cpuMicros.toFixed(0)} µs CPU / request, ${result.rps.toFixed(0)} rps`);
    }
  }
} finally {
  upstream.close();
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const offCpu = median(results.get('off').map((result) => result.cpuMicros));
console.log(`\n${requests} requests at c=${concurrency} per measurement, gateway on CPU 1, median of ${rounds} rounds`);
console.log('| variant | CPU µs / request | over off | rps | off / variant (CPU) |');
console.log('|---|---:|---:|---:|---:|');
for (const [name] of variants) {
  const cpu = median(results.get(name).map((result) => result.cpuMicros));
  const rps = median(results.get(name).map((result) => result.rps));
  console.log(`| ${name} | ${cpu.toFixed(0)} | ${(cpu - offCpu).toFixed(0)} | ${rps.toFixed(0)} | ${(offCpu / cpu).toFixed(3)} |`);
}
