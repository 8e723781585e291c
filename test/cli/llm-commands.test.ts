import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOllamaMock } from '../mock-providers/ollama-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { providerAdminMasterKey, startProviderAdminApp, type ProviderAdminApp } from '../support/provider-admin-app.js';
import { repositoryRoot } from './cli-process.js';

// The CLI runs as a subprocess, from source through tsx (the provider routes are served by the test's own
// Fastify app until the gateway mounts them), with stderr a pipe: the plain-lines progress mode.
let mock: MockProvider;
let api: ProviderAdminApp;
let url: string;

beforeAll(async () => {
  mock = await startOllamaMock();
  api = await startProviderAdminApp();
  url = await api.app.listen({ host: '127.0.0.1', port: 0 });
  await api.call(providerAdminMasterKey, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
});
afterAll(async () => {
  await api.close();
  await mock.close();
});
beforeEach(() => mock.reset());

function switchyard(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repositoryRoot, 'src/cli/main.ts'), ...args, '--url', url, '--key', providerAdminMasterKey], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? '', HOME: repositoryRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('switchyard llm', () => {
  it('install pulls through Ollama, prints progress lines on stderr and exits 0', async () => {
    const result = await switchyard('llm', 'install', 'llama3:8b', '--provider', 'gpu');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Installed llama3:8b on gpu: use it as gpu/llama3:8b\n');
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toBe('pulling manifest');
    expect(lines).toContain('pulling 6a0746a1ec1a 0% (0 B of 4.7 GB)');
    expect(lines).toContain('pulling 6a0746a1ec1a 50% (2.3 GB of 4.7 GB)');
    expect(lines).toContain('pulling 6a0746a1ec1a 100% (4.7 GB of 4.7 GB)');
    expect(lines.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    expect(result.stderr).not.toContain('\r');
    expect(mock.requests.at(-1)).toMatchObject({ path: '/api/pull', body: { model: 'llama3:8b' } });
  });

  it('install exits 1 with the server\'s reason when the pull fails, and picks the only pullable provider', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 2, message: 'pull model manifest: file does not exist' });
    const result = await switchyard('llm', 'install', 'no-such-model');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pulling manifest');
    expect(result.stderr).toContain('switchyard: installing no-such-model on gpu failed: gpu: pull model manifest: file does not exist');
    expect(result.stdout).toBe('');
  });

  it('enable and list: a table by default, JSON with --json', async () => {
    const enabled = await switchyard('llm', 'enable', '--provider', 'ollama', '--name', 'lab', '--host', mock.baseUrl, '--json');
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ name: 'lab', kind: 'ollama', origin: 'stored', selfHosted: true });
    const listed = await switchyard('llm', 'list');
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'KIND', 'ORIGIN', 'SELF-HOSTED', 'INSTALL', 'ADDRESS']);
    expect(rows).toContainEqual(['configured', 'openai-compatible', 'config', 'yes', 'no', '-']);
    expect(rows).toContainEqual(['lab', 'ollama', 'stored', 'yes', 'yes', mock.baseUrl]);
    const conflict = await switchyard('llm', 'enable', '--provider', 'ollama', '--name', 'configured');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('409');
    expect((await switchyard('llm', 'disable', 'lab')).code).toBe(0);
  });
});
