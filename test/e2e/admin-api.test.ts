import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTestMasterKey, startAdminApiApp, type AdminApiApp } from '../../src/http/admin/test-support/admin-api-app.js';

// The admin API over HTTP (Fastify inject) on the real SQL stores (SQLite): the OpenAPI document it serves,
// a key's life through it, and the status and error shape of each kind of bad request.

let api: AdminApiApp;
let document: any;

beforeAll(async () => {
  api = await startAdminApiApp();
  document = (await api.call(undefined, 'GET', '/admin/openapi.json')).body;
});
afterAll(async () => {
  await api?.close();
});

const master = adminTestMasterKey;
const methods = ['get', 'post', 'patch', 'delete', 'put'];

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 with operations, responses and unique operation ids for every path', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info.title).toBeTruthy();
    const operationIds = new Set<string>();
    for (const [path, item] of Object.entries<any>(document.paths)) {
      expect(path.startsWith('/admin/v1/')).toBe(true);
      const operations = Object.entries<any>(item).filter(([method]) => methods.includes(method));
      expect(operations.length, path).toBeGreaterThan(0);
      for (const [, operation] of operations) {
        expect(operation.responses, `${path} ${operation.operationId}`).toBeDefined();
        expect(Object.keys(operation.responses).some((status) => status.startsWith('2'))).toBe(true);
        expect(operationIds.has(operation.operationId)).toBe(false);
        operationIds.add(operation.operationId);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          expect(operation.parameters.some((parameter: any) => parameter.in === 'path' && `{${parameter.name}}` === name)).toBe(true);
        }
      }
    }
    expect(operationIds.size).toBeGreaterThanOrEqual(50);
  });

  it('has request, parameter and response schemas that compile as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'openapi.json', components: document.components });
    const compiled: string[] = [];
    for (const item of Object.values<any>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        if (!methods.includes(method)) continue;
        const body = operation.requestBody?.content?.['application/json']?.schema;
        if (body !== undefined) {
          ajv.compile(body);
          compiled.push(`${operation.operationId} body`);
        }
        for (const parameter of operation.parameters ?? []) ajv.compile(parameter.schema);
        for (const response of Object.values<any>(operation.responses)) {
          const schema = response.content?.['application/json']?.schema;
          if (schema !== undefined && schema.$ref === undefined) ajv.compile(schema);
        }
      }
    }
    expect(compiled).toContain('createKey body');
  });

  it('describes bodies as the API validates them', () => {
    const ajv = new Ajv2020({ strict: false });
    const createKey = ajv.compile(document.paths['/admin/v1/keys'].post.requestBody.content['application/json'].schema);
    expect(createKey({ workspaceId: 'ws_1', name: 'ci', role: 'developer' })).toBe(true);
    expect(createKey({ workspaceId: 'ws_1', name: 'ci', role: 'root' })).toBe(false);
    expect(createKey({ workspaceId: 'ws_1', name: 'ci', surprise: true })).toBe(false);
  });
});

describe('a key through the API', () => {
  let organisationId: string;
  let workspaceId: string;
  let adminSecret: string;

  beforeAll(async () => {
    organisationId = (await api.call(master, 'POST', '/admin/v1/organisations', { name: 'http-org' })).body.id;
    workspaceId = (await api.call(master, 'POST', '/admin/v1/workspaces', { organisationId, name: 'production' })).body.id;
    const created = await api.call(master, 'POST', '/admin/v1/keys', { workspaceId, name: 'ops', role: 'admin', allowedRoutes: ['/admin/v1'] });
    expect(created.status).toBe(201);
    adminSecret = created.body.secret;
  });

  it('creates, lists, rotates, blocks and revokes, each answer without the secret after creation', async () => {
    const created = await api.call(adminSecret, 'POST', '/admin/v1/keys', { workspaceId, name: 'app', allowedModels: ['gpt-4o-mini'] });
    expect(created.status).toBe(201);
    const { key, secret } = created.body;
    const listed = await api.call(adminSecret, 'GET', '/admin/v1/keys');
    expect(listed.status).toBe(200);
    expect(listed.body.object).toBe('list');
    expect(listed.body.data.map((item: any) => item.name).sort()).toEqual(['app', 'ops']);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const rotated = await api.call(adminSecret, 'POST', `/admin/v1/keys/${key.id}/rotate`, { gracePeriodSeconds: 0 });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(secret);
    const blocked = await api.call(adminSecret, 'POST', `/admin/v1/keys/${key.id}/block`);
    expect(blocked.body.blocked).toBe(true);
    expect((await api.call(adminSecret, 'POST', `/admin/v1/keys/${key.id}/unblock`)).body.blocked).toBe(false);
    const revoked = await api.call(adminSecret, 'DELETE', `/admin/v1/keys/${key.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeTypeOf('number');
    expect((await api.call(adminSecret, 'DELETE', `/admin/v1/keys/${key.id}`)).status).toBe(409);
  });

  it('answers bad requests with the right status in the OpenAI error shape', async () => {
    const invalid = await api.call(adminSecret, 'POST', '/admin/v1/keys', { workspaceId, name: 'x', llm: { temperature: 7 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ type: 'invalid_request_error', param: 'llm.temperature' });
    expect((await api.call(adminSecret, 'GET', '/admin/v1/keys?limit=abc')).status).toBe(400);
    const unknown = await api.call(adminSecret, 'GET', '/admin/v1/keys/key_nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('key_nope');
    const duplicate = await api.call(master, 'POST', '/admin/v1/workspaces', { organisationId, name: 'production' });
    expect(duplicate.status).toBe(409);
    const escalation = await api.call(adminSecret, 'POST', '/admin/v1/keys', { workspaceId, name: 'boss', role: 'owner' });
    expect(escalation.status).toBe(403);
    expect(escalation.body.error.type).toBe('permission_error');
    expect(escalation.body.error.message).toMatch(/escalation/i);
    expect((await api.call(undefined, 'GET', '/admin/v1/keys')).status).toBe(401);
    expect((await api.call('sk-sy-not-a-real-key-000000000000000000000000', 'GET', '/admin/v1/keys')).status).toBe(401);
    const malformed = await api.app.inject({ method: 'POST', url: '/admin/v1/keys', headers: { authorization: `Bearer ${adminSecret}`, 'content-type': 'application/json' }, payload: '{"name":' });
    expect(malformed.statusCode).toBe(400);
  });

  it('keeps keys without admin routes out of the admin API, and a revoked key out entirely', async () => {
    const gatewayOnly = await api.call(master, 'POST', '/admin/v1/keys', { workspaceId, name: 'gateway-only', role: 'admin' });
    const refused = await api.call(gatewayOnly.body.secret, 'GET', '/admin/v1/keys');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('allowed routes');
    const doomed = await api.call(master, 'POST', '/admin/v1/keys', { workspaceId, name: 'doomed', role: 'viewer', allowedRoutes: ['/admin/v1'] });
    expect((await api.call(doomed.body.secret, 'GET', '/admin/v1/keys')).status).toBe(200);
    await api.call(master, 'DELETE', `/admin/v1/keys/${doomed.body.key.id}`);
    expect((await api.call(doomed.body.secret, 'GET', '/admin/v1/keys')).status).toBe(401);
  });

  it('mints agent tokens that act on the admin API within their scopes only', async () => {
    const minted = await api.call(adminSecret, 'POST', '/admin/v1/agent-tokens', { scopes: ['admin:keys:read'], ttlSeconds: 60 });
    expect(minted.status).toBe(201);
    const token = minted.body.token;
    expect((await api.call(token, 'GET', '/admin/v1/keys')).status).toBe(200);
    expect((await api.call(token, 'GET', '/admin/v1/teams')).status).toBe(403);
    expect((await api.call(token, 'POST', '/admin/v1/keys', { workspaceId, name: 'by-token' })).status).toBe(403);
    api.fixture.clock.now += 61_000;
    expect((await api.call(token, 'GET', '/admin/v1/keys')).status).toBe(401);
  });

  it('never shows a secret value, only its field names', async () => {
    const put = await api.call(master, 'POST', '/admin/v1/secrets', { organisationId, name: 'openai-api-key', fields: { key: 'sk-upstream-123456789' } });
    expect(put.status).toBe(200);
    const described = await api.call(master, 'GET', `/admin/v1/secrets/openai-api-key?organisationId=${organisationId}`);
    expect(described.body.fields).toEqual(['key']);
    const everything = JSON.stringify([put.body, described.body, (await api.call(master, 'GET', `/admin/v1/secrets?organisationId=${organisationId}`)).body, (await api.call(master, 'GET', `/admin/v1/audit?organisationId=${organisationId}`)).body]);
    expect(everything).not.toContain('sk-upstream-123456789');
  });

  it('verifies the audit chain', async () => {
    const verified = await api.call(master, 'POST', '/admin/v1/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body.ok).toBe(true);
    expect(verified.body.records).toBeGreaterThan(5);
  });
});
