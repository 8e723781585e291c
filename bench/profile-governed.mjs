// Profiling aid (not part of the benchmark): runs the built gateway on the scaled preset under node's CPU
// profiler, governed by one seeded key, against a minimal local upstream, and prints the functions that
// took the most self time. `node bench/profile-governed.mjs [--master]` after `npm run build`.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { chatBody, startChatUpstream } from './chat-upstream.mjs';
import { gatewayEnvironment, seedGovernance, startGateway } from './governance-fixture.mjs';
import { createScaledStores } from './governance-stores.mjs';
import { gatewayEntry, processCpuSeconds, root } from './harness.mjs';

const masterKey = 'sk-sy-profile-master-key';
const useMaster = process.argv.includes('--master');
// --plain: a virtual key with no limit or budget (the same attribution, no governance checks).
const usePlain = process.argv.includes('--plain');
const embedded = process.argv.includes('--embedded');
const seconds = Number(process.env.PROFILE_SECONDS ?? 8);
const upstream = await startChatUpstream('Hello there');
const upstreamUrl = upstream.url;
const scaled = embedded ? undefined : await createScaledStores();
const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
// PROFILE_ENV='A=1 B=2' adds gateway settings (e.g. SWITCHYARD_TRACING__ENABLED=false).
const extra = Object.fromEntries((process.env.PROFILE_ENV ?? '').split(' ').filter(Boolean).map((pair) => pair.split('=')));
const environment = gatewayEnvironment({ ...extra, ...(scaled?.environment ?? {}), SWITCHYARD_DATA_DIR: dataDirectory, SWITCHYARD_MASTER_KEY: masterKey, OPENAI_BASE_URL: upstreamUrl, OPENAI_API_KEY: 'sk-profile' });
try {
  const seeding = await startGateway(environment);
  const seeded = await seedGovernance(seeding.url, masterKey, { keys: Number(process.env.PROFILE_KEYS ?? 20) });
  await seeding.stop();
  const profileDirectory = mkdtempSync(join(tmpdir(), 'switchyard-cpuprofile-'));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`, gatewayEntry, 'start', '--port', '0'], { cwd: root, env: environment, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
  });
  const credential = useMaster ? masterKey : usePlain ? seeded.plainSecret : seeded.secret;
  // The shared harness's chat body (four messages, ~1 kB), so payload capture costs what it costs in the benchmark.
  const payload = chatBody;
  const cpuBefore = processCpuSeconds(child.pid);
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  let failed = 0;
  // PROFILE_CONCURRENCY (default 16) requests in flight; 1 shows what a lone request waits for.
  await Promise.all(Array.from({ length: Number(process.env.PROFILE_CONCURRENCY ?? 16) }, async () => {
    while (Date.now() < deadline) {
      const answer = await request(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' }, body: payload });
      await answer.body.text();
      if (answer.statusCode === 200) done += 1;
      else failed += 1;
    }
  }));
  // CPU microseconds per request, robust to other load on the machine.
  const cpuPerRequest = ((processCpuSeconds(child.pid) - cpuBefore) * 1e6) / done;
  console.log(`${useMaster ? 'master' : usePlain ? 'plain key' : 'governed'} ${embedded ? 'embedded' : 'scaled'}: ${(done / seconds).toFixed(0)} rps, ${cpuPerRequest.toFixed(0)} CPU us/request, ${failed} failed`);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const file = readdirSync(profileDirectory).find((name) => name.endsWith('.cpuprofile'));
  const profile = JSON.parse(readFileSync(join(profileDirectory, file), 'utf8'));
  const self = new Map();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const sample of profile.samples) counts.set(sample, (counts.get(sample) ?? 0) + 1);
  let total = 0;
  for (const [id, count] of counts) {
    const node = byId.get(id);
    const frame = node.callFrame;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, 'dist/')}:${frame.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + count);
    total += count;
  }
  if (process.env.PROFILE_JSON) {
    // Self time per request by function (sampled wall time while running), for comparing two runs.
    const intervalUs = (profile.endTime - profile.startTime) / profile.samples.length;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(process.env.PROFILE_JSON, JSON.stringify(Object.fromEntries([...self].map(([name, count]) => [name, (count * intervalUs) / done]))));
  }
  for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROFILE_TOP ?? 40))) console.log(`${((count / total) * 100).toFixed(2).padStart(5)}%  ${name}`);
  // Who calls the heaviest native frames: their stacks, six frames up.
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  for (const wanted of (process.env.PROFILE_STACKS ?? 'writev,writeUtf8String').split(',')) {
    const stacks = new Map();
    for (const [id, count] of counts) {
      let node = byId.get(id);
      if (node.callFrame.functionName !== wanted) continue;
      const frames = [];
      for (let depth = 0; depth < (Number(process.env.PROFILE_DEPTH ?? 8)) && node !== undefined; depth += 1, node = parentOf.get(node.id)) frames.push(`${node.callFrame.functionName || '(anonymous)'}@${node.callFrame.url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}:${node.callFrame.lineNumber}`);
      const stack = frames.join(' < ');
      stacks.set(stack, (stacks.get(stack) ?? 0) + count);
    }
    console.log(`\nstacks of ${wanted}:`);
    for (const [stack, count] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`${((count / total) * 100).toFixed(1).padStart(5)}%  ${stack}`);
  }
} finally {
  upstream.close();
  await scaled?.remove();
}
