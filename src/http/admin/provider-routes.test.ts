import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providerAdminMasterKey as master, startProviderAdminApp, type ProviderAdminApp } from '../../../test/support/provider-admin-app.js';
import { startOllamaMock } from '../../../test/mock-providers/ollama-mock.js';
import type { MockProvider } from '../../../test/mock-providers/mock-provider.js';
import { createKey } from '../../governance/admin/key-admin.js';
import { createOrganisation } from '../../governance/admin/organisation-admin.js';
import { createRoleBinding } from '../../governance/admin/role-binding-admin.js';
import { createUser } from '../../governance/admin/user-admin.js';
import { createWorkspace } from '../../governance/admin/workspace-admin.js';
import { systemClock } from '../../kit/system-clock.js';
import { SqlStoredProviderStore } from '../../config/sql-stored-provider-store.js';
import type { Role } from '../../governance/identity/identity-types.js';
import type { Logger } from '../../spec/index.js';

const cloudKey = 'sk-ollama-cloud-very-secret-value-123456';
let mock: MockProvider;
let api: ProviderAdminApp;
let organisationId: string;

beforeAll(async () => {
  mock = await startOllamaMock();
});
afterAll(() => mock.close());

beforeEach(async () => {
  api = await startProviderAdminApp();
  organisationId = (await createOrganisation(api.fixture.dependencies, api.fixture.master, { name: 'acme' })).id;
});
afterEach(async () => {
  await api.close();
  mock.reset();
});

/** A key whose owner holds `role` over the whole organisation (what an organisation administrator uses). */
async function organisationKey(role: Role, organisation = organisationId): Promise<string> {
  const { dependencies, master: masterCall } = api.fixture;
  const workspaceId = (await createWorkspace(dependencies, masterCall, { organisationId: organisation, name: `ws-${role}-${organisation}` })).id;
  const user = await createUser(dependencies, masterCall, { organisationId: organisation, email: `${role}-${organisation}@example.com` });
  await createRoleBinding(dependencies, masterCall, { subject: { kind: 'user', id: user.id }, role, organisationId: organisation });
  return (await createKey(dependencies, masterCall, { workspaceId, name: `${role} key`, role, allowedRoutes: ['/admin/v1'], owner: { kind: 'user', id: user.id } })).secret;
}

const silentLogger = { debug() {}, info() {}, warn() {}, error() {}, child() { return silentLogger; } } as unknown as Logger;

async function chatThrough(name: string, model: string): Promise<string> {
  const group = api.resolver.resolve(`${name}/${model}`);
  const deployment = api.resolver.firstDeployment(group)!;
  const adapter = api.providers.get(deployment.provider)!.adapter;
  const result = await adapter.doChat(
    { model: deployment.model, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] } as never,
    { http: api.http, clock: systemClock, logger: silentLogger, signal: new AbortController().signal },
  );
  return JSON.stringify(result.choices[0].content);
}

describe('enabling a provider at run time', () => {
  it('puts an Ollama instance in service at once: resolvable, callable, listed, stored and audited', async () => {
    expect(() => api.resolver.resolve('gpu/llama3.2')).toThrow();
    const enabled = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    expect(enabled.status).toBe(201);
    expect(enabled.body).toMatchObject({ name: 'gpu', kind: 'ollama', origin: 'stored', selfHosted: true, canPullModels: true, settings: { host: mock.baseUrl } });
    mock.enqueue({ kind: 'text', text: 'live answer' });
    expect(await chatThrough('gpu', 'llama3.2')).toContain('live answer');
    expect(mock.requests.at(-1)).toMatchObject({ path: '/api/chat', body: { model: 'llama3.2' } });

    const listed = await api.call(master, 'GET', '/admin/v1/providers');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((provider: { name: string; origin: string }) => [provider.name, provider.origin])).toEqual([
      ['configured', 'config'],
      ['gpu', 'stored'],
    ]);
    expect(await new SqlStoredProviderStore(api.fixture.database).get('gpu')).toMatchObject({ kind: 'ollama', settings: { host: mock.baseUrl } });
    const [record] = await api.fixture.stores.audit.list({ action: 'providers.enable' });
    expect(record).toMatchObject({ outcome: 'success', target: { kind: 'provider', id: 'gpu' }, details: { kind: 'ollama', replaced: false } });
  });

  it('refuses the name of a provider configured in the file (the file wins) and stores nothing', async () => {
    const answer = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'configured', settings: { host: mock.baseUrl } });
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', param: 'name' });
    expect(answer.body.error.message).toContain('switchyard.yaml');
    expect(api.providers.get('configured')?.origin).toBe('config');
    expect(await new SqlStoredProviderStore(api.fixture.database).list()).toEqual([]);
  });

  it('takes credentials only as secret references, resolves them into the adapter and never shows the value', async () => {
    const literal = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', organisationId, settings: { host: mock.baseUrl, apiKey: cloudKey } });
    expect(literal.status).toBe(400);
    expect(literal.body.error.param).toBe('settings.apiKey');
    expect(literal.text).not.toContain(cloudKey);
    const environment = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', settings: { host: mock.baseUrl, apiKey: { env: 'OPENAI_API_KEY' } } });
    expect(environment.status).toBe(400);
    const missing = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', organisationId, settings: { host: mock.baseUrl, apiKey: { secret: 'ollama-cloud', field: 'key' } } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('no secret named ollama-cloud');

    await api.fixture.stores.secrets.put(organisationId, 'ollama-cloud', { key: cloudKey }, api.fixture.clock.now);
    const adminKey = await organisationKey('admin');
    const enabled = await api.call(adminKey, 'POST', '/admin/v1/providers', { kind: 'ollama', settings: { host: mock.baseUrl, apiKey: { secret: 'ollama-cloud', field: 'key' } } });
    expect(enabled.status).toBe(201);
    expect(enabled.body).toMatchObject({ name: 'ollama', organisationId, settings: { apiKey: { secret: 'ollama-cloud', field: 'key' } } });
    await chatThrough('ollama', 'llama3.2');
    expect(mock.requests.at(-1)?.headers.authorization).toBe(`Bearer ${cloudKey}`);
    const listed = await api.call(adminKey, 'GET', '/admin/v1/providers');
    const audit = await api.fixture.stores.audit.list({ limit: 100 });
    const stored = await api.fixture.database.kysely.selectFrom('stored_providers').selectAll().execute();
    for (const text of [enabled.text, listed.text, JSON.stringify(audit), JSON.stringify(stored)]) expect(text).not.toContain(cloudKey);
  });

  it('rejects an unknown kind, bad settings and unknown fields with 400 naming the field', async () => {
    const unknownKind = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'llamafarm', settings: {} });
    expect(unknownKind).toMatchObject({ status: 400, body: { error: { param: 'kind' } } });
    const badSetting = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'openai-compatible', name: 'vllm', settings: { baseUrl: 'not a url' } });
    expect(badSetting).toMatchObject({ status: 400, body: { error: { param: 'settings.baseUrl' } } });
    const unknownSetting = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', settings: { hots: 'x' } });
    expect(unknownSetting.status).toBe(400);
    expect(unknownSetting.body.error.message).toContain('hots');
    const badName = await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'a/b', settings: {} });
    expect(badName).toMatchObject({ status: 400, body: { error: { param: 'name' } } });
    expect(api.live.instances().map((instance) => instance.name)).toEqual(['configured']);
  });

  it('allows organisation admins and owners only; refusals are audited', async () => {
    for (const role of ['developer', 'viewer'] as const) {
      const key = await organisationKey(role);
      expect((await api.call(key, 'POST', '/admin/v1/providers', { kind: 'ollama', settings: { host: mock.baseUrl } })).status).toBe(403);
      expect((await api.call(key, 'GET', '/admin/v1/providers')).status).toBe(403);
    }
    expect((await api.call(undefined, 'GET', '/admin/v1/providers')).status).toBe(401);
    const owner = await organisationKey('owner');
    expect((await api.call(owner, 'POST', '/admin/v1/providers', { kind: 'ollama', settings: { host: mock.baseUrl } })).status).toBe(201);
    const denied = (await api.fixture.stores.audit.list({ limit: 100 })).filter((record) => record.outcome === 'denied').map((record) => record.action);
    expect(denied.sort()).toEqual(['providers.enable', 'providers.enable', 'providers.list', 'providers.list']);
  });
});

describe('removing a provider', () => {
  it('takes a stored provider out of service and out of the store; configured ones are a conflict', async () => {
    await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    await chatThrough('gpu', 'llama3.2');
    expect((await api.call(master, 'DELETE', '/admin/v1/providers/configured')).status).toBe(409);
    const removed = await api.call(master, 'DELETE', '/admin/v1/providers/gpu');
    expect(removed).toMatchObject({ status: 200, body: { id: 'gpu', deleted: true } });
    expect(() => api.resolver.resolve('gpu/llama3.2')).toThrow(/does not exist/);
    expect(api.providers.has('gpu')).toBe(false);
    expect((await api.call(master, 'DELETE', '/admin/v1/providers/gpu')).status).toBe(404);
  });

  it("refuses an administrator of another organisation", async () => {
    await api.fixture.stores.secrets.put(organisationId, 'ollama-cloud', { key: cloudKey }, api.fixture.clock.now);
    const ours = await organisationKey('admin');
    await api.call(ours, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'ours', settings: { host: mock.baseUrl, apiKey: { secret: 'ollama-cloud', field: 'key' } } });
    const otherOrganisation = (await createOrganisation(api.fixture.dependencies, api.fixture.master, { name: 'globex' })).id;
    const theirs = await organisationKey('admin', otherOrganisation);
    expect((await api.call(theirs, 'DELETE', '/admin/v1/providers/ours')).status).toBe(403);
    expect((await api.call(theirs, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'ours', settings: { host: mock.baseUrl } })).status).toBe(403);
    expect(api.providers.get('ours')?.origin).toBe('stored');
  });
});

describe('pulling a model', () => {
  it('streams Ollama\'s progress as NDJSON through to the caller, ending with success', async () => {
    await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    const answer = await api.call(master, 'POST', '/admin/v1/providers/gpu/pull', { model: 'llama3:8b' });
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/x-ndjson');
    const lines = answer.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0]).toEqual({ status: 'pulling manifest' });
    expect(lines.at(-1)).toEqual({ status: 'success' });
    expect(lines.find((line) => line.completed !== undefined)).toMatchObject({ digest: expect.stringMatching(/^sha256:/), total: expect.any(Number), completed: 0 });
    expect(mock.requests.at(-1)).toMatchObject({ path: '/api/pull', body: { model: 'llama3:8b', stream: true } });
    const [record] = await api.fixture.stores.audit.list({ action: 'providers.pull' });
    expect(record).toMatchObject({ outcome: 'success', target: { id: 'gpu' }, details: { model: 'llama3:8b' } });
  });

  it('ends the stream with an error line when Ollama fails mid-pull', async () => {
    await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1, message: 'pull model manifest: file does not exist' });
    const answer = await api.call(master, 'POST', '/admin/v1/providers/gpu/pull', { model: 'no-such-model' });
    expect(answer.status).toBe(200);
    const lines = answer.text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.at(-1).error).toMatchObject({ message: expect.stringContaining('file does not exist'), type: 'server_error' });
    expect(lines.some((line) => line.status === 'success')).toBe(false);
  });

  it('answers an ordinary error when Ollama refuses before any progress, and refuses kinds that cannot pull', async () => {
    await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    mock.enqueue({ kind: 'error', status: 500, message: 'disk full' });
    const refused = await api.call(master, 'POST', '/admin/v1/providers/gpu/pull', { model: 'llama3:8b' });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toContain('disk full');
    const cannot = await api.call(master, 'POST', '/admin/v1/providers/configured/pull', { model: 'llama3:8b' });
    expect(cannot).toMatchObject({ status: 400, body: { error: { param: 'name' } } });
    expect((await api.call(master, 'POST', '/admin/v1/providers/nothing/pull', { model: 'x' })).status).toBe(404);
    expect((await api.call(master, 'POST', '/admin/v1/providers/gpu/pull', {})).status).toBe(400);
  });
});

describe('other replicas', () => {
  it('synchronise from the store: new, changed and removed providers follow', async () => {
    await api.call(master, 'POST', '/admin/v1/providers', { kind: 'ollama', name: 'gpu', settings: { host: mock.baseUrl } });
    const replica = await startProviderAdminApp();
    try {
      const store = new SqlStoredProviderStore(api.fixture.database);
      expect(await replica.live.synchronise(store, api.fixture.stores.secrets)).toEqual([]);
      expect(replica.providers.get('gpu')).toMatchObject({ origin: 'stored', selfHosted: true });
      await store.put({ name: 'gpu', kind: 'ollama', settings: { host: 'http://203.0.113.7:11434' } }, api.fixture.clock.now + 1);
      await store.put({ name: 'broken', kind: 'ollama', organisationId, settings: { apiKey: { secret: 'gone', field: 'key' } } }, api.fixture.clock.now);
      const problems = await replica.live.synchronise(store, api.fixture.stores.secrets);
      expect(problems).toEqual([{ name: 'broken', message: expect.stringContaining('no secret named gone') }]);
      expect(replica.providers.get('gpu')?.selfHosted).toBe(false);
      await store.delete('gpu');
      await replica.live.synchronise(store, api.fixture.stores.secrets);
      expect(replica.providers.has('gpu')).toBe(false);
      expect(replica.providers.has('configured')).toBe(true);
    } finally {
      await replica.close();
    }
  });
});
