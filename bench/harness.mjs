// The shared gateway harness (../shared/bench, or SWITCHYARD_SHARED_DIR/bench), as `npm run bench` and
// `npm run bench -- --governance` use it. The shared folder is read-only, so the harness is copied into
// bench/.harness first (git-ignored); its node_modules and results stay there between runs.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The built gateway's CLI entry point: `npm run build` writes dist/. SWITCHYARD_BENCH_DIST names another build
 * folder (one `tsc -p tsconfig.build.json --outDir` wrote inside the repository, so node_modules resolves),
 * for measuring a build that a concurrent `npm run build` cannot replace mid-run.
 */
export const gatewayEntry = join(resolve(process.env.SWITCHYARD_BENCH_DIST ?? join(root, 'dist')), 'cli', 'main.js');

const harnessFiles = ['run.sh', 'run.mjs', 'mock-upstream.mjs', 'post.lua', 'stream-client.mjs', 'baseline-proxy.mjs', 'package.json', 'package-lock.json'];

/** Copies the shared harness into bench/.harness and returns that folder; exits with 2 when it is missing. */
export function copyHarness() {
  const shared = resolve(process.env.SWITCHYARD_SHARED_DIR ?? join(root, '..', 'shared'));
  const source = join(shared, 'bench');
  if (!existsSync(join(source, 'run.mjs'))) {
    console.error(`[bench] the shared harness is not at ${source}; set SWITCHYARD_SHARED_DIR`);
    process.exit(2);
  }
  const harness = join(root, 'bench', '.harness');
  mkdirSync(harness, { recursive: true });
  for (const file of harnessFiles) cpSync(join(source, file), join(harness, file));
  return harness;
}

/** Runs the harness (`bash run.sh ARGS` in its folder) with the terminal attached; returns its exit status. */
export function runHarness(harness, args) {
  const result = spawnSync('bash', [join(harness, 'run.sh'), ...args], { stdio: 'inherit', cwd: harness });
  return result.status ?? 1;
}

/** Quotes a value for `bash -c` (the harness runs `--target-cmd` that way). */
export function shellQuote(value) {
  return `'${String(value).replaceAll("'", `'\\''`)}'`;
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
export function processCpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resolves with the URL a starting gateway prints ("listening on http://..."), from its stdout or stderr. */
export function listeningUrl(child, timeoutMs, label = 'the gateway') {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`${label}: no listening line within ${timeoutMs / 1000} s:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
}
