import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOllamaMock } from '../mock-providers/ollama-mock.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Governance on the request path, driven through the admin API and the official SDKs: virtual keys, the
// model hierarchy, policies, rate limits with their headers, budgets with reservation and settlement, and
// agent tokens. Prices are set high (1,000 micro-dollars a token) so every request has a visible cost.

let upstream: MockProvider;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    routing: { maxRetries: 0 },
    pricing: { 'gpt-4o-mini': { inputPerMillion: 1000, outputPerMillion: 1000 } },
    llm_config: { model: 'openai/gpt-4o-mini', temperature: 0.7 },
    workspaces: { production: { llm_override: { temperature: 0.2, max_tokens: 64 } } },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

async function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function createWorkspace(name: string): Promise<string> {
  const created = await admin<{ id: string }>('POST', '/workspaces', { organisationId: 'org_default', name });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function createKey(workspaceId: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const created = await admin<{ key: { id: string }; secret: string }>('POST', '/keys', { workspaceId, name: `key-${Math.random().toString(36).slice(2, 8)}`, ...extra });
  expect(created.status).toBe(201);
  return { id: created.body.key.id, secret: created.body.secret };
}

function openai(key: string): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
}

const hello = [{ role: 'user' as const, content: 'Say hello' }];

describe('virtual keys', () => {
  it('serve the OpenAI and Anthropic SDKs and are attributed to their workspace in the ledger', async () => {
    const workspaceId = await createWorkspace('attribution');
    const key = await createKey(workspaceId);
    const completion = await openai(key.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    expect(completion.choices[0].message.content).toContain('Hello');
    const anthropic = new Anthropic({ apiKey: key.secret, baseURL: gateway.url, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello });
    expect(message.content[0]).toMatchObject({ type: 'text' });
    const rows = await gateway.ledgerRows(2);
    for (const row of rows) expect(row).toMatchObject({ keyId: key.id, workspaceId, organisationId: 'org_default', status: 'ok' });
  });

  it('are refused once revoked or blocked, and keep working through a rotation grace period', async () => {
    const workspaceId = await createWorkspace('lifecycle');
    const key = await createKey(workspaceId);
    const client = openai(key.secret);
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });

    const rotated = await admin<{ secret: string }>('POST', `/keys/${key.id}/rotate`, { gracePeriodSeconds: 60 });
    expect(rotated.status).toBe(200);
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    await openai(rotated.body.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });

    expect((await admin('POST', `/keys/${key.id}/block`)).status).toBe(200);
    await expect(openai(rotated.body.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await admin('POST', `/keys/${key.id}/unblock`)).status).toBe(200);
    await openai(rotated.body.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });

    expect((await admin('DELETE', `/keys/${key.id}`)).status).toBe(200);
    const refused = await openai(rotated.body.secret)
      .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify((refused as InstanceType<typeof OpenAI.APIError>).error)).not.toContain(rotated.body.secret);
  });

  it('may call only their allowed models and routes', async () => {
    const workspaceId = await createWorkspace('allow-lists');
    const key = await createKey(workspaceId, { allowedModels: ['openai/gpt-4o-mini'], allowedRoutes: ['/v1/chat/completions'] });
    await openai(key.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    const wrongModel = await openai(key.secret)
      .chat.completions.create({ model: 'openai/gpt-4o', messages: hello })
      .catch((error: unknown) => error);
    expect(wrongModel).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((wrongModel as Error).message).toContain('gpt-4o');
    const wrongRoute = await openai(key.secret)
      .embeddings.create({ model: 'openai/text-embedding-3-small', input: 'x' })
      .catch((error: unknown) => error);
    expect(wrongRoute).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });
});

describe('the organisation -> workspace -> key hierarchy', () => {
  it('fills the model and settings a request leaves out, each from its level', async () => {
    const workspaceId = await createWorkspace('production');
    const key = await createKey(workspaceId);
    upstream.requests.length = 0;
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: hello }),
    });
    expect(response.status).toBe(200);
    const sent = upstream.requests.at(-1)!.body as Record<string, unknown>;
    // Model from the config's llm_config, temperature and max_tokens from the workspace's override.
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.2 });
    expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(64);

    // The workspace's stored settings come after the config file's override; the key's after those.
    expect((await admin('PATCH', `/workspaces/${workspaceId}`, { llm: { temperature: 0.4 } })).status).toBe(200);
    const keyed = await createKey(workspaceId, { llm: { temperature: 0.9 } });
    await openai(key.secret).chat.completions.create({ model: 'default', messages: hello });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ temperature: 0.4 });
    await openai(keyed.secret).chat.completions.create({ model: 'default', messages: hello, temperature: 0 });
    expect(upstream.requests.at(-1)!.body).toMatchObject({ temperature: 0 });
  });
});

describe('policies', () => {
  it('refuse a denied model with a 403 naming the rule, and the refusal is in the audit log', async () => {
    const workspaceId = await createWorkspace('policy');
    const key = await createKey(workspaceId);
    const policy = await admin<{ id: string }>('POST', '/policies', { scope: 'workspace', scopeId: workspaceId, rules: { deniedModels: ['openai/gpt-4o'] } });
    expect(policy.status).toBe(201);
    const refused = await openai(key.secret)
      .chat.completions.create({ model: 'openai/gpt-4o', messages: hello })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refused as Error).message).toMatch(/gpt-4o/);
    await openai(key.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    await expect.poll(async () => (await admin<{ data: Array<{ action: string; outcome: string }> }>('GET', `/audit?organisationId=org_default&workspaceId=${workspaceId}`)).body.data.some((record) => record.action === 'policy.deny' && record.outcome === 'denied')).toBe(true);
    const verified = await admin<{ ok: boolean }>('POST', '/audit/verify');
    expect(verified.body.ok).toBe(true);
  });

  it('"local only" refuses a hosted provider', async () => {
    const workspaceId = await createWorkspace('local-only');
    const key = await createKey(workspaceId);
    await admin('POST', '/policies', { scope: 'workspace', scopeId: workspaceId, rules: { localOnly: true } });
    // The mock listens on 127.0.0.1, but the openai kind is a hosted service whatever its base URL.
    const refused = await openai(key.secret)
      .chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it('"local only" follows a provider replaced at run time: on this machine it serves, moved to a public host it is refused', async () => {
    const ollama = await startOllamaMock();
    try {
      const workspaceId = await createWorkspace('local-only-replaced');
      const key = await createKey(workspaceId);
      await admin('POST', '/policies', { scope: 'workspace', scopeId: workspaceId, rules: { localOnly: true } });
      expect((await admin('POST', '/providers', { kind: 'ollama', name: 'edge', settings: { host: ollama.baseUrl } })).status).toBe(201);
      const served = await openai(key.secret).chat.completions.create({ model: 'edge/llama3.2', messages: hello });
      expect(served.choices[0].message.content).toContain('Hello');
      // The same name, now a server on a public host: the policy is decided on the new instance, before any call.
      expect((await admin('POST', '/providers', { kind: 'ollama', name: 'edge', settings: { host: 'https://ollama.example.com' } })).status).toBe(201);
      const calls = ollama.requests.length;
      const refused = await openai(key.secret)
        .chat.completions.create({ model: 'edge/llama3.2', messages: hello })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(ollama.requests.length).toBe(calls);
    } finally {
      await admin('DELETE', '/providers/edge');
      await ollama.close();
    }
  });
});

describe('rate limits', () => {
  it('admit exactly the limit, then answer 429 with retry-after and x-ratelimit headers', async () => {
    const workspaceId = await createWorkspace('rate-limited');
    const key = await createKey(workspaceId);
    const limit = await admin('POST', '/limits', { scope: 'key', scopeId: key.id, metric: 'requests', limit: 3, windowMs: 60_000 });
    expect(limit.status).toBe(201);
    const client = openai(key.secret);
    const first = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('3');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('2');
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    const refused = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const headers = (refused as InstanceType<typeof OpenAI.APIError>).headers!;
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    expect(headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(headers.get('x-should-retry')).toBe('true');
  });

  it('hold exactly under concurrency', async () => {
    const workspaceId = await createWorkspace('rate-concurrent');
    const key = await createKey(workspaceId);
    await admin('POST', '/limits', { scope: 'workspace', scopeId: workspaceId, metric: 'requests', limit: 7, windowMs: 60_000 });
    const client = openai(key.secret);
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(7);
    for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(OpenAI.RateLimitError);
  });
});

describe('budgets', () => {
  it('refuse with 429 insufficient_quota once spent, never overspending under concurrency', async () => {
    const workspaceId = await createWorkspace('budgeted');
    const key = await createKey(workspaceId);
    // About 10 prompt tokens + at most 20 output tokens = at most ~30,000 micro-dollars a request.
    const limitMicros = 200_000;
    const budget = await admin<{ id: string }>('POST', '/budgets', { scope: 'key', scopeId: key.id, period: 'month', limitMicros, thresholds: [50, 100] });
    expect(budget.status).toBe(201);
    const client = openai(key.secret);
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello })));
    let admitted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    expect(admitted).toBeGreaterThan(0);
    expect(admitted).toBeLessThan(25);
    // The burst was held back by reservations in flight; one at a time, requests go on until the real spend
    // leaves no room for another worst case.
    for (let attempt = 0; attempt < 40; attempt++) {
      const outcome = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello }).then(
        () => 'ok',
        (error: unknown) => error,
      );
      if (outcome !== 'ok') {
        expect(outcome).toBeInstanceOf(OpenAI.RateLimitError);
        break;
      }
      admitted += 1;
    }
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused.reason as InstanceType<typeof OpenAI.APIError>;
    expect(error.code ?? (error.error as { type?: string }).type).toMatch(/insufficient_quota|budget_exceeded/);
    expect(error.headers!.get('x-should-retry')).toBe('false');

    const rows = (await gateway.ledgerRows(100)).filter((row) => row.keyId === key.id && row.status === 'ok');
    const spent = rows.reduce((sum, row) => sum + (row.costMicros ?? 0), 0);
    expect(rows).toHaveLength(admitted);
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(limitMicros);
    expect(spent).toBeGreaterThan(limitMicros - 40_000);
    // The budget shows the settled spend, and nothing stays reserved.
    await expect.poll(async () => (await admin<{ state: { spentMicros: number; reservedMicros: number } }>('GET', `/budgets/${budget.body.id}`)).body.state).toMatchObject({ spentMicros: spent, reservedMicros: 0 });
    const thresholds = async () =>
      (await admin<{ data: Array<{ details: { threshold: number } }> }>('GET', `/audit?organisationId=org_default&workspaceId=${workspaceId}&action=budget.threshold`)).body.data.map((record) => record.details.threshold);
    await expect.poll(thresholds, { timeout: 5000 }).toContain(50);
  });

  it('give back the reservation of a request that fails', async () => {
    const workspaceId = await createWorkspace('budget-refund');
    const key = await createKey(workspaceId);
    const budget = await admin<{ id: string }>('POST', '/budgets', { scope: 'workspace', scopeId: workspaceId, period: 'day', limitMicros: 1_000_000 });
    upstream.enqueue({ kind: 'error', status: 400, message: 'bad request upstream', type: 'invalid_request_error' });
    await expect(openai(key.secret).chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect.poll(async () => (await admin<{ state: { spentMicros: number; reservedMicros: number } }>('GET', `/budgets/${budget.body.id}`)).body.state).toMatchObject({ spentMicros: 0, reservedMicros: 0 });
  });

  it('give back what a refused request took: the reservation when a rate limit refuses, the slot when the budget does', async () => {
    const budgetState = async (id: string) => (await admin<{ state: { spentMicros: number; reservedMicros: number } }>('GET', `/budgets/${id}`)).body.state;
    const limited = await createKey(await createWorkspace('budget-and-limit'));
    const budget = await admin<{ id: string }>('POST', '/budgets', { scope: 'key', scopeId: limited.id, period: 'day', limitMicros: 1_000_000 });
    await admin('POST', '/limits', { scope: 'key', scopeId: limited.id, metric: 'requests', limit: 1, windowMs: 60_000 });
    const client = openai(limited.secret);
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello });
    await gateway.running.settle();
    const spent = (await budgetState(budget.body.id)).spentMicros;
    expect(spent).toBeGreaterThan(0);
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello })).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    }
    await gateway.running.settle();
    expect(await budgetState(budget.body.id)).toMatchObject({ spentMicros: spent, reservedMicros: 0 });

    // One concurrent request allowed and a budget too small for any request: every refusal frees the slot,
    // so once the budget is raised the next request is served.
    const slotted = await createKey(await createWorkspace('slot-and-budget'));
    const small = await admin<{ id: string }>('POST', '/budgets', { scope: 'key', scopeId: slotted.id, period: 'day', limitMicros: 1_000 });
    await admin('POST', '/limits', { scope: 'key', scopeId: slotted.id, metric: 'concurrent', limit: 1 });
    const slottedClient = openai(slotted.secret);
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await slottedClient.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect((refused as InstanceType<typeof OpenAI.APIError>).headers!.get('x-should-retry')).toBe('false');
    }
    expect((await admin('PATCH', `/budgets/${small.body.id}`, { limitMicros: 1_000_000 })).status).toBe(200);
    await expect(slottedClient.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: hello })).resolves.toBeDefined();
  });
});

describe('agent tokens', () => {
  it('call the gateway within their scopes and are refused outside them', async () => {
    const workspaceId = await createWorkspace('agents');
    const key = await createKey(workspaceId, { role: 'developer', allowedRoutes: ['/v1/', '/admin/v1/agent-tokens'] });
    const minted = await admin<{ token: string }>('POST', '/agent-tokens', { scopes: ['gateway:chat'], ttlSeconds: 300 }, key.secret);
    expect(minted.status).toBe(201);
    const completion = await openai(minted.body.token).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello });
    expect(completion.choices[0].message.content).toContain('Hello');
    await expect(openai(minted.body.token).embeddings.create({ model: 'openai/text-embedding-3-small', input: 'x' })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    const tampered = `${minted.body.token.slice(0, -4)}AAAA`;
    await expect(openai(tampered).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
