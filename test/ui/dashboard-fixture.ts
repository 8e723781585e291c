import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

/** A gateway with two providers (`openai` answers, `flaky` fails), real keys, a team and a budget, and traffic. */
export interface DashboardFixture {
  gateway: TestGateway;
  upstreams: MockProvider[];
  workspaceId: string;
  otherWorkspaceId: string;
  teamId: string;
  key: { id: string; name: string; secret: string };
  /** A viewer key of `workspaceId` that may call the admin API. */
  viewer: { id: string; secret: string };
  /** A key of the other workspace that may call the admin API. */
  otherViewer: { id: string; secret: string };
  budgetId: string;
  stop(): Promise<void>;
}

export async function admin<T = Record<string, unknown>>(gateway: TestGateway, method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  const response = await fetch(`${gateway.url}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function created<T>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 201) throw new Error(`expected 201, got ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function chat(gateway: TestGateway, key: string, model: string, text: string): Promise<number> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: text }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Starts the gateway with `dashboard` config (e.g. the directory of a fresh build) and sends traffic: five
 * answered requests and one refused upstream on `openai` with the key, one with the other workspace's viewer,
 * and two failures on `flaky`, which open its circuit (threshold 2).
 */
export async function startDashboardFixture(dashboard: Record<string, unknown> = {}): Promise<DashboardFixture> {
  const good = await startOpenAIMock();
  const flaky = await startOpenAIMock();
  const gateway = await startTestGateway({
    providers: [
      { name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: good.baseUrl },
      { name: 'flaky', kind: 'openai', apiKey: 'sk-upstream', baseUrl: flaky.baseUrl },
    ],
    models: [
      { name: 'chat-model', deployments: [{ provider: 'openai', model: 'gpt-4o-mini', id: 'openai-main' }] },
      { name: 'flaky-model', deployments: [{ provider: 'flaky', model: 'gpt-4o-mini', id: 'flaky-main' }] },
    ],
    routing: { maxRetries: 0, breaker: { failureThreshold: 2, cooldownMs: 600_000 } },
    pricing: { 'gpt-4o-mini': { inputPerMillion: 1000, outputPerMillion: 1000 } },
    dashboard,
  });
  const workspace = await created(admin<{ id: string }>(gateway, 'POST', '/workspaces', { organisationId: 'org_default', name: 'dashboard' }));
  const other = await created(admin<{ id: string }>(gateway, 'POST', '/workspaces', { organisationId: 'org_default', name: 'elsewhere' }));
  const team = await created(admin<{ id: string }>(gateway, 'POST', '/teams', { workspaceId: workspace.id, name: 'checkout' }));
  const key = await created(admin<{ key: { id: string; name: string }; secret: string }>(gateway, 'POST', '/keys', { workspaceId: workspace.id, teamId: team.id, name: 'checkout-service' }));
  const viewer = await created(admin<{ key: { id: string }; secret: string }>(gateway, 'POST', '/keys', { workspaceId: workspace.id, name: 'dashboard-viewer', role: 'viewer', allowedRoutes: ['/admin/v1', '/v1'] }));
  const otherViewer = await created(admin<{ key: { id: string }; secret: string }>(gateway, 'POST', '/keys', { workspaceId: other.id, name: 'other-viewer', role: 'viewer', allowedRoutes: ['/admin/v1', '/v1'] }));
  const budget = await created(admin<{ id: string }>(gateway, 'POST', '/budgets', { scope: 'key', scopeId: key.key.id, period: 'month', limitMicros: 50_000_000 }));

  for (let index = 0; index < 5; index += 1) await chat(gateway, key.secret, 'chat-model', `Say hello number ${index}`);
  good.enqueue({ kind: 'error', status: 400, message: 'bad request upstream' });
  await chat(gateway, key.secret, 'chat-model', 'This one fails');
  await chat(gateway, otherViewer.secret, 'chat-model', 'From elsewhere');
  flaky.enqueue({ kind: 'error', status: 500, message: 'down' }, { kind: 'error', status: 500, message: 'down' });
  await chat(gateway, key.secret, 'flaky-model', 'Flaky one');
  await chat(gateway, key.secret, 'flaky-model', 'Flaky two');
  await gateway.running.writer.flush();

  return {
    gateway,
    upstreams: [good, flaky],
    workspaceId: workspace.id,
    otherWorkspaceId: other.id,
    teamId: team.id,
    key: { id: key.key.id, name: key.key.name, secret: key.secret },
    viewer: { id: viewer.key.id, secret: viewer.secret },
    otherViewer: { id: otherViewer.key.id, secret: otherViewer.secret },
    budgetId: budget.id,
    async stop() {
      await gateway.stop();
      for (const upstream of [good, flaky]) await upstream.close();
    },
  };
}
