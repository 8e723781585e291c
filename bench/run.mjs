#!/usr/bin/env node
// `npm run bench`: runs the shared gateway harness (../shared/bench, or SWITCHYARD_SHARED_DIR/bench) with
// Switchyard as a target, started from the built JavaScript with auth and the ledger on, beside Portkey and
// the baseline pass-through proxy, in one run. Extra arguments go to the harness (e.g. --reps 1 --duration 5).
// The shared folder is read-only, so the harness is copied into bench/.harness first (git-ignored).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(process.env.SWITCHYARD_SHARED_DIR ?? join(root, '..', 'shared'));
const source = join(shared, 'bench');
if (!existsSync(join(source, 'run.mjs'))) {
  console.error(`[bench] the shared harness is not at ${source}; set SWITCHYARD_SHARED_DIR`);
  process.exit(2);
}
const harness = join(root, 'bench', '.harness');
mkdirSync(harness, { recursive: true });
for (const file of ['run.sh', 'run.mjs', 'mock-upstream.mjs', 'post.lua', 'stream-client.mjs', 'baseline-proxy.mjs', 'package.json', 'package-lock.json']) {
  cpSync(join(source, file), join(harness, file));
}
const port = process.env.SWITCHYARD_BENCH_PORT ?? '8787';
const dataDirectory = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const key = 'sk-sy-bench-master-key';
// OPENAI_BASE_URL / OPENAI_API_KEY / PORT come from the harness: the gateway discovers the mock as `openai`.
const command = [
  `SWITCHYARD_MASTER_KEY=${key}`,
  `SWITCHYARD_DATA_DIR=${dataDirectory}`,
  'SWITCHYARD_LOG_LEVEL=warn',
  'NODE_ENV=production',
  `node ${join(root, 'dist', 'cli', 'main.js')} start --port ${port}`,
].join(' ');
const args = [
  join(harness, 'run.sh'),
  '--baseline',
  '--target', `http://127.0.0.1:${port}/v1`,
  '--target-name', 'switchyard',
  '--target-cmd', command,
  '--target-header', `Authorization: Bearer ${key}`,
  ...process.argv.slice(2),
];
const result = spawnSync('bash', args, { stdio: 'inherit', cwd: harness });
process.exit(result.status ?? 1);
