import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';
import { buildCli, createWorkspace, eventually, runCli, type CliResult, type Workspace } from './cli-process.js';

// The governance verbs run as users run them (`node dist/cli/main.js ...`) against a real gateway whose
// provider is the OpenAI mock: every command goes through the admin API over HTTP. The tests share one
// gateway and run in order: later ones use the `production` workspace and the audit records of earlier ones,
// and the last one adds a second organisation.

const encryptionKey = '0f'.repeat(32);
let gateway: TestGateway;
let mock: MockProvider;
let space: Workspace;

beforeAll(async () => {
  buildCli();
  mock = await startOpenAIMock();
  gateway = await startTestGateway(
    { providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream-openai', baseUrl: mock.baseUrl }] },
    { SWITCHYARD_ENCRYPTION_KEY: encryptionKey },
  );
  space = createWorkspace();
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await mock?.close();
  space?.remove();
});

/** Runs the CLI with the gateway's address and the master key as the admin key (both from the environment). */
function switchyard(args: string[], environment: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: space.directory, environment: space.environment({ SWITCHYARD_URL: gateway.url, SWITCHYARD_ADMIN_KEY: testMasterKey, ...environment }) });
}

/** Runs a command that must succeed and returns its stdout. */
async function succeed(args: string[], environment?: Record<string, string>): Promise<string> {
  const result = await switchyard(args, environment);
  expect(result.code, `switchyard ${args.join(' ')}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(0);
  return result.stdout;
}

async function succeedJson<T>(args: string[], environment?: Record<string, string>): Promise<T> {
  return JSON.parse(await succeed([...args, '--json'], environment)) as T;
}

async function chat(key: string, model = 'openai/gpt-4o-mini'): Promise<{ status: number; body: string }> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say hello' }] }),
  });
  return { status: response.status, body: await response.text() };
}

interface CreatedKey {
  key: { id: string; name: string; prefix: string };
  secret: string;
}

describe('switchyard workspace and org set-llm', () => {
  it('creates and lists workspaces by name, and the model settings reach the provider', async () => {
    expect(await succeed(['workspace', 'create', 'production'])).toMatch(/^Created workspace production \(ws_\w+\)/);
    const list = await succeed(['workspace', 'list']);
    expect(list.split('\n')[0]).toMatch(/^NAME\s+ID\s+LLM OVERRIDES\s+CREATED$/);
    expect(list).toMatch(/^production\s+ws_\w+\s+-\s+/m);

    expect(await succeed(['org', 'set-llm', '--model', 'openai/gpt-4o-mini', '--temperature', '0.7'])).toMatch(/model defaults: model=openai\/gpt-4o-mini temperature=0.7/);
    expect(await succeed(['workspace', 'set-llm', 'production', '--provider', 'openai', '--model', 'openai/gpt-4o'])).toMatch(/model overrides: provider=openai model=openai\/gpt-4o/);
    // A second set-llm keeps what the first one set.
    const organisation = await succeedJson<{ llm: Record<string, unknown> }>(['org', 'set-llm', '--max-tokens', '512']);
    expect(organisation.llm).toEqual({ model: 'openai/gpt-4o-mini', temperature: 0.7, maxTokens: 512 });

    const created = await succeedJson<CreatedKey>(['keys', 'create', 'settings-probe', '--workspace', 'production']);
    // The workspace's model wins over the organisation's; the temperature is inherited from the organisation.
    mock.reset();
    expect((await chat(created.secret, 'default')).status).toBe(200);
    expect(mock.requests.at(-1)?.body).toMatchObject({ model: 'gpt-4o', temperature: 0.7 });
  });

  it('refuses a duplicate or unknown workspace with the reason and a non-zero exit', async () => {
    await succeed(['workspace', 'create', 'staging']);
    const duplicate = await switchyard(['workspace', 'create', 'staging']);
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/^switchyard: the gateway answered 409: .*staging/);

    const unknown = await switchyard(['workspace', 'set-llm', 'nowhere', '--model', 'gpt-4o']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/no workspace named nowhere .*known: .*production/);
  });
});

describe('switchyard keys', () => {
  it('creates a key shown once, lists it, rotates, blocks, unblocks and revokes it', async () => {
    await succeed(['workspace', 'create', 'keys-test']);
    const created = await switchyard(['keys', 'create', 'ci-bot', '--workspace', 'keys-test', '--role', 'developer', '--tag', 'ci']);
    expect(created.code).toBe(0);
    const secret = /Secret \(shown only this once; store it now\):\n(\S+)/.exec(created.stdout)?.[1];
    expect(secret).toMatch(/^sk-sy-/);
    expect(created.stdout).toMatch(/^Created key ci-bot \(key_\w+\) in workspace keys-test, role developer/);
    expect((await chat(secret!)).status).toBe(200);

    const list = await succeed(['keys', 'list', '--workspace', 'keys-test']);
    expect(list).toMatch(new RegExp(`^key_\\w+\\s+ci-bot\\s+${secret!.slice(0, 8)}\\S*\\s+keys-test\\s+developer\\s+active`, 'm'));
    expect(list).not.toContain(secret);

    // Rotation with no grace period: the old secret stops at once, the new one works.
    const rotated = await succeedJson<CreatedKey & { previousSecretExpiresAt: number }>(['keys', 'rotate', 'ci-bot', '--grace', '0']);
    expect(rotated.secret).not.toBe(secret);
    expect((await chat(secret!)).status).toBe(401);
    expect((await chat(rotated.secret)).status).toBe(200);

    expect(await succeed(['keys', 'block', rotated.key.id])).toMatch(/^Blocked key ci-bot/);
    expect((await chat(rotated.secret)).status).toBe(401);
    expect(await succeed(['keys', 'list', '--workspace', 'keys-test'])).toMatch(/ci-bot.*\sblocked\s/);
    await succeed(['keys', 'unblock', rotated.key.id]);
    expect((await chat(rotated.secret)).status).toBe(200);

    expect(await succeed(['keys', 'revoke', 'ci-bot'])).toMatch(/^Revoked key ci-bot \(key_\w+, sk-sy-/);
    expect((await chat(rotated.secret)).status).toBe(401);
    const keys = await succeedJson<Array<{ name: string; revokedAt?: number }>>(['keys', 'list', '--workspace', 'keys-test']);
    expect(keys.find((key) => key.name === 'ci-bot')?.revokedAt).toBeGreaterThan(0);
  });

  it('mints an agent token from a virtual key, and the token can chat', async () => {
    await succeed(['workspace', 'create', 'agents']);
    const minter = await succeedJson<CreatedKey>(['keys', 'create', 'agent-minter', '--workspace', 'agents', '--role', 'developer', '--allowed-routes', '/v1,/admin/v1']);
    const minted = await succeedJson<{ token: string; scopes: string[]; expiresAt: number }>(['token', 'mint', '--scopes', 'gateway:chat', '--ttl', '5m', '--key', minter.secret]);
    expect(minted.scopes).toEqual(['gateway:chat']);
    expect(minted.expiresAt * 1000).toBeGreaterThan(Date.now());
    expect((await chat(minted.token)).status).toBe(200);

    // The master key has no role or workspace to narrow: the gateway's reason is shown.
    const refused = await switchyard(['token', 'mint', '--scopes', 'gateway:chat']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/the gateway answered 400: Agent tokens are minted by a virtual key/);
  });
});

describe('switchyard budgets, limits and policies', () => {
  it('creates a budget in dollars and lists it with the spend of a call', async () => {
    await succeed(['workspace', 'create', 'budgeted']);
    const created = await succeed(['budgets', 'create', '--workspace', 'budgeted', '--limit', '25.50', '--period', 'month', '--thresholds', '50,80,100']);
    const budgetId = /^Created budget (\S+): \$25\.50 per month for workspace budgeted$/m.exec(created)?.[1];
    expect(budgetId).toBeDefined();

    const key = await succeedJson<CreatedKey>(['keys', 'create', 'spender', '--workspace', 'budgeted']);
    expect((await chat(key.secret)).status).toBe(200);
    const budget = await eventually(async () => {
      const budgets = await succeedJson<Array<{ id: string; limitMicros: number; state: { spentMicros: number } }>>(['budgets', 'list', '--workspace', 'budgeted']);
      const found = budgets.find((candidate) => candidate.id === budgetId);
      return found !== undefined && found.state.spentMicros > 0 ? found : undefined;
    });
    expect(budget.limitMicros).toBe(25_500_000);

    // `budgets` alone lists, as a table.
    const table = await succeed(['budgets']);
    expect(table.split('\n')[0]).toMatch(/^ID\s+OWNER\s+PERIOD\s+LIMIT\s+SPENT\s+RESERVED\s+USED\s+ALERTS AT\s+RESETS$/);
    const row = table.split('\n').find((line) => line.startsWith(budgetId!));
    expect(row).toMatch(/workspace budgeted\s+month\s+\$25\.50\s+\$0\.0\d+\s+\$0\.00\s+0\.\d%\s+50%,80%,100%/);

    expect(await succeed(['budgets', 'delete', budgetId!])).toBe(`Deleted budget ${budgetId}\n`);
    expect(await succeed(['budgets', 'list', '--workspace', 'budgeted'])).toBe('No budgets.\n');
  });

  it('refuses a budget amount that is not dollars before calling the gateway', async () => {
    const result = await switchyard(['budgets', 'create', '--limit', '-5']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/--limit.*expected an amount in dollars/);
  });

  it('creates, lists and deletes rate limits', async () => {
    const created = await succeedJson<{ id: string; windowMs: number; scope: string }>(['limits', 'create', '--workspace', 'production', '--metric', 'requests', '--limit', '100', '--window', '1m']);
    expect(created).toMatchObject({ scope: 'workspace', windowMs: 60_000 });
    expect(await succeed(['limits', 'list', '--workspace', 'production'])).toMatch(new RegExp(`^${created.id}\\s+workspace production\\s+any\\s+100 requests / 1m\\s+sliding-window$`, 'm'));
    const noWindow = await switchyard(['limits', 'create', '--metric', 'tokens', '--limit', '1000']);
    expect(noWindow.code).not.toBe(0);
    expect(noWindow.stderr).toMatch(/--window is required for a tokens limit/);
    await succeed(['limits', 'delete', created.id]);
    expect(await succeedJson<unknown[]>(['limits', 'list', '--workspace', 'production'])).toEqual([]);
  });

  it('creates a policy that the gateway enforces, lists and deletes it', async () => {
    await succeed(['workspace', 'create', 'restricted']);
    const key = await succeedJson<CreatedKey>(['keys', 'create', 'restricted-key', '--workspace', 'restricted']);
    const created = await succeed(['policies', 'create', '--workspace', 'restricted', '--deny-models', 'openai/gpt-4o-mini', '--max-cost', '0.50']);
    const policyId = /^Created policy (\S+) for workspace restricted: not_models=openai\/gpt-4o-mini max_cost=\$0\.50$/m.exec(created)?.[1];
    expect(policyId).toBeDefined();
    expect((await chat(key.secret)).status).toBe(403);
    expect(await succeed(['policies', 'list', '--workspace', 'restricted'])).toContain(policyId);
    await succeed(['policies', 'delete', policyId!]);
    expect((await chat(key.secret)).status).toBe(200);
  });
});

describe('switchyard secret', () => {
  it('stores a secret from literals and never prints a value back', async () => {
    const value = 'sk-live-do-not-print-0123456789';
    const created = await switchyard(['secret', 'create', 'openai-api-key', '--from-literal', `key=${value}`, '--from-literal', 'organization=org-42']);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Stored secret openai-api-key \(fields: key, organization;/);
    const table = await succeed(['secret', 'list']);
    expect(table).toMatch(/^openai-api-key\s+key,organization\s+/m);
    const json = await succeed(['secret', 'list', '--json']);
    expect((JSON.parse(json) as Array<{ name: string; fields: string[] }>).find((secret) => secret.name === 'openai-api-key')?.fields).toEqual(['key', 'organization']);
    for (const output of [created.stdout, created.stderr, table, json]) {
      expect(output).not.toContain(value);
      expect(output).not.toContain('org-42');
    }
  });
});

describe('switchyard audit', () => {
  it('verifies the hash chain and lists the changes made above', async () => {
    const verified = await switchyard(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^OK: the audit log's hash chain is intact \(\d+ records/);
    expect(await succeedJson<{ ok: boolean; records: number }>(['audit', 'verify'])).toMatchObject({ ok: true });

    const records = await succeedJson<Array<{ action: string; outcome: string }>>(['audit', 'list', '--action', 'workspaces.create']);
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records.every((record) => record.action === 'workspaces.create' && record.outcome === 'success')).toBe(true);
    expect(await succeed(['audit', 'list', '-n', '3'])).toMatch(/^SEQ\s+TIME\s+ACTOR\s+ACTION\s+TARGET\s+OUTCOME\n(\s*\d+\s+\S+Z\s+\S+\s+\S+\s+\S+\s+\S+\n){3}$/);
  });

  it('reports an altered record with FAILED and exit status 1', async () => {
    const database = gateway.running.database.kysely;
    const record = await database.selectFrom('audit_log').select(['sequence', 'action']).orderBy('sequence').executeTakeFirstOrThrow();
    await database.updateTable('audit_log').set({ action: 'nothing.happened' }).where('sequence', '=', record.sequence).execute();
    try {
      const verified = await switchyard(['audit', 'verify']);
      expect(verified.code).toBe(1);
      expect(verified.stdout).toMatch(new RegExp(`^FAILED: the audit log's hash chain is broken at record ${Number(record.sequence)} \\(altered\\)`));
    } finally {
      await database.updateTable('audit_log').set({ action: record.action }).where('sequence', '=', record.sequence).execute();
    }
    expect((await switchyard(['audit', 'verify'])).code).toBe(0);
  });
});

describe('connection and organisation errors', () => {
  it('shows the gateway refusing a wrong key, and a missing key', async () => {
    const wrong = await switchyard(['workspace', 'list'], { SWITCHYARD_ADMIN_KEY: 'sk-sy-not-a-key' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/^switchyard: the gateway answered 401: /);

    const none = await runCli(['keys', 'list'], { cwd: space.directory, environment: space.environment({ SWITCHYARD_URL: gateway.url }) });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no key: pass --key or set SWITCHYARD_ADMIN_KEY/);
  });

  it('asks for --org when the key sees several organisations', async () => {
    const second = await succeedJson<{ id: string }>(['org', 'create', 'second-org']);
    const ambiguous = await switchyard(['workspace', 'list']);
    expect(ambiguous.code).not.toBe(0);
    expect(ambiguous.stderr).toMatch(/sees 2 organisations: pass --org/);
    expect(await succeed(['workspace', 'create', 'elsewhere', '--org', second.id])).toMatch(/^Created workspace elsewhere/);
    expect(await succeed(['workspace', 'list', '--org', second.id])).toMatch(/^elsewhere\s+ws_/m);
  });
});
