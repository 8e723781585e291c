import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// The real gateway's OpenAPI document covers the admin routes mounted outside the route table too (providers,
// the dashboard's data, traces), and every operation it lists is a route the server answers.

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway?.stop();
});

async function document(): Promise<{ paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> }> {
  const response = await fetch(`${gateway.url}/admin/openapi.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as never;
}

describe('the admin OpenAPI document of a running gateway', () => {
  it('lists the provider, analytics, deployment, trace and score operations', async () => {
    const operations = Object.values((await document()).paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    for (const operationId of ['listProviders', 'enableProvider', 'deleteProvider', 'pullModel', 'getAnalyticsOverview', 'listDeployments', 'listTraces', 'getTrace', 'createScore', 'listKeys']) {
      expect(operations, operationId).toContain(operationId);
    }
  });

  it('lists only operations the server has a route for', async () => {
    const { paths } = await document();
    const routes = Object.entries(paths).flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1') })));
    expect(routes.length).toBeGreaterThan(60);
    for (const route of routes) expect(gateway.running.app.hasRoute(route as never), `${route.method} ${route.url}`).toBe(true);
  });

  it('describes answers the server really gives, e.g. the analytics overview', async () => {
    const { paths } = await document();
    const success = paths['/admin/v1/analytics/overview']!.get!.responses['200'] as { content: Record<string, { schema: { required?: string[] } }> };
    const required = success.content['application/json']!.schema.required ?? [];
    const answer = (await (await fetch(`${gateway.url}/admin/v1/analytics/overview`, { headers: { authorization: `Bearer ${testMasterKey}` } })).json()) as Record<string, unknown>;
    expect(required.length).toBeGreaterThan(5);
    for (const field of required) expect(answer, field).toHaveProperty(field);
  });
});
