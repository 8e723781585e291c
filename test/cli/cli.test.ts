import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import type { LedgerRow } from '../../src/observatory/index.js';
import { buildCli, createWorkspace, eventually, runCli, spawnCli, startCliGateway, type RunningCli, type Workspace } from './cli-process.js';

// These tests run the BUILT command (`node dist/cli/main.js`) as a subprocess, as a user would.
beforeAll(() => buildCli(), 120_000);

const masterKey = 'sk-sy-cli-test-master-key-0123456789';
let workspaces: Workspace[] = [];
let processes: RunningCli[] = [];
let mock: MockProvider;

beforeAll(async () => {
  mock = await startOpenAIMock();
});

afterAll(async () => {
  await mock.close();
});

afterEach(async () => {
  await Promise.all(processes.map((running) => running.stop('SIGKILL')));
  processes = [];
  for (const workspace of workspaces) workspace.remove();
  workspaces = [];
  mock.reset();
});

function workspace(): Workspace {
  const created = createWorkspace();
  workspaces.push(created);
  return created;
}

/** Starts the gateway in `space` and registers it for cleanup. */
async function start(space: Workspace, environment: Record<string, string> = {}, args?: string[]) {
  const running = await startCliGateway({ cwd: space.directory, environment: space.environment({ SWITCHYARD_DISCOVER_PROVIDERS: 'false', ...environment }) }, args);
  processes.push(running);
  return running;
}

/** A switchyard.yaml with one OpenAI provider pointing at the mock. */
function writeMockConfig(space: Workspace): void {
  writeFileSync(
    join(space.directory, 'switchyard.yaml'),
    stringify({ providers: [{ kind: 'openai', apiKey: { env: 'MOCK_OPENAI_KEY' }, baseUrl: mock.baseUrl }], ledger: { flushIntervalMs: 20 } }),
  );
}

function listModels(url: string, key: string) {
  return fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
}

async function chat(url: string, key: string, body: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }], ...body }),
  });
  return { status: response.status, requestId: response.headers.get('x-request-id'), text: await response.text() };
}

async function ledger(url: string, key: string, query = ''): Promise<LedgerRow[]> {
  const response = await fetch(`${url}/admin/requests${query}`, { headers: { authorization: `Bearer ${key}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: LedgerRow[] }).data;
}

describe('switchyard start', () => {
  it('prints the URL, the new master key once and the provider hint; a restart keeps the key', async () => {
    const space = workspace();
    const first = await start(space);
    const output = first.stdout();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const key = /Master key \(shown once[^)]*\): (sk-sy-[0-9A-Za-z]{40})/.exec(output)?.[1];
    expect(key).toBeDefined();
    expect(output).toContain('No provider configured yet');
    expect(output).toContain('OPENAI_API_KEY=sk-...');
    expect((await listModels(first.url, key!)).status).toBe(200);
    expect((await listModels(first.url, 'sk-sy-wrong')).status).toBe(401);
    expect((await first.stop('SIGTERM')).code).toBe(0);

    const second = await start(space);
    expect(second.stdout()).not.toMatch(/shown once/);
    expect(second.stdout()).not.toContain('sk-sy-');
    expect(second.stdout()).toContain('Master key: stored hash');
    expect((await listModels(second.url, key!)).status).toBe(200);
    expect((await second.stop()).code).toBe(0);

    // SWITCHYARD_MASTER_KEY wins over the stored key.
    const third = await start(space, { SWITCHYARD_MASTER_KEY: masterKey });
    expect(third.stdout()).toContain('Master key: from SWITCHYARD_MASTER_KEY');
    expect(third.stdout()).not.toContain(masterKey);
    expect((await listModels(third.url, masterKey)).status).toBe(200);
    expect((await listModels(third.url, key!)).status).toBe(401);
  });

  it('master-key rotate prints a new key that works after a restart; the old key gets 401', async () => {
    const space = workspace();
    const first = await start(space);
    const oldKey = /shown once[^:]*: (sk-sy-\w+)/.exec(first.stdout())![1];
    expect((await first.stop()).code).toBe(0);

    const rotated = await runCli(['master-key', 'rotate'], { cwd: space.directory, environment: space.environment() });
    expect(rotated.code).toBe(0);
    const firstRotation = /New master key \(shown once\): (sk-sy-[0-9A-Za-z]{40})/.exec(rotated.stdout)?.[1];
    expect(firstRotation).toBeDefined();
    expect(firstRotation).not.toBe(oldKey);
    expect(rotated.stdout).toContain('Restart the gateway');

    expect(rotated.stderr).toBe('');
    // With SWITCHYARD_MASTER_KEY set, the rotation would be undone at the next start: the command says so.
    const shadowed = await runCli(['master-key', 'rotate'], { cwd: space.directory, environment: space.environment({ SWITCHYARD_MASTER_KEY: masterKey }) });
    expect(shadowed.code).toBe(0);
    expect(shadowed.stderr).toContain('SWITCHYARD_MASTER_KEY is set');
    expect(shadowed.stderr).not.toContain(masterKey);
    const rotatedAgain = await runCli(['master-key', 'rotate'], { cwd: space.directory, environment: space.environment() });
    const newKey = /New master key \(shown once\): (sk-sy-\w+)/.exec(rotatedAgain.stdout)![1];

    const restarted = await start(space);
    expect(restarted.stdout()).not.toContain('sk-sy-');
    expect((await listModels(restarted.url, newKey)).status).toBe(200);
    expect((await listModels(restarted.url, oldKey)).status).toBe(401);
    expect((await listModels(restarted.url, firstRotation!)).status).toBe(401);
  });

  it('drains in-flight requests on SIGTERM, exits 0, and keeps a ledger row for every completed request', async () => {
    const space = workspace();
    writeMockConfig(space);
    const environment = { SWITCHYARD_MASTER_KEY: masterKey, MOCK_OPENAI_KEY: 'sk-mock' };
    const gateway = await start(space, environment);
    mock.enqueue(
      { kind: 'text', text: 'first answer', delayMs: 300 },
      { kind: 'text', text: 'second answer', delayMs: 300 },
      { kind: 'text', text: 'third answer', delayMs: 300 },
    );
    const inFlight = [chat(gateway.url, masterKey), chat(gateway.url, masterKey), chat(gateway.url, masterKey, { stream: true, stream_options: { include_usage: true } })];
    // Every request has reached the provider (and is waiting there) before the signal.
    await eventually(async () => (mock.requests.length === 3 ? true : undefined), 10_000, 10);
    gateway.child.kill('SIGTERM');
    const results = await Promise.all(inFlight);
    const exit = await gateway.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(gateway.stdout()).toContain('SIGTERM received');

    for (const result of results) expect(result.status).toBe(200);
    const answers = results.slice(0, 2).map((result) => (JSON.parse(result.text) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content);
    expect(answers.sort()).toEqual(['first answer', 'second answer']);
    expect(results[2].text).toContain('third');
    expect(results[2].text).toContain('data: [DONE]');

    const restarted = await start(space, environment);
    const rows = await ledger(restarted.url, masterKey);
    const requestIds = results.map((result) => result.requestId);
    expect(requestIds.every((id) => typeof id === 'string')).toBe(true);
    expect(rows.map((row) => row.id).sort()).toEqual([...requestIds].sort());
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'ok', httpStatus: 200, requestedModel: 'openai/gpt-4o-mini', servedProvider: 'openai', usageSource: 'provider' });
      expect(row.outputTokens).toBeGreaterThan(0);
    }
    expect(rows.find((row) => row.id === results[2].requestId)?.stream).toBe(true);
  });

  it('starts the gateway when no subcommand is given (the default command)', async () => {
    const space = workspace();
    const gateway = await start(space, { SWITCHYARD_MASTER_KEY: masterKey }, []);
    expect(gateway.stdout()).toContain('Anthropic API:');
    expect((await listModels(gateway.url, masterKey)).status).toBe(200);
    expect((await gateway.stop()).code).toBe(0);
  });

  it('takes --port and --host flags over the environment', async () => {
    const space = workspace();
    const gateway = await start(space, { SWITCHYARD_MASTER_KEY: masterKey, SWITCHYARD_PORT: '1' }, ['start', '--port', '0', '--host', '127.0.0.1']);
    expect((await listModels(gateway.url, masterKey)).status).toBe(200);
  });

  it('exits 78 with the variable named when the environment holds a bad value', async () => {
    const space = workspace();
    const result = await runCli(['start'], { cwd: space.directory, environment: space.environment({ SWITCHYARD_PORT: 'eighty' }) });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('environment SWITCHYARD_PORT: server.port: expected number');
  });
});

describe('switchyard config', () => {
  it('validate prints "Configuration OK" for a good file', async () => {
    const space = workspace();
    writeMockConfig(space);
    const result = await runCli(['config', 'validate'], { cwd: space.directory, environment: space.environment({ MOCK_OPENAI_KEY: 'sk-mock', SWITCHYARD_DISCOVER_PROVIDERS: 'false' }) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Configuration OK (${join(space.directory, 'switchyard.yaml')}): 1 provider(s), 0 model group(s), preset embedded`);
  });

  it('validate exits 78 and names the file, the path and the expectation for a bad file', async () => {
    const space = workspace();
    const file = join(space.directory, 'bad.yaml');
    writeFileSync(file, 'ledger:\n  retentionDays: many\nrouting:\n  retries: 3\n');
    const result = await runCli(['config', 'validate', '--config', 'bad.yaml'], { cwd: space.directory, environment: space.environment() });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${file}: ledger.retentionDays: expected number`);
    expect(result.stderr).toContain(`${file}: routing: unknown key "retries"`);
  });

  it('validate reports a missing provider secret without printing any secret', async () => {
    const space = workspace();
    writeMockConfig(space);
    const result = await runCli(['config', 'validate'], { cwd: space.directory, environment: space.environment({ SWITCHYARD_MASTER_KEY: masterKey }) });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('providers[0].apiKey: environment variable MOCK_OPENAI_KEY is not set');
    expect(result.stderr).not.toContain(masterKey);
  });

  it('explain shows the deployment and the catalog price of a discovered provider', async () => {
    const space = workspace();
    const result = await runCli(['config', 'explain', '--model', 'openai/gpt-4o-mini'], {
      cwd: space.directory,
      environment: space.environment({ OPENAI_API_KEY: 'sk-test-explain', OLLAMA_HOST: '' }),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('model "openai/gpt-4o-mini" -> group');
    expect(result.stdout).toMatch(/deployment \S+: openai \(openai\) model gpt-4o-mini, weight 1, \$0\.15\/M in, \$0\.6\/M out/);
    expect(result.stdout).not.toContain('sk-test-explain');
  });

  it('explain --key shows each setting with the level it came from and the deployment it leads to', async () => {
    const space = workspace();
    writeFileSync(
      join(space.directory, 'switchyard.yaml'),
      stringify({
        providers: [{ kind: 'openai', apiKey: { env: 'MOCK_OPENAI_KEY' }, baseUrl: mock.baseUrl }],
        llm_config: { model: 'openai/gpt-4o-mini', temperature: 0.7 },
        workspaces: { production: { llm_override: { temperature: 0.3 } } },
      }),
    );
    const environment = { SWITCHYARD_MASTER_KEY: masterKey, MOCK_OPENAI_KEY: 'sk-mock' };
    const gateway = await start(space, environment);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${gateway.url}/admin/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${masterKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return (await response.json()) as Record<string, any>;
    };
    const production = await post('/workspaces', { organisationId: 'org_default', name: 'production' });
    const created = await post('/keys', { workspaceId: production.id, name: 'explained', llm: { maxTokens: 256 } });
    await gateway.stop();

    const result = await runCli(['config', 'explain', '--key', created.key.prefix, '--model', 'default'], { cwd: space.directory, environment: space.environment(environment) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`key ${created.key.prefix}`);
    expect(result.stdout).toMatch(/model\s+openai\/gpt-4o-mini\s+config:llm_config/);
    expect(result.stdout).toMatch(/temperature\s+0\.3\s+config:workspaces\.production/);
    expect(result.stdout).toMatch(/max_tokens\s+256\s+key /);
    expect(result.stdout).toContain('deployment');
    expect(result.stdout).not.toContain(created.secret);

    const json = await runCli(['config', 'explain', '--key', created.secret, '--model', 'openai/gpt-4o', '--json'], { cwd: space.directory, environment: space.environment(environment) });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.settings.model).toEqual({ value: 'openai/gpt-4o', source: 'request' });
    expect(parsed.key.id).toBe(created.key.id);
  });
});

describe('switchyard logs', () => {
  async function gatewayWithTraffic() {
    const space = workspace();
    writeMockConfig(space);
    const gateway = await start(space, { SWITCHYARD_MASTER_KEY: masterKey, MOCK_OPENAI_KEY: 'sk-mock' });
    mock.enqueue({ kind: 'text', text: 'one', usage: { input: 11, output: 7 } }, { kind: 'error', status: 400, message: 'bad request upstream' }, { kind: 'text', text: 'two' });
    const results = [await chat(gateway.url, masterKey), await chat(gateway.url, masterKey), await chat(gateway.url, masterKey, { model: 'openai/gpt-4o' })];
    expect(results.map((result) => result.status)).toEqual([200, 400, 200]);
    await eventually(async () => ((await ledger(gateway.url, masterKey)).length === 3 ? true : undefined));
    return { space, gateway, results };
  }

  it('lists recent requests one line each (oldest first), and --json prints parseable lines', async () => {
    const { space, gateway, results } = await gatewayWithTraffic();
    const environment = space.environment();
    const text = await runCli(['logs', '--url', gateway.url, '--key', masterKey], { cwd: space.directory, environment });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain(results[0].requestId!);
    expect(lines[0]).toMatch(/ 200 chat openai\/gpt-4o-mini -> openai\/gpt-4o-mini 11 in \/ 7 out \$0\.\d{6} \d+ms/);
    expect(lines[0]).not.toContain('$?');
    expect(lines[1]).toContain(results[1].requestId!);
    expect(lines[1]).toMatch(/ 400 \S+ chat openai\/gpt-4o-mini/);
    expect(lines[2]).toContain(results[2].requestId!);
    expect(lines[2]).toContain(' chat openai/gpt-4o -> openai/gpt-4o ');

    const json = await runCli(['logs', '--json'], { cwd: space.directory, environment: space.environment({ SWITCHYARD_URL: gateway.url, SWITCHYARD_MASTER_KEY: masterKey }) });
    expect(json.code).toBe(0);
    const rows = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as LedgerRow);
    expect(rows.map((row) => row.id)).toEqual(results.map((result) => result.requestId));
    expect(rows[0]).toMatchObject({ inputTokens: 11, outputTokens: 7, status: 'ok', requestedModel: 'openai/gpt-4o-mini' });
    expect(rows[0].costMicros).toBeGreaterThan(0);

    const errors = await runCli(['logs', '--url', gateway.url, '--key', masterKey, '--status', 'error', '--json'], { cwd: space.directory, environment });
    expect(errors.code).toBe(0);
    const errorRows = errors.stdout.trim().split('\n').map((line) => JSON.parse(line) as LedgerRow);
    expect(errorRows.map((row) => [row.id, row.status, row.httpStatus])).toEqual([[results[1].requestId, 'error', 400]]);

    const byModel = await runCli(['logs', '--url', gateway.url, '--key', masterKey, '--model', 'openai/gpt-4o', '-n', '5'], { cwd: space.directory, environment });
    expect(byModel.stdout.trim().split('\n')).toHaveLength(1);
    expect(byModel.stdout).toContain(results[2].requestId!);
  });

  it('exits non-zero with the gateway 401 message for a wrong key, and says when nothing is listening', async () => {
    const space = workspace();
    const gateway = await start(space, { SWITCHYARD_MASTER_KEY: masterKey });
    const wrong = await runCli(['logs', '--url', gateway.url, '--key', 'sk-sy-wrong'], { cwd: space.directory, environment: space.environment() });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toMatch(/^switchyard: the gateway answered 401: \S.*/);

    const noKey = await runCli(['logs', '--url', gateway.url], { cwd: space.directory, environment: space.environment() });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('no key');

    expect((await gateway.stop()).code).toBe(0);
    const down = await runCli(['logs', '--url', gateway.url, '--key', masterKey], { cwd: space.directory, environment: space.environment() });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`cannot reach the gateway at ${gateway.url}`);
  });

  it('--follow prints the rows there are, then each new request as it is recorded', async () => {
    const space = workspace();
    writeMockConfig(space);
    const gateway = await start(space, { SWITCHYARD_MASTER_KEY: masterKey, MOCK_OPENAI_KEY: 'sk-mock' });
    const before = await chat(gateway.url, masterKey);
    await eventually(async () => ((await ledger(gateway.url, masterKey)).length === 1 ? true : undefined));

    const follow = spawnCli(['logs', '--follow', '--url', gateway.url, '--key', masterKey], { cwd: space.directory, environment: space.environment() });
    processes.push(follow);
    await follow.waitForOutput(new RegExp(before.requestId!));
    // A long request that started before a short one, and is recorded after it, must not be skipped.
    mock.enqueue({ kind: 'text', text: 'slow', delayMs: 1_500 }, { kind: 'text', text: 'fast' });
    const slow = chat(gateway.url, masterKey);
    await eventually(async () => (mock.requests.length === 2 ? true : undefined), 10_000, 10);
    const fast = await chat(gateway.url, masterKey);
    await follow.waitForOutput(new RegExp(fast.requestId!), 10_000);
    const slowResult = await slow;
    expect(slowResult.status).toBe(200);
    await follow.waitForOutput(new RegExp(slowResult.requestId!), 10_000);
    const lines = follow.stdout().trim().split('\n');
    expect(lines).toHaveLength(3);
    // Usually the fast one comes first (an earlier poll); if one poll sees both, the earlier start comes first.
    expect(lines.slice(1).map((line) => line.split(' ')[1]).sort()).toEqual([fast.requestId, slowResult.requestId].sort());
    await follow.stop('SIGTERM');
  });
});

describe('switchyard providers', () => {
  it('lists all six kinds and marks the one found through OPENAI_API_KEY', async () => {
    const space = workspace();
    const result = await runCli(['providers'], { cwd: space.directory, environment: space.environment({ OPENAI_API_KEY: 'sk-test-providers' }) });
    expect(result.code).toBe(0);
    const kinds = [...result.stdout.matchAll(/^([* ]) (\S+) {2,}/gm)].map((match) => [match[1], match[2]]);
    expect(kinds.map(([, kind]) => kind)).toEqual(['openai', 'anthropic', 'gemini', 'azure-openai', 'ollama', 'openai-compatible']);
    expect(kinds.find(([, kind]) => kind === 'openai')?.[0]).toBe('*');
    for (const kind of ['anthropic', 'gemini', 'azure-openai', 'openai-compatible']) expect(kinds.find(([, name]) => name === kind)?.[0]).toBe(' ');
    expect(result.stdout).toContain('OPENAI_API_KEY');
    expect(result.stdout).toContain('* = found in this environment');
    expect(result.stdout).not.toContain('sk-test-providers');
  });
});
