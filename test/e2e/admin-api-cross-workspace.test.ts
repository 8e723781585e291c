import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTestMasterKey, startAdminApiApp, type AdminApiApp } from '../../src/http/admin/test-support/admin-api-app.js';
import { ledgerRow } from '../../src/observatory/usage-ledger-contract.js';
import { SqlAlertStore } from '../../src/observatory/alerts/sql-alert-store.js';

// Exhaustive isolation over the admin API: every operation of the served OpenAPI document is called by keys
// of workspace A1 on the ids of workspace B1 (another organisation) and, for workspace-level operations, of
// workspace A2 (same organisation). Each must be refused (403 or 404) and nothing may change. The master key
// can read everything; a viewer can write nothing. A new route without a request below fails the test.

const master = adminTestMasterKey;
let api: AdminApiApp;
let operations: Array<{ method: string; path: string; operationId: string; scope: 'organisation' | 'workspace' }>;

interface Ids {
  organisationId: string;
  workspaceId: string;
  teamId: string;
  keyId: string;
  userId: string;
  serviceAccountId: string;
  roleBindingId: string;
  budgetId: string;
  limitId: string;
  policyId: string;
  secretName: string;
  requestId: string;
  alertRuleId: string;
}

let idsA1: Ids;
let idsA2: Ids;
let idsB1: Ids;
const secrets: Record<string, string> = {};

async function ok(method: string, url: string, body?: unknown) {
  const response = await api.call(master, method, url, body);
  if (response.status >= 300) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A workspace full of resources, created by the master key. */
async function populate(organisationId: string, workspaceName: string): Promise<Ids> {
  const workspaceId = (await ok('POST', '/admin/v1/workspaces', { organisationId, name: workspaceName })).id;
  const teamId = (await ok('POST', '/admin/v1/teams', { workspaceId, name: `${workspaceName}-team` })).id;
  const userId = (await ok('POST', '/admin/v1/users', { organisationId, email: `${workspaceName}@example.com` })).id;
  const serviceAccountId = (await ok('POST', '/admin/v1/service-accounts', { organisationId, workspaceId, name: `${workspaceName}-robot` })).id;
  const roleBindingId = (await ok('POST', '/admin/v1/role-bindings', { subject: { kind: 'user', id: userId }, role: 'viewer', organisationId, workspaceId })).id;
  const keyId = (await ok('POST', '/admin/v1/keys', { workspaceId, teamId, name: `${workspaceName}-key` })).key.id;
  const budgetId = (await ok('POST', '/admin/v1/budgets', { scope: 'workspace', scopeId: workspaceId, period: 'month', limitMicros: 1_000_000 })).id;
  const limitId = (await ok('POST', '/admin/v1/limits', { scope: 'team', scopeId: teamId, metric: 'requests', limit: 10, windowMs: 60_000 })).id;
  const policyId = (await ok('POST', '/admin/v1/policies', { scope: 'workspace', scopeId: workspaceId, rules: { deniedModels: ['gpt-4o'] } })).id;
  const secretName = `${workspaceName}-secret`;
  await ok('POST', '/admin/v1/secrets', { organisationId, name: secretName, fields: { key: 'value' } });
  const requestId = `req-${workspaceName}`;
  await api.requests.ledger.append([ledgerRow({ id: requestId, organisationId, workspaceId, teamId, keyId })]);
  const alertRuleId = (await ok('POST', '/admin/v1/alert-rules', { organisationId, workspaceId, name: `${workspaceName}-errors`, metric: 'error_rate', threshold: 0.5 })).id;
  await new SqlAlertStore(api.fixture.database).insertAlert({ id: `alt-${workspaceName}`, ruleId: alertRuleId, ruleName: 'errors', organisationId, workspaceId, group: 'all', severity: 'warning', state: 'firing', value: 1, threshold: 0.5, message: 'errors', firedAt: 1 });
  return { organisationId, workspaceId, teamId, keyId, userId, serviceAccountId, roleBindingId, budgetId, limitId, policyId, secretName, requestId, alertRuleId };
}

/** The request of each operation aimed at `ids` (the victim's), and the attacker's own workspace for bodies that need one. */
function requestFor(operationId: string, ids: Ids): { url: string; body?: unknown } | 'no-target' {
  const org = `organisationId=${ids.organisationId}`;
  const table: Record<string, { url: string; body?: unknown } | 'no-target'> = {
    listOrganisations: 'no-target',
    createOrganisation: 'no-target',
    getOrganisation: { url: `/admin/v1/organisations/${ids.organisationId}` },
    updateOrganisation: { url: `/admin/v1/organisations/${ids.organisationId}`, body: { llm: { model: 'stolen' } } },
    listWorkspaces: { url: `/admin/v1/workspaces?${org}` },
    createWorkspace: { url: '/admin/v1/workspaces', body: { organisationId: ids.organisationId, name: 'intruder' } },
    getWorkspace: { url: `/admin/v1/workspaces/${ids.workspaceId}` },
    updateWorkspace: { url: `/admin/v1/workspaces/${ids.workspaceId}`, body: { llm: { model: 'stolen' } } },
    deleteWorkspace: { url: `/admin/v1/workspaces/${ids.workspaceId}` },
    listTeams: { url: `/admin/v1/teams?workspaceId=${ids.workspaceId}` },
    createTeam: { url: '/admin/v1/teams', body: { workspaceId: ids.workspaceId, name: 'intruders' } },
    getTeam: { url: `/admin/v1/teams/${ids.teamId}` },
    deleteTeam: { url: `/admin/v1/teams/${ids.teamId}` },
    listUsers: { url: `/admin/v1/users?${org}` },
    createUser: { url: '/admin/v1/users', body: { organisationId: ids.organisationId, email: 'intruder@example.com' } },
    getUser: { url: `/admin/v1/users/${ids.userId}` },
    listServiceAccounts: { url: `/admin/v1/service-accounts?${org}` },
    createServiceAccount: { url: '/admin/v1/service-accounts', body: { organisationId: ids.organisationId, workspaceId: ids.workspaceId, name: 'intruder' } },
    getServiceAccount: { url: `/admin/v1/service-accounts/${ids.serviceAccountId}` },
    listRoleBindings: { url: `/admin/v1/role-bindings?${org}` },
    createRoleBinding: { url: '/admin/v1/role-bindings', body: { subject: { kind: 'user', id: ids.userId }, role: 'viewer', organisationId: ids.organisationId, workspaceId: ids.workspaceId } },
    deleteRoleBinding: { url: `/admin/v1/role-bindings/${ids.roleBindingId}?${org}` },
    listKeys: { url: `/admin/v1/keys?${org}&workspaceId=${ids.workspaceId}` },
    createKey: { url: '/admin/v1/keys', body: { workspaceId: ids.workspaceId, name: 'intruder' } },
    getKey: { url: `/admin/v1/keys/${ids.keyId}` },
    updateKey: { url: `/admin/v1/keys/${ids.keyId}`, body: { name: 'stolen' } },
    revokeKey: { url: `/admin/v1/keys/${ids.keyId}` },
    rotateKey: { url: `/admin/v1/keys/${ids.keyId}/rotate`, body: {} },
    blockKey: { url: `/admin/v1/keys/${ids.keyId}/block` },
    unblockKey: { url: `/admin/v1/keys/${ids.keyId}/unblock` },
    listBudgets: { url: `/admin/v1/budgets?scope=workspace&scopeId=${ids.workspaceId}` },
    createBudget: { url: '/admin/v1/budgets', body: { scope: 'workspace', scopeId: ids.workspaceId, period: 'day', limitMicros: 1 } },
    getBudget: { url: `/admin/v1/budgets/${ids.budgetId}` },
    updateBudget: { url: `/admin/v1/budgets/${ids.budgetId}`, body: { limitMicros: 999_999_999 } },
    deleteBudget: { url: `/admin/v1/budgets/${ids.budgetId}` },
    listLimits: { url: `/admin/v1/limits?scope=team&scopeId=${ids.teamId}` },
    createLimit: { url: '/admin/v1/limits', body: { scope: 'workspace', scopeId: ids.workspaceId, metric: 'concurrent', limit: 1 } },
    getLimit: { url: `/admin/v1/limits/${ids.limitId}` },
    updateLimit: { url: `/admin/v1/limits/${ids.limitId}`, body: { limit: 1_000_000 } },
    deleteLimit: { url: `/admin/v1/limits/${ids.limitId}` },
    listPolicies: { url: `/admin/v1/policies?${org}&workspaceId=${ids.workspaceId}` },
    createPolicy: { url: '/admin/v1/policies', body: { scope: 'workspace', scopeId: ids.workspaceId, rules: { localOnly: true } } },
    getPolicy: { url: `/admin/v1/policies/${ids.policyId}` },
    updatePolicy: { url: `/admin/v1/policies/${ids.policyId}`, body: { rules: { localOnly: true } } },
    deletePolicy: { url: `/admin/v1/policies/${ids.policyId}` },
    listSecrets: { url: `/admin/v1/secrets?${org}` },
    putSecret: { url: '/admin/v1/secrets', body: { organisationId: ids.organisationId, name: ids.secretName, fields: { key: 'replaced' } } },
    describeSecret: { url: `/admin/v1/secrets/${ids.secretName}?${org}` },
    deleteSecret: { url: `/admin/v1/secrets/${ids.secretName}?${org}` },
    listAudit: { url: `/admin/v1/audit?${org}` },
    listRequests: { url: `/admin/v1/requests?workspaceId=${ids.workspaceId}` },
    getRequest: { url: `/admin/v1/requests/${ids.requestId}` },
    usageDaily: { url: `/admin/v1/usage/daily?groupBy=key&workspaceId=${ids.workspaceId}` },
    listAlertRules: { url: `/admin/v1/alert-rules?${org}&workspaceId=${ids.workspaceId}` },
    createAlertRule: { url: '/admin/v1/alert-rules', body: { organisationId: ids.organisationId, workspaceId: ids.workspaceId, name: 'intruder', metric: 'cost', threshold: 1 } },
    getAlertRule: { url: `/admin/v1/alert-rules/${ids.alertRuleId}` },
    updateAlertRule: { url: `/admin/v1/alert-rules/${ids.alertRuleId}`, body: { threshold: 999 } },
    deleteAlertRule: { url: `/admin/v1/alert-rules/${ids.alertRuleId}` },
    listAlerts: { url: `/admin/v1/alerts?${org}&workspaceId=${ids.workspaceId}` },
    verifyAudit: 'no-target',
    mintAgentToken: 'no-target',
  };
  const request = table[operationId];
  if (request === undefined) throw new Error(`No cross-workspace request for operation ${operationId}: add one to this test`);
  return request;
}

/** Everything the admin API can change, read straight from the stores, plus the successful audit records. */
async function snapshot(): Promise<string> {
  const { stores } = api.fixture;
  const organisations = await stores.identity.listOrganisations();
  const perOrganisation = [];
  for (const organisation of organisations) {
    const workspaces = await stores.identity.listWorkspaces(organisation.id);
    perOrganisation.push({
      organisation,
      workspaces,
      teams: await Promise.all(workspaces.map((workspace) => stores.identity.listTeams(workspace.id))),
      users: await stores.identity.listUsers(organisation.id),
      serviceAccounts: await stores.identity.listServiceAccounts(organisation.id),
      bindings: await stores.identity.listRoleBindingsInOrganisation(organisation.id),
      // The authenticator records when a key was last used: that is use, not change.
      keys: (await stores.identity.listKeys({ organisationId: organisation.id })).map(({ lastUsedAt: _lastUsed, ...key }) => key),
      secrets: await Promise.all((await stores.secrets.list(organisation.id)).map(async (secret) => ({ secret, value: await stores.secrets.reveal(organisation.id, secret.name) }))),
    });
  }
  const audit = (await stores.audit.list({ limit: 1000 })).filter((record) => record.outcome === 'success');
  return JSON.stringify({ perOrganisation, budgets: await stores.budgets.list(), limits: await stores.limits.list(), policies: await stores.policies.listPolicies({ organisationId: idsA1.organisationId }), policiesB: await stores.policies.listPolicies({ organisationId: idsB1.organisationId }), audit });
}

async function keyFor(ids: Ids, role: string): Promise<string> {
  const created = await ok('POST', '/admin/v1/keys', { workspaceId: ids.workspaceId, name: `${role}-attacker`, role, allowedRoutes: ['/admin/v1'] });
  return created.secret;
}

beforeAll(async () => {
  api = await startAdminApiApp();
  const document = (await api.call(undefined, 'GET', '/admin/openapi.json')).body;
  operations = Object.entries<any>(document.paths).flatMap(([path, item]) =>
    Object.entries<any>(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operationId: operation.operationId, scope: operation['x-switchyard-scope'] })),
  );
  const organisationA = (await ok('POST', '/admin/v1/organisations', { name: 'org-a' })).id;
  const organisationB = (await ok('POST', '/admin/v1/organisations', { name: 'org-b' })).id;
  idsA1 = await populate(organisationA, 'a1');
  idsA2 = await populate(organisationA, 'a2');
  idsB1 = await populate(organisationB, 'b1');
  for (const role of ['admin', 'developer', 'viewer']) secrets[role] = await keyFor(idsA1, role);
});
afterAll(async () => {
  await api?.close();
});

describe('a key of workspace A1', () => {
  it('covers every operation of the document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const operation of operations) requestFor(operation.operationId, idsB1);
  });

  for (const role of ['admin', 'developer']) {
    for (const [victim, label] of [
      [() => idsB1, 'another organisation'],
      [() => idsA2, 'another workspace of its organisation'],
    ] as const) {
      it(`as ${role} can neither read nor change anything of ${label}`, async () => {
        const before = await snapshot();
        const checked: string[] = [];
        for (const operation of operations) {
          if (label !== 'another organisation' && operation.scope !== 'workspace') continue;
          const request = requestFor(operation.operationId, victim());
          if (request === 'no-target') continue;
          const response = await api.call(secrets[role], operation.method, request.url, request.body);
          expect([403, 404], `${role} ${operation.operationId} ${request.url}: ${response.status} ${JSON.stringify(response.body)}`).toContain(response.status);
          checked.push(operation.operationId);
        }
        expect(await snapshot()).toBe(before);
        expect(checked.length).toBeGreaterThanOrEqual(label === 'another organisation' ? 45 : 30);
      });
    }
  }

  it('sees nothing of the others in the operations that take no target', async () => {
    const organisations = await api.call(secrets.admin, 'GET', '/admin/v1/organisations');
    expect(organisations.body.data.map((organisation: any) => organisation.id)).toEqual([idsA1.organisationId]);
    const minted = await api.call(secrets.admin, 'POST', '/admin/v1/agent-tokens', { scopes: ['admin:keys:read'] });
    expect(minted.body).toMatchObject({ organisationId: idsA1.organisationId, workspaceId: idsA1.workspaceId });
    const keys = await api.call(minted.body.token, 'GET', `/admin/v1/keys?organisationId=${idsB1.organisationId}`);
    expect(keys.status).toBe(403);
    expect((await api.call(secrets.admin, 'POST', '/admin/v1/organisations', { name: 'mine-now' })).status).toBe(403);
    expect((await api.call(secrets.admin, 'POST', '/admin/v1/audit/verify')).status).toBe(403);
  });

  it('as viewer can change nothing, even in its own workspace', async () => {
    const before = await snapshot();
    for (const operation of operations) {
      if (operation.method === 'GET') continue;
      const request = requestFor(operation.operationId, idsA1);
      const target = request === 'no-target' ? { url: operation.path, body: operation.operationId === 'mintAgentToken' ? { scopes: ['admin:keys:write'] } : { name: 'x' } } : request;
      const response = await api.call(secrets.viewer, operation.method, target.url, target.body);
      expect(response.status, `viewer ${operation.operationId}: ${JSON.stringify(response.body)}`).toBe(403);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('the master key', () => {
  it('reads every resource of any workspace', async () => {
    for (const operation of operations.filter((candidate) => candidate.method === 'GET')) {
      const request = requestFor(operation.operationId, idsB1);
      const url = request === 'no-target' ? operation.path : request.url;
      const response = await api.call(master, 'GET', url);
      expect(response.status, `${operation.operationId}: ${JSON.stringify(response.body)}`).toBe(200);
      if (request !== 'no-target' && response.body.object === 'list') expect(response.body.data.length, operation.operationId).toBeGreaterThan(0);
    }
  });

  it('changes resources of any workspace', async () => {
    const updated = await api.call(master, 'PATCH', `/admin/v1/budgets/${idsB1.budgetId}`, { limitMicros: 2_000_000 });
    expect(updated.body.limitMicros).toBe(2_000_000);
    expect((await api.call(master, 'POST', `/admin/v1/keys/${idsB1.keyId}/block`)).body.blocked).toBe(true);
    expect((await api.call(master, 'DELETE', `/admin/v1/policies/${idsB1.policyId}`)).status).toBe(200);
  });
});
