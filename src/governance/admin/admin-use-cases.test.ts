import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashVirtualKey } from '../identity/virtual-key-material.js';
import type { Role, VirtualKey } from '../identity/identity-types.js';
import { createBudget, getBudget } from './budget-admin.js';
import { createKey, getKey, listKeys, updateKey } from './key-admin.js';
import { blockKey, revokeKey, rotateKey } from './key-lifecycle-admin.js';
import { createLimit } from './limit-admin.js';
import { createOrganisation, updateOrganisation } from './organisation-admin.js';
import { createPolicy } from './policy-admin.js';
import { createRoleBinding } from './role-binding-admin.js';
import { describeSecret, listSecrets, putSecret } from './secret-admin.js';
import { createTeam } from './team-admin.js';
import { createUser } from './user-admin.js';
import { createWorkspace } from './workspace-admin.js';
import { mintAgentToken } from './agent-token-admin.js';
import { listAudit, verifyAudit } from './audit-admin.js';
import { callBy, keyPrincipal, openGovernanceFixture, type GovernanceFixture } from './test-support/sql-governance-fixture.js';

let fixture: GovernanceFixture;
let organisationId: string;
let workspaceId: string;
let otherWorkspaceId: string;

beforeEach(async () => {
  fixture = await openGovernanceFixture();
  organisationId = (await createOrganisation(fixture.dependencies, fixture.master, { name: 'acme' })).id;
  workspaceId = (await createWorkspace(fixture.dependencies, fixture.master, { organisationId, name: 'production' })).id;
  otherWorkspaceId = (await createWorkspace(fixture.dependencies, fixture.master, { organisationId, name: 'development' })).id;
});

afterEach(async () => {
  await fixture.dispose();
});

async function keyWithRole(role: Role, extra: Record<string, unknown> = {}): Promise<VirtualKey> {
  return (await createKey(fixture.dependencies, fixture.master, { workspaceId, name: `${role} key`, role, allowedRoutes: ['/admin/v1'], ...extra })).key;
}

async function auditActions(outcome?: string): Promise<string[]> {
  const records = await fixture.stores.audit.list({ limit: 1000 });
  return records.filter((record) => outcome === undefined || record.outcome === outcome).map((record) => record.action);
}

describe('keys', () => {
  it('shows the secret once, stores only its hash, audits without the secret and announces the change', async () => {
    const { key, secret } = await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'ci', allowedModels: ['gpt-4o-mini'] });
    expect(secret).toMatch(/^sk-sy-[0-9A-Za-z]{40}$/);
    expect(secret.startsWith(key.prefix)).toBe(true);
    const found = await fixture.stores.identity.findKeyBySecretHash(hashVirtualKey(secret), fixture.clock.now);
    expect(found?.key.id).toBe(key.id);
    const read = await getKey(fixture.dependencies, fixture.master, key.id);
    expect(JSON.stringify(read)).not.toContain(secret);
    const [record] = await fixture.stores.audit.list({ action: 'keys.create' });
    expect(record).toMatchObject({ outcome: 'success', actor: { kind: 'master', id: 'master' }, target: { kind: 'key', id: key.id }, organisationId, workspaceId });
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(fixture.changes).toContainEqual({ topic: 'keys', id: key.id });
  });

  it('refuses a key above the creator\'s role, audits the refusal and writes no key', async () => {
    const admin = await keyWithRole('admin');
    const call = callBy(keyPrincipal(admin));
    await expect(createKey(fixture.dependencies, call, { workspaceId, name: 'too strong', role: 'owner' })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(updateKey(fixture.dependencies, call, admin.id, { role: 'owner' })).rejects.toMatchObject({ code: 'permission_denied' });
    const keys = await fixture.stores.identity.listKeys({ organisationId });
    expect(keys.map((key) => key.name)).toEqual(['admin key']);
    const denied = (await fixture.stores.audit.list({ limit: 100 })).filter((record) => record.outcome === 'denied');
    expect(denied.map((record) => record.action).sort()).toEqual(['keys.create', 'keys.update']);
    expect(denied[0].details.reason).toMatch(/escalation/i);
    // A key created with the creator's own role is fine.
    await expect(createKey(fixture.dependencies, call, { workspaceId, name: 'peer', role: 'admin', allowedRoutes: ['/admin/v1/keys'] })).resolves.toBeDefined();
  });

  it('clears a key\'s expiry and team with null, and refuses an expiry in the past', async () => {
    const team = await createTeam(fixture.dependencies, fixture.master, { workspaceId, name: 'search' });
    const { key } = await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'temporary', teamId: team.id, expiresAt: fixture.clock.now + 60_000 });
    const cleared = await updateKey(fixture.dependencies, fixture.master, key.id, { expiresAt: null, teamId: null });
    expect(cleared.expiresAt).toBeUndefined();
    expect(cleared.teamId).toBeUndefined();
    expect(await getKey(fixture.dependencies, fixture.master, key.id)).toEqual(cleared);
    await expect(updateKey(fixture.dependencies, fixture.master, key.id, { expiresAt: fixture.clock.now - 1 })).rejects.toMatchObject({ code: 'invalid_request', param: 'expiresAt' });
  });

  it('refuses to hand on routes the creator does not hold', async () => {
    const keysOnly = await keyWithRole('admin', { allowedRoutes: ['/admin/v1/keys'] });
    await expect(createKey(fixture.dependencies, callBy(keyPrincipal(keysOnly)), { workspaceId, name: 'wider', allowedRoutes: ['/admin/v1'] })).rejects.toMatchObject({
      code: 'permission_denied',
    });
  });

  it('keeps a workspace key to its own workspace', async () => {
    const admin = await keyWithRole('admin');
    const call = callBy(keyPrincipal(admin));
    await expect(createKey(fixture.dependencies, call, { workspaceId: otherWorkspaceId, name: 'elsewhere' })).rejects.toMatchObject({ code: 'permission_denied' });
    const elsewhere = (await createKey(fixture.dependencies, fixture.master, { workspaceId: otherWorkspaceId, name: 'theirs' })).key;
    await expect(getKey(fixture.dependencies, call, elsewhere.id)).rejects.toMatchObject({ code: 'permission_denied' });
    expect((await listKeys(fixture.dependencies, call, {})).map((key) => key.id)).toEqual([admin.id]);
  });

  it('rotates with a grace period: both secrets work until it ends, then only the new one', async () => {
    const { key, secret: first } = await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'rotating' });
    const rotated = await rotateKey(fixture.dependencies, fixture.master, key.id, { gracePeriodSeconds: 60 });
    expect(rotated.secret).not.toBe(first);
    expect(rotated.previousSecretExpiresAt).toBe(fixture.clock.now + 60_000);
    const find = (secret: string, at: number) => fixture.stores.identity.findKeyBySecretHash(hashVirtualKey(secret), at);
    expect((await find(first, fixture.clock.now + 59_000))?.key.id).toBe(key.id);
    expect(await find(first, fixture.clock.now + 61_000)).toBeUndefined();
    expect((await find(rotated.secret, fixture.clock.now + 61_000))?.key.id).toBe(key.id);
  });

  it('revokes for good: later changes to the key are a conflict', async () => {
    const { key } = await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'doomed' });
    const revoked = await revokeKey(fixture.dependencies, fixture.master, key.id);
    expect(revoked.revokedAt).toBe(fixture.clock.now);
    await expect(blockKey(fixture.dependencies, fixture.master, key.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(rotateKey(fixture.dependencies, fixture.master, key.id, {})).rejects.toMatchObject({ code: 'conflict' });
    expect((await fixture.stores.identity.getKey(key.id))?.revokedAt).toBe(fixture.clock.now);
  });

  it('lets a developer create and rotate keys it owns, and nobody else\'s', async () => {
    const user = await createUser(fixture.dependencies, fixture.master, { organisationId, email: 'dev@example.com' });
    const developer = await keyWithRole('developer', { owner: { kind: 'user', id: user.id } });
    const call = callBy(keyPrincipal(developer));
    const own = await createKey(fixture.dependencies, call, { workspaceId, name: 'mine', role: 'developer' });
    expect(own.key.owner).toEqual({ kind: 'user', id: user.id });
    await expect(rotateKey(fixture.dependencies, call, own.key.id, {})).resolves.toMatchObject({ key: { id: own.key.id } });
    const foreign = (await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'not mine' })).key;
    await expect(rotateKey(fixture.dependencies, call, foreign.id, {})).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(blockKey(fixture.dependencies, call, own.key.id)).rejects.toMatchObject({ code: 'permission_denied' });
  });

  it('rejects nonsense input with the field at fault and writes nothing', async () => {
    await expect(createKey(fixture.dependencies, fixture.master, { workspaceId, name: '', role: 'root' })).rejects.toMatchObject({ code: 'invalid_request', param: 'name' });
    await expect(createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'x', expiresAt: fixture.clock.now - 1 })).rejects.toMatchObject({ param: 'expiresAt' });
    await expect(createKey(fixture.dependencies, fixture.master, { workspaceId: 'ws_missing', name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
    expect(await fixture.stores.identity.listKeys({ organisationId })).toEqual([]);
  });
});

describe('transactions', () => {
  it('leaves nothing written when the audit append fails', async () => {
    const failing = {
      ...fixture.dependencies,
      unitOfWork: <T>(work: Parameters<typeof fixture.dependencies.unitOfWork<T>>[0]) =>
        fixture.dependencies.unitOfWork((stores) =>
          work({ ...stores, audit: { ...stores.audit, append: () => Promise.reject(new Error('disk full')), list: stores.audit.list.bind(stores.audit), verify: stores.audit.verify.bind(stores.audit) } }),
        ),
    };
    const announcedBefore = fixture.changes.length;
    await expect(createKey(failing, fixture.master, { workspaceId, name: 'half' })).rejects.toThrow('disk full');
    await expect(updateOrganisation(failing, fixture.master, organisationId, { llm: { model: 'gpt-4o' } })).rejects.toThrow('disk full');
    expect(await fixture.stores.identity.listKeys({ organisationId })).toEqual([]);
    expect((await fixture.stores.identity.getOrganisation(organisationId))?.llm).toEqual({});
    expect(fixture.changes.slice(announcedBefore)).toEqual([]);
  });
});

describe('role bindings', () => {
  it('refuses granting a role above the granter\'s own, audited', async () => {
    const user = await createUser(fixture.dependencies, fixture.master, { organisationId, email: 'lead@example.com' });
    await createRoleBinding(fixture.dependencies, fixture.master, { subject: { kind: 'user', id: user.id }, role: 'admin', organisationId });
    const adminKey = await keyWithRole('admin', { owner: { kind: 'user', id: user.id } });
    const call = callBy(keyPrincipal(adminKey));
    const target = await createUser(fixture.dependencies, fixture.master, { organisationId, email: 'new@example.com' });
    await expect(createRoleBinding(fixture.dependencies, call, { subject: { kind: 'user', id: target.id }, role: 'owner', organisationId })).rejects.toMatchObject({
      code: 'permission_denied',
    });
    await expect(createRoleBinding(fixture.dependencies, call, { subject: { kind: 'user', id: target.id }, role: 'developer', organisationId, workspaceId })).resolves.toMatchObject({ role: 'developer' });
    expect((await fixture.stores.identity.listRoleBindings({ kind: 'user', id: target.id })).map((binding) => binding.role)).toEqual(['developer']);
    expect(await auditActions('denied')).toContain('role-bindings.create');
  });
});

describe('secrets', () => {
  it('stores fields encrypted and never returns or audits their values', async () => {
    const value = 'sk-upstream-very-secret-value';
    const descriptor = await putSecret(fixture.dependencies, fixture.master, { organisationId, name: 'openai-api-key', fields: { key: value } });
    expect(descriptor).toMatchObject({ name: 'openai-api-key', fields: ['key'] });
    const answers = [descriptor, await listSecrets(fixture.dependencies, fixture.master, { organisationId }), await describeSecret(fixture.dependencies, fixture.master, 'openai-api-key', { organisationId })];
    expect(JSON.stringify(answers)).not.toContain(value);
    expect(JSON.stringify(await fixture.stores.audit.list({ limit: 100 }))).not.toContain(value);
    expect(await fixture.stores.secrets.reveal(organisationId, 'openai-api-key')).toEqual({ key: value });
  });

  it('hides secrets from a viewer', async () => {
    const viewer = await keyWithRole('viewer');
    await expect(listSecrets(fixture.dependencies, callBy(keyPrincipal(viewer)), {})).rejects.toMatchObject({ code: 'permission_denied' });
  });
});

describe('budgets, limits and policies', () => {
  it('creates a budget and shows its current spend', async () => {
    const budget = await createBudget(fixture.dependencies, fixture.master, { scope: 'workspace', scopeId: workspaceId, period: 'month', limitMicros: 5_000_000, thresholds: [50, 80, 100] });
    expect(budget.state).toMatchObject({ spentMicros: 0, reservedMicros: 0, limitMicros: 5_000_000 });
    const reservation = await fixture.dependencies.budgetLedger.states([budget], fixture.clock.now);
    expect(reservation[0].periodStart).toBe(Date.UTC(2025, 5, 1));
    expect((await getBudget(fixture.dependencies, fixture.master, budget.id)).state.periodEnd).toBe(Date.UTC(2025, 6, 1));
    expect(fixture.changes).toContainEqual({ topic: 'budgets', id: budget.id });
  });

  it('refuses budgets and limits that make no sense, naming the field', async () => {
    await expect(createBudget(fixture.dependencies, fixture.master, { scope: 'workspace', scopeId: workspaceId, period: 'month', limitMicros: -5 })).rejects.toMatchObject({ param: 'limitMicros' });
    await expect(createLimit(fixture.dependencies, fixture.master, { scope: 'workspace', scopeId: workspaceId, metric: 'requests', limit: 10 })).rejects.toMatchObject({ param: 'windowMs' });
    await expect(createBudget(fixture.dependencies, fixture.master, { scope: 'team', scopeId: 'team_missing', period: 'day', limitMicros: 5 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await fixture.stores.budgets.list()).toEqual([]);
    expect(await fixture.stores.limits.list()).toEqual([]);
  });

  it('lets a workspace admin manage its workspace\'s policies and limits only', async () => {
    const admin = await keyWithRole('admin');
    const call = callBy(keyPrincipal(admin));
    const policy = await createPolicy(fixture.dependencies, call, { scope: 'workspace', scopeId: workspaceId, rules: { deniedModels: ['gpt-4o'] } });
    expect(policy).toMatchObject({ organisationId, workspaceId });
    await expect(createPolicy(fixture.dependencies, call, { scope: 'workspace', scopeId: otherWorkspaceId, rules: { localOnly: true } })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(createLimit(fixture.dependencies, call, { scope: 'organisation', scopeId: organisationId, metric: 'concurrent', limit: 5 })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(createLimit(fixture.dependencies, call, { scope: 'key', scopeId: admin.id, metric: 'tokens', limit: 1000, windowMs: 60_000 })).resolves.toMatchObject({ algorithm: 'sliding-window' });
  });
});

describe('agent tokens', () => {
  it('mints narrowed tokens and refuses scopes above the minter\'s role', async () => {
    const viewer = await keyWithRole('viewer', { allowedModels: ['gpt-4o-mini'] });
    const call = callBy(keyPrincipal(viewer));
    const minted = await mintAgentToken(fixture.dependencies, call, { scopes: ['gateway:chat', 'admin:keys:read'], ttlSeconds: 300 });
    const claims = await fixture.dependencies.agentTokens.verify(minted.token, fixture.clock.now);
    expect(claims).toMatchObject({ subject: viewer.id, organisationId, workspaceId, scopes: ['gateway:chat', 'admin:keys:read'] });
    await expect(mintAgentToken(fixture.dependencies, call, { scopes: ['admin:keys:write'] })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(mintAgentToken(fixture.dependencies, call, { scopes: ['gateway:chat'], models: ['gpt-4o'] })).rejects.toMatchObject({ code: 'permission_denied' });
    await expect(mintAgentToken(fixture.dependencies, call, { scopes: ['gateway:chat'], ttlSeconds: 7200 })).rejects.toMatchObject({ param: 'ttlSeconds' });
    const audit = await fixture.stores.audit.list({ action: 'agent-tokens.mint', limit: 10 });
    expect(audit.map((record) => record.outcome).sort()).toEqual(['denied', 'denied', 'success']);
    expect(JSON.stringify(audit)).not.toContain(minted.token);
  });
});

describe('audit', () => {
  it('lists an organisation\'s records and verifies the chain', async () => {
    await createKey(fixture.dependencies, fixture.master, { workspaceId, name: 'one' });
    const records = await listAudit(fixture.dependencies, fixture.master, { organisationId });
    expect(records[0].action).toBe('keys.create');
    expect(records.every((record) => record.organisationId === organisationId)).toBe(true);
    await expect(verifyAudit(fixture.dependencies, fixture.master)).resolves.toMatchObject({ ok: true });
    const viewer = await keyWithRole('viewer');
    await expect(listAudit(fixture.dependencies, callBy(keyPrincipal(viewer)), {})).rejects.toMatchObject({ code: 'permission_denied' });
  });
});
