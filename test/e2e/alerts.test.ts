import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpReceiver } from '../../src/observatory/events/test-support/http-receiver.js';
import { verifyWebhookSignature } from '../../src/observatory/events/webhook-signature.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { adminFetch } from '../support/admin-fetch.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Alerts end to end: a rule created through the admin API watches real traffic through the gateway; failing
// upstream requests make it fire, and a real HTTP receiver gets the signed webhook.

const webhookSecret = 'whsec_e2e_0123456789';
let upstream: MockProvider;
let receiver: HttpReceiver;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  receiver = await HttpReceiver.start();
  gateway = await startTestGateway(
    {
      providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
      routing: { maxRetries: 0, breaker: { failureThreshold: 1000 } },
      pricing: { 'gpt-4o-mini': { inputPerMillion: 1000, outputPerMillion: 1000 } },
      alerts: {
        evaluationIntervalMs: 1000,
        bucketMs: 1000,
        channels: { ops: { kind: 'webhook', url: `${receiver.url}/hooks/ops?token=secret-token`, secret: { env: 'ALERT_WEBHOOK_SECRET' } } },
      },
    },
    { ALERT_WEBHOOK_SECRET: webhookSecret },
  );
});
afterAll(async () => {
  await gateway?.stop();
  await receiver?.stop();
  await upstream?.close();
});

function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  return adminFetch<T>(gateway.url, method, path, body, key);
}

interface AlertView {
  id: string;
  ruleId: string;
  state: string;
  group: string;
  value: number;
}

describe('alerts through a real gateway', () => {
  it('fires a rule created through the admin API on failing requests and delivers a signed webhook', async () => {
    const workspace = await admin<{ id: string }>('POST', '/workspaces', { organisationId: 'org_default', name: 'alerts-e2e' });
    const key = await admin<{ secret: string }>('POST', '/keys', { workspaceId: workspace.body.id, name: 'alerts-e2e' });

    const refused = await admin('POST', '/alert-rules', { organisationId: 'org_default', name: 'x', metric: 'error_rate', threshold: 0.5, channels: ['nowhere'] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('unknown channel nowhere');

    const created = await admin<{ id: string; organisationId: string; windowMs: number }>('POST', '/alert-rules', {
      organisationId: 'org_default',
      name: 'Upstream failures',
      metric: 'error_rate',
      scope: { dimension: 'model' },
      threshold: 0.5,
      windowMs: 60_000,
      minRequests: 3,
      severity: 'critical',
      channels: ['ops'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organisationId: 'org_default', windowMs: 60_000 });
    const ruleId = created.body.id;
    expect((await admin<{ data: Array<{ id: string }> }>('GET', '/alert-rules?organisationId=org_default')).body.data.map((rule) => rule.id)).toContain(ruleId);

    upstream.enqueue({ kind: 'error', status: 503, message: 'overloaded' }, { kind: 'error', status: 503, message: 'overloaded' }, { kind: 'error', status: 503, message: 'overloaded' });
    const client = new OpenAI({ apiKey: key.body.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    for (let index = 0; index < 3; index += 1) {
      await expect(client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.APIError);
    }

    await gateway.running.settle();
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    expect(delivery.path).toBe('/hooks/ops?token=secret-token');
    expect(verifyWebhookSignature(webhookSecret, delivery.headers['switchyard-signature'] as string, delivery.body, Date.now())).toBe('ok');
    const payload = JSON.parse(delivery.body) as { type: string; data: { alert: AlertView & { severity: string; organisationId: string } } };
    expect(payload.type).toBe('alert.firing');
    expect(payload.data.alert).toMatchObject({ ruleId, state: 'firing', severity: 'critical', organisationId: 'org_default', value: 1, threshold: 0.5 });
    expect(payload.data.alert.group).toMatch(/^model:.*gpt-4o-mini$/);

    const firing = await admin<{ object: string; data: AlertView[] }>('GET', `/alerts?state=firing&ruleId=${ruleId}`);
    expect(firing.status).toBe(200);
    expect(firing.body.object).toBe('list');
    expect(firing.body.data.map((alert) => alert.id)).toEqual([payload.data.alert.id]);

    // A change takes effect without a restart; deleting the rule resolves its alert.
    const patched = await admin<{ threshold: number }>('PATCH', `/alert-rules/${ruleId}`, { threshold: 0.9 });
    expect(patched.status).toBe(200);
    expect((await admin<{ threshold: number }>('GET', `/alert-rules/${ruleId}`)).body.threshold).toBe(0.9);
    expect((await admin('DELETE', `/alert-rules/${ruleId}`)).status).toBe(200);
    expect((await admin('GET', `/alert-rules/${ruleId}`)).status).toBe(404);
    await gateway.running.settle();
    const history = await admin<{ data: AlertView[] }>('GET', `/alerts?ruleId=${ruleId}`);
    expect(history.body.data[0]?.state).toBe('resolved');
    expect(history.body.data).toHaveLength(1);
    // Exactly one delivery: the alert was de-duplicated while it kept firing.
    expect(receiver.received).toHaveLength(1);
  });

  it("routes a budget's threshold crossing into a budget_threshold rule", async () => {
    const workspace = await admin<{ id: string }>('POST', '/workspaces', { organisationId: 'org_default', name: 'alerts-budget' });
    const key = await admin<{ key: { id: string }; secret: string }>('POST', '/keys', { workspaceId: workspace.body.id, name: 'alerts-budget' });
    // One request costs about 7,000 micro-dollars at the test prices: past 1 % of the limit, short of 90 %.
    const budget = await admin<{ id: string }>('POST', '/budgets', { scope: 'key', scopeId: key.body.key.id, period: 'month', limitMicros: 200_000, thresholds: [1, 90] });
    expect(budget.status).toBe(201);
    const rule = await admin<{ id: string }>('POST', '/alert-rules', {
      organisationId: 'org_default',
      name: 'Budget warning',
      metric: 'budget_threshold',
      scope: { dimension: 'key', value: key.body.key.id },
      comparison: 'gte',
      threshold: 1,
      channels: ['ops'],
    });
    expect(rule.status).toBe(201);
    const before = receiver.received.length;
    const client = new OpenAI({ apiKey: key.body.secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 20, messages: [{ role: 'user', content: 'Say hello' }] });

    await receiver.waitFor(before + 1);
    const payload = JSON.parse(receiver.received[before].body) as { type: string; data: { alert: AlertView & { message: string } } };
    expect(payload.type).toBe('alert.firing');
    expect(payload.data.alert).toMatchObject({ ruleId: rule.body.id, group: `key:${key.body.key.id}`, value: 1 });
    expect(payload.data.alert.message).toContain(`(budget ${budget.body.id})`);
  });

  it('lets a key of another organisation neither read nor change the rules', async () => {
    const organisation = await admin<{ id: string }>('POST', '/organisations', { name: 'other-org' });
    expect(organisation.status).toBe(201);
    const workspace = await admin<{ id: string }>('POST', '/workspaces', { organisationId: organisation.body.id, name: 'other' });
    const key = await admin<{ secret: string }>('POST', '/keys', { workspaceId: workspace.body.id, name: 'other', role: 'admin', allowedRoutes: ['/admin/v1'] });
    const rule = await admin<{ id: string }>('POST', '/alert-rules', { organisationId: 'org_default', name: 'spend', metric: 'spend_rate', threshold: 5_000_000 });
    expect(rule.status).toBe(201);
    expect((await admin('GET', `/alert-rules/${rule.body.id}`, undefined, key.body.secret)).status).toBe(403);
    expect((await admin('DELETE', `/alert-rules/${rule.body.id}`, undefined, key.body.secret)).status).toBe(403);
    const listed = await admin<{ data: Array<{ id: string }> }>('GET', '/alert-rules', undefined, key.body.secret);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((each) => each.id)).not.toContain(rule.body.id);
    // Its own organisation's rules it may manage.
    const own = await admin<{ id: string; organisationId: string }>('POST', '/alert-rules', { name: 'own', metric: 'request_count', threshold: 1000 }, key.body.secret);
    expect(own.status).toBe(201);
    expect(own.body.organisationId).toBe(organisation.body.id);
    expect((await admin('GET', `/alert-rules/${own.body.id}`, undefined, key.body.secret)).status).toBe(200);
  });
});
