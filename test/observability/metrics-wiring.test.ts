import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../cli/cli-process.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// The state metrics as a real gateway wires them (src/main.ts): rate-limit refusals from governance, budget
// use from the budget ledger, circuit state from the router, the ledger writer's queue.

let upstream: MockProvider;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    models: [{ name: 'chat', deployments: [{ provider: 'openai', model: 'gpt-4o-mini', id: 'chat-main' }] }],
    routing: { maxRetries: 0, breaker: { failureThreshold: 1, cooldownMs: 600_000 } },
    pricing: { 'gpt-4o-mini': { inputPerMillion: 1000, outputPerMillion: 1000 } },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

async function admin<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(`${gateway.url}/admin/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${testMasterKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as T;
}

async function scrape(): Promise<string> {
  return (await fetch(`${gateway.url}/metrics`)).text();
}

function sampleValue(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const hello = [{ role: 'user' as const, content: 'Say hello' }];

describe('/metrics of a running gateway', () => {
  it('counts rate-limit refusals and reports budget use', async () => {
    const workspace = await admin<{ id: string }>('/workspaces', { organisationId: 'org_default', name: 'metered' });
    const key = await admin<{ key: { id: string }; secret: string }>('/keys', { workspaceId: workspace.id, name: 'metered-key' });
    await admin('/limits', { scope: 'key', scopeId: key.key.id, metric: 'requests', limit: 2, windowMs: 60_000 });
    const budget = await admin<{ id: string }>('/budgets', { scope: 'workspace', scopeId: workspace.id, period: 'month', limitMicros: 10_000_000 });
    const client = new OpenAI({ apiKey: key.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    for (let call = 0; call < 2; call += 1) {
      upstream.enqueue({ kind: 'text', text: 'hi', usage: { input: 100, output: 50 } });
      await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello, max_tokens: 50 });
    }
    const refused = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: hello, max_tokens: 50 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);

    // Settlement runs after the response; the gauge reads the budget ledger at scrape time.
    const spentSeries = `switchyard_budget_spent_micros{budget_id="${budget.id}",scope="workspace",period="month"}`;
    const text = await eventually(async () => {
      const current = await scrape();
      return (sampleValue(current, spentSeries) ?? 0) >= 300_000 ? current : undefined;
    });
    expect(sampleValue(text, 'switchyard_rate_limit_refusals_total{scope="key",limit="requests"}')).toBe(1);
    expect(sampleValue(text, spentSeries)).toBe(300_000);
    expect(sampleValue(text, `switchyard_budget_spent_ratio{budget_id="${budget.id}",scope="workspace",period="month"}`)).toBe(0.03);
    expect(sampleValue(text, `switchyard_budget_limit_micros{budget_id="${budget.id}",scope="workspace",period="month"}`)).toBe(10_000_000);
  });

  it('shows a deployment whose breaker opened, and the ledger queue drained', async () => {
    const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    expect(sampleValue(await scrape(), 'switchyard_circuit_state{deployment_id="chat-main"}')).toBe(0);
    upstream.enqueue({ kind: 'error', status: 500, message: 'down' });
    await client.chat.completions.create({ model: 'chat', messages: hello }).catch(() => undefined);
    await gateway.ledgerRows(1);
    const text = await scrape();
    expect(sampleValue(text, 'switchyard_circuit_state{deployment_id="chat-main"}')).toBe(2);
    expect(sampleValue(text, 'switchyard_write_queue_rows{queue="ledger"}')).toBe(0);
    expect(sampleValue(text, 'switchyard_write_queue_written_total{queue="ledger"}')).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/switchyard_requests_total\{dialect="openai-chat",gen_ai_operation_name="chat",gen_ai_provider_name="openai",gen_ai_response_model="gpt-4o-mini",status="error",error_type="upstream_error"\} 1/);
  });
});
