import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The built CLI (`npm run build`). */
export const cliEntry = join(repositoryRoot, 'dist/cli/main.js');

/** Builds dist/ once (the tests run the CLI as users do). */
export function buildCli(): void {
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repositoryRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

/** A temporary working directory for one CLI run, with its own data directory. */
export interface Workspace {
  directory: string;
  dataDirectory: string;
  /** A minimal environment (no inherited provider keys or SWITCHYARD_* variables), port 0, quiet logs. */
  environment(extra?: Record<string, string>): Record<string, string>;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
  const dataDirectory = join(directory, 'data');
  return {
    directory,
    dataDirectory,
    environment: (extra = {}) => ({
      PATH: process.env.PATH ?? '',
      HOME: directory,
      SWITCHYARD_DATA_DIR: dataDirectory,
      SWITCHYARD_PORT: '0',
      SWITCHYARD_LOG_LEVEL: 'silent',
      ...extra,
    }),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The outcome of a CLI command that runs to completion. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/cli/main.js ...args` to completion (killed after `timeoutMs`). */
export function runCli(args: string[], options: { cwd: string; environment: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], { cwd: options.cwd, env: options.environment, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`switchyard ${args.join(' ')} did not finish in ${options.timeoutMs ?? 15_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

/** A CLI process that keeps running (`start`, `logs --follow`). */
export interface RunningCli {
  child: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches `pattern` (rejects after `timeoutMs` or if the process exits first). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], options: { cwd: string; environment: Record<string, string> }): RunningCli {
  const child = spawn(process.execPath, [cliEntry, ...args], { cwd: options.cwd, env: options.environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    notify();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let hasExited = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolvePromise) => {
    child.on('close', (code, signal) => {
      hasExited = true;
      notify();
      resolvePromise({ code, signal });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput(pattern, timeoutMs = 15_000) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const match = pattern.exec(stdout);
          if (match) {
            done();
            resolvePromise(match);
          } else if (hasExited) {
            done();
            reject(new Error(`switchyard ${args.join(' ')} exited before printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`switchyard ${args.join(' ')} did not print ${pattern} in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (!hasExited) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Starts `switchyard start` (or the given args) and waits for the listening URL in the banner. */
export async function startCliGateway(
  options: { cwd: string; environment: Record<string, string> },
  args: string[] = ['start'],
): Promise<RunningCli & { url: string }> {
  const running = spawnCli(args, options);
  try {
    const match = await running.waitForOutput(/Switchyard listening on (http:\/\/\S+)/);
    // The banner is printed in one write; wait for its last line too (a pipe may still split a write).
    await running.waitForOutput(/(providers: in switchyard\.yaml\)|Provider \S+ \()/);
    return Object.assign(running, { url: match[1] });
  } catch (error) {
    await running.stop('SIGKILL');
    throw error;
  }
}

/** Polls `check` until it returns a value other than undefined (bounded). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, intervalMs));
  }
}
