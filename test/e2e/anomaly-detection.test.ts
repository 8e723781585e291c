import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { adminFetch } from '../support/admin-fetch.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Anomaly detection wired into a real gateway: the request observer sees real traffic, model versions are
// trained from the ledger and stored, and the admin API lists incidents, remediations and versions, retrains
// and rolls back. Detection and remediation themselves are covered in simulated time (test/sentinel/).

let upstream: MockProvider;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    anomaly: { enabled: true, detector: { bucketMs: 1000 } },
  });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

function admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = testMasterKey): Promise<{ status: number; body: T }> {
  return adminFetch<T>(gateway.url, method, path, body, key);
}

interface VersionView {
  id: string;
  version: number;
  status: string;
  validation: { accepted: boolean };
}

describe('anomaly detection through a real gateway', () => {
  it('trains versions from the ledger, lists them, rolls back, and lists incidents and remediations', async () => {
    const client = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1` });
    for (let index = 0; index < 3; index += 1) await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `hello ${index}` }] });
    await gateway.running.settle();

    const trained = await admin<VersionView>('POST', '/anomalies/models/retrain');
    expect(trained.status).toBe(200);
    expect(trained.body).toMatchObject({ status: 'active', validation: { accepted: true } });
    expect(trained.body).not.toHaveProperty('model');
    const again = await admin<VersionView>('POST', '/anomalies/models/retrain');
    expect(again.body.version).toBe(trained.body.version + 1);

    const rolledBack = await admin<VersionView>('POST', '/anomalies/models/rollback', { versionId: trained.body.id });
    expect(rolledBack.body).toMatchObject({ id: trained.body.id, status: 'active' });
    const versions = await admin<{ object: string; data: VersionView[] }>('GET', '/anomalies/models');
    expect(versions.body.data.find((version) => version.id === again.body.id)?.status).toBe('inactive');

    const incidents = await admin<{ object: string; data: unknown[] }>('GET', '/anomalies');
    expect(incidents.body).toEqual({ object: 'list', data: [] });
    const remediations = await admin<{ object: string; data: unknown[] }>('GET', '/anomalies/remediations');
    expect(remediations.body).toEqual({ object: 'list', data: [] });
    const unknown = await admin<{ error: { code: string } }>('POST', '/anomalies/remediations/rem_unknown/approve');
    expect(unknown.status).toBe(404);
  });

  it('documents every anomaly route in the admin OpenAPI document, with answers the server really gives', async () => {
    type Operation = { operationId: string; tags: string[]; 'x-switchyard-scope': string; responses: Record<string, { content: Record<string, { schema: { required?: string[]; properties?: Record<string, { items?: { required?: string[] } }> } }> }> };
    const document = (await (await fetch(`${gateway.url}/admin/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const anomalyOperations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/admin/v1/anomalies'))
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
    expect(anomalyOperations.map((each) => each.operation.operationId).sort()).toEqual(['approveAnomalyRemediation', 'listAnomalies', 'listAnomalyModels', 'listAnomalyRemediations', 'rejectAnomalyRemediation', 'retrainAnomalyModel', 'rollbackAnomalyModel']);
    for (const { path, method, operation } of anomalyOperations) {
      expect(operation, operation.operationId).toMatchObject({ tags: ['anomalies'], 'x-switchyard-scope': 'organisation' });
      expect(gateway.running.app.hasRoute({ method: method as 'GET', url: path.replace(/\{(\w+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
    }

    // A real answer carries every field its documented 200 schema requires: the models list, and each version in it.
    const trained = await admin<VersionView>('POST', '/anomalies/models/retrain');
    expect(trained.status).toBe(200);
    const listSchema = document.paths['/admin/v1/anomalies/models']!.get!.responses['200']!.content['application/json']!.schema;
    const versionRequired = listSchema.properties?.data?.items?.required ?? [];
    expect(listSchema.required).toEqual(expect.arrayContaining(['object', 'data']));
    expect(versionRequired).toEqual(expect.arrayContaining(['id', 'version', 'status', 'validation']));
    const versions = await admin<Record<string, unknown> & { data: Array<Record<string, unknown>> }>('GET', '/anomalies/models');
    for (const field of listSchema.required ?? []) expect(versions.body, field).toHaveProperty(field);
    expect(versions.body.data.length).toBeGreaterThan(0);
    for (const version of versions.body.data) for (const field of versionRequired) expect(version, field).toHaveProperty(field);
    const retrainRequired = document.paths['/admin/v1/anomalies/models/retrain']!.post!.responses['200']!.content['application/json']!.schema.required ?? [];
    expect(retrainRequired).toEqual(versionRequired);
    for (const field of retrainRequired) expect(trained.body, field).toHaveProperty(field);
  });

  it('lets only the master key act on remediation, and audits the refusal', async () => {
    const workspace = await admin<{ id: string }>('POST', '/workspaces', { organisationId: 'org_default', name: 'anomaly-e2e' });
    const key = await admin<{ secret: string }>('POST', '/keys', { workspaceId: workspace.body.id, name: 'anomaly-e2e', role: 'admin', allowedRoutes: ['/admin', '/v1'] });
    expect(key.status).toBe(201);
    const refused = await admin('POST', '/anomalies/models/retrain', undefined, key.body.secret);
    expect(refused.status).toBe(403);
    const audit = await admin<{ data: Array<{ action: string; outcome: string }> }>('GET', '/audit?organisationId=org_default&action=anomalies.models.retrain');
    expect(audit.body.data.map((record) => record.outcome)).toContain('denied');
  });
});
