// `npm run bench:instructions`: CPU instructions the gateway executes per request, counted by valgrind's
// callgrind, for the variants whose throughput ratios the shared harness measures (issue 3: a governed key
// against a key without limits or budgets, embedded and scaled; issue 4: the observatory on against off).
//
// Why: on a shared 2-core VM the harness's throughput moves by 20-30 % between repetitions of the same target
// (the direct mock alone ranged 10k-16k rps within one run), which is more than the costs being compared.
// Instructions are not time: they ignore cache misses, GC pauses and waiting, so they complement the harness
// and do not replace it. A variant that writes nothing per request repeats to 0.3 % (observatory off: 725,669
// and 727,927); variants that write to SQLite vary by 10-20 % between runs, because work driven by timers
// (batched writes every 50 ms, checkpoints every 500 ms, lease sweeps) and compiler tiering lands on more or
// fewer requests when callgrind slows each request down, and more so when the machine is busy.
//
// How: each variant's gateway runs under `valgrind --tool=callgrind --instr-atstart=no`; it is warmed up at
// full speed (the JIT tiers up), then instrumentation is switched on (`callgrind_control -i on`), N requests
// are sent one at a time (the harness's 4-message chat body), the counters are dumped, and the total
// instruction count is divided by N (SQLite's full-text index apart: its merges come in bursts). The upstream is
// a minimal local HTTP server in this process (bench/chat-upstream.mjs).
// Options: --requests N (default 1500), --warmup N (default 3000), --only NAME[,NAME]. KEEP_CALLGRIND=1 keeps
// the callgrind files (and prints their folder) for `callgrind_annotate`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { chatBody, startChatUpstream } from './chat-upstream.mjs';
import { gatewayEnvironment, seedGovernance, startGateway } from './governance-fixture.mjs';
import { createScaledStores } from './governance-stores.mjs';
import { gatewayEntry, listeningUrl, root } from './harness.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
const requests = Number(option('--requests', 1500));
const warmup = Number(option('--warmup', 3000));
const only = option('--only', '')?.split(',').filter(Boolean) ?? [];
const masterKey = 'sk-sy-instructions-master-key';

const upstream = await startChatUpstream('Check the billing service latency first.');
const upstreamUrl = upstream.url;

/** Fills a store with 1,000 governed keys (as the governance benchmark does) and returns two secrets. */
async function seed(environment) {
  const gateway = await startGateway(gatewayEnvironment({ ...environment, SWITCHYARD_MASTER_KEY: masterKey, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-unused' }));
  try {
    const seeded = await seedGovernance(gateway.url, masterKey, { keys: Number(process.env.SWITCHYARD_BENCH_KEYS ?? 1000) });
    return { governed: seeded.secret, plain: seeded.plainSecret };
  } finally {
    await gateway.stop();
  }
}

async function send(url, credential) {
  const response = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: chatBody });
  await response.body.text();
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
}

/** Runs one variant under callgrind and returns its instructions per request. */
async function count(name, environment, credential) {
  const outputDirectory = mkdtempSync(join(tmpdir(), 'switchyard-callgrind-'));
  const fullEnvironment = gatewayEnvironment({ ...environment, SWITCHYARD_MASTER_KEY: masterKey, OPENAI_BASE_URL: upstreamUrl, OPENAI_API_KEY: 'sk-instructions' });
  const child = spawn('valgrind', ['--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(outputDirectory, 'callgrind.out.%p')}`, process.execPath, gatewayEntry, 'start', '--port', '0'], { cwd: root, env: fullEnvironment, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await listeningUrl(child, 180_000, name);
    for (let index = 0; index < warmup; index += 1) await send(url, credential);
    execFileSync('callgrind_control', ['-i', 'on', String(child.pid)], { stdio: 'ignore' });
    for (let index = 0; index < requests; index += 1) await send(url, credential);
    execFileSync('callgrind_control', ['-i', 'off', String(child.pid)], { stdio: 'ignore' });
    execFileSync('callgrind_control', ['-d', String(child.pid)], { stdio: 'ignore' });
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  let total = 0;
  let fullText = 0;
  for (const file of readdirSync(outputDirectory)) {
    // `totals:` closes each dump; `summary:` stays 0 when instrumentation was switched on at run time.
    const totals = /^totals:\s*(\d+)/m.exec(readFileSync(join(outputDirectory, file), 'utf8'));
    if (totals) total += Number(totals[1]);
    // SQLite's full-text index (payload search) merges its segments in bursts: a few hundred requests see
    // one merge or none, which moves the total by 20-40 % between runs. Its share is reported apart.
    const annotated = execFileSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', join(outputDirectory, file)], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    for (const line of annotated.split('\n')) {
      const match = /^\s*([\d,]+) \(.*?\)\s+.*fts5/i.exec(line);
      if (match) fullText += Number(match[1].replaceAll(',', ''));
    }
  }
  if (process.env.KEEP_CALLGRIND) console.log(outputDirectory, readdirSync(outputDirectory));
  else rmSync(outputDirectory, { recursive: true, force: true });
  return { perRequest: total / requests, fullTextPerRequest: fullText / requests };
}

const embeddedDirectory = mkdtempSync(join(tmpdir(), 'switchyard-instructions-'));
const scaled = only.length === 0 || only.some((name) => name.startsWith('scaled')) ? await createScaledStores() : undefined;
const results = [];
try {
  const wanted = (name) => only.length === 0 || only.includes(name);
  const embedded = { SWITCHYARD_DATA_DIR: embeddedDirectory };
  // The observatory variants call with the master key: keys are seeded only for the variants that use them.
  const embeddedKeys = wanted('embedded-plain') || wanted('embedded-governed') ? await seed(embedded) : undefined;
  const scaledEnvironment = scaled === undefined ? undefined : { ...scaled.environment, SWITCHYARD_DATA_DIR: mkdtempSync(join(tmpdir(), 'switchyard-instructions-scaled-')) };
  const scaledKeys = scaledEnvironment === undefined ? undefined : await seed(scaledEnvironment);
  const variants = [
    ['observatory-off', { ...embedded, SWITCHYARD_PAYLOADS__MODE: 'off', SWITCHYARD_TRACING__ENABLED: 'false', SWITCHYARD_METRICS__ENABLED: 'false' }, masterKey],
    ['observatory-full', { ...embedded, SWITCHYARD_PAYLOADS__MODE: 'full', SWITCHYARD_TRACING__ENABLED: 'true', SWITCHYARD_METRICS__ENABLED: 'true' }, masterKey],
    ...(embeddedKeys === undefined ? [] : [['embedded-plain', embedded, embeddedKeys.plain], ['embedded-governed', embedded, embeddedKeys.governed]]),
    ...(scaledKeys === undefined ? [] : [['scaled-plain', scaledEnvironment, scaledKeys.plain], ['scaled-governed', scaledEnvironment, scaledKeys.governed]]),
  ].filter(([name]) => wanted(name));
  for (const [name, environment, credential] of variants) {
    const { perRequest, fullTextPerRequest } = await count(name, environment, credential);
    results.push({ name, perRequest: perRequest - fullTextPerRequest, fullTextPerRequest });
    console.log(`[instructions] ${name}: ${Math.round(perRequest).toLocaleString('en')} instructions per request, of which ${Math.round(fullTextPerRequest).toLocaleString('en')} in the full-text index`);
  }
} finally {
  upstream.close();
  await scaled?.remove();
  rmSync(embeddedDirectory, { recursive: true, force: true });
}
const of = (name) => results.find((result) => result.name === name)?.perRequest;
const pairs = [['observatory-full', 'observatory-off'], ['embedded-governed', 'embedded-plain'], ['scaled-governed', 'scaled-plain']];
console.log(`\n${requests} requests at c=1 after ${warmup} warm-up requests; instructions counted by callgrind, without SQLite's full-text index (bursty; shown apart).`);
for (const result of results) console.log(`${result.name}: full-text index ${Math.round(result.fullTextPerRequest).toLocaleString('en')} per request`);
console.log('| variant | instructions / request | against | extra | share (against / variant) |');
console.log('|---|---:|---|---:|---:|');
for (const [variant, against] of pairs) {
  if (of(variant) === undefined || of(against) === undefined) continue;
  console.log(`| ${variant} | ${Math.round(of(variant)).toLocaleString('en')} | ${against} ${Math.round(of(against)).toLocaleString('en')} | ${Math.round(of(variant) - of(against)).toLocaleString('en')} | ${(of(against) / of(variant)).toFixed(3)} |`);
}
