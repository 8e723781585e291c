import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityStore } from './identity-store.js';
import type { KeySecret, RoleBinding, VirtualKey } from './identity-types.js';

/** A fresh, migrated identity store and how to dispose of it. */
export interface IdentityStoreFixture {
  store: IdentityStore;
  dispose?: () => Promise<void>;
}

const created = Date.UTC(2026, 0, 5);
const minute = 60_000;

/** A complete key record in the default workspace, with the given changes. */
function keyRecord(changes: Partial<VirtualKey> & { id: string }): VirtualKey {
  return {
    organisationId: 'org_default',
    workspaceId: 'ws_default',
    owner: { kind: 'none' },
    name: `key ${changes.id}`,
    prefix: 'sk-sy-AbCdEf',
    role: 'viewer',
    allowedModels: [],
    allowedRoutes: [],
    metadata: {},
    tags: [],
    llm: {},
    blocked: false,
    createdAt: created,
    ...changes,
  };
}

function secretOf(keyId: string, hash: string): KeySecret {
  return { keyId, hash };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'GatewayError', code });
}

/** The contract every {@link IdentityStore} implementation passes. */
export function describeIdentityStoreContract(name: string, create: () => Promise<IdentityStoreFixture>): void {
  describe(`IdentityStore contract: ${name}`, () => {
    let fixture: IdentityStoreFixture;
    let store: IdentityStore;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('starts with the default organisation and workspace, so a fresh install has a place for keys', async () => {
      expect(await store.getOrganisation('org_default')).toMatchObject({ id: 'org_default', name: 'default', llm: {} });
      expect(await store.findWorkspaceByName('org_default', 'default')).toMatchObject({ id: 'ws_default', organisationId: 'org_default' });
    });

    it('creates, reads, lists and updates organisations; duplicates are conflicts, unknown ids are undefined', async () => {
      const acme = { id: 'org_acme', name: 'acme', llm: { provider: 'ollama', model: 'llama3:8b', temperature: 0.7, maxTokens: 4096 }, createdAt: created };
      await store.createOrganisation(acme);
      expect(await store.getOrganisation('org_acme')).toEqual(acme);
      await store.createOrganisation({ ...acme, id: 'org_later', name: 'later', createdAt: created + 1 });
      // Listed in creation order (the install-time default organisation is left out of the comparison).
      const listed = (await store.listOrganisations()).map((organisation) => organisation.id).filter((id) => id !== 'org_default');
      expect(listed).toEqual(['org_acme', 'org_later']);
      expect((await store.listOrganisations()).map((organisation) => organisation.id)).toContain('org_default');
      await store.updateOrganisationLlm('org_acme', { model: 'gpt-4o', allowedModels: ['gpt-4o'] });
      expect((await store.getOrganisation('org_acme'))?.llm).toEqual({ model: 'gpt-4o', allowedModels: ['gpt-4o'] });
      await expectCode(store.createOrganisation({ ...acme, id: 'org_other' }), 'conflict');
      await expectCode(store.createOrganisation({ ...acme, name: 'another' }), 'conflict');
      expect(await store.getOrganisation('org_missing')).toBeUndefined();
      await expectCode(store.updateOrganisationLlm('org_missing', {}), 'not_found');
    });

    it('keeps workspace names unique within an organisation only', async () => {
      await store.createOrganisation({ id: 'org_b', name: 'b', llm: {}, createdAt: created });
      const production = { id: 'ws_prod', organisationId: 'org_default', name: 'production', llm: { provider: 'openai', model: 'gpt-4o', temperature: 0.3 }, createdAt: created };
      await store.createWorkspace(production);
      await store.createWorkspace({ ...production, id: 'ws_prod_b', organisationId: 'org_b' });
      expect(await store.getWorkspace('ws_prod')).toEqual(production);
      expect(await store.findWorkspaceByName('org_b', 'production')).toMatchObject({ id: 'ws_prod_b' });
      expect(await store.findWorkspaceByName('org_b', 'staging')).toBeUndefined();
      await store.createWorkspace({ ...production, id: 'ws_dev_b', organisationId: 'org_b', name: 'development', createdAt: created + 1 });
      expect((await store.listWorkspaces('org_b')).map((workspace) => workspace.id)).toEqual(['ws_prod_b', 'ws_dev_b']);
      expect((await store.listWorkspaces('org_default')).map((workspace) => workspace.id).sort()).toEqual(['ws_default', 'ws_prod']);
      await expectCode(store.createWorkspace({ ...production, id: 'ws_again' }), 'conflict');
      await expectCode(store.createWorkspace({ ...production, id: 'ws_orphan', organisationId: 'org_missing' }), 'not_found');
      await store.updateWorkspaceLlm('ws_prod', { model: 'codellama:13b' });
      expect((await store.getWorkspace('ws_prod'))?.llm).toEqual({ model: 'codellama:13b' });
      await expectCode(store.updateWorkspaceLlm('ws_missing', {}), 'not_found');
      expect(await store.getWorkspace('ws_missing')).toBeUndefined();
    });

    it('deletes a workspace only once its teams, service accounts and unrevoked keys are gone, with its bindings', async () => {
      await store.createWorkspace({ id: 'ws_old', organisationId: 'org_default', name: 'old', llm: {}, createdAt: created });
      await store.createTeam({ id: 'team_old', organisationId: 'org_default', workspaceId: 'ws_old', name: 'old team', createdAt: created });
      await store.createKey(keyRecord({ id: 'key_old', workspaceId: 'ws_old' }), secretOf('key_old', 'hash-old'));
      await store.createRoleBinding({ id: 'rb_old', subject: { kind: 'user', id: 'user_x' }, role: 'admin', scope: { kind: 'workspace', organisationId: 'org_default', workspaceId: 'ws_old' }, createdAt: created });
      await store.createRoleBinding({ id: 'rb_org', subject: { kind: 'user', id: 'user_x' }, role: 'viewer', scope: { kind: 'organisation', organisationId: 'org_default' }, createdAt: created });

      await expectCode(store.deleteWorkspace('ws_old'), 'conflict');
      await store.deleteTeam('team_old');
      await expectCode(store.deleteWorkspace('ws_old'), 'conflict');
      await store.updateKey('key_old', { revokedAt: created + minute });
      await store.deleteWorkspace('ws_old');

      expect(await store.getWorkspace('ws_old')).toBeUndefined();
      expect((await store.listRoleBindings({ kind: 'user', id: 'user_x' })).map((binding) => binding.id)).toEqual(['rb_org']);
      // The revoked key stays as history.
      expect(await store.getKey('key_old')).toMatchObject({ revokedAt: created + minute });
      await expectCode(store.deleteWorkspace('ws_old'), 'not_found');
    });

    it('creates, lists and deletes teams; names are unique within a workspace', async () => {
      const team = { id: 'team_a', organisationId: 'org_default', workspaceId: 'ws_default', name: 'search', createdAt: created };
      await store.createTeam(team);
      expect(await store.getTeam('team_a')).toEqual(team);
      expect(await store.listTeams('ws_default')).toEqual([team]);
      await expectCode(store.createTeam({ ...team, id: 'team_b' }), 'conflict');
      await store.createWorkspace({ id: 'ws_two', organisationId: 'org_default', name: 'two', llm: {}, createdAt: created });
      await store.createTeam({ ...team, id: 'team_c', workspaceId: 'ws_two' });
      // A workspace of another organisation is not a place for this organisation's team.
      await store.createOrganisation({ id: 'org_b', name: 'b', llm: {}, createdAt: created });
      await expectCode(store.createTeam({ ...team, id: 'team_d', organisationId: 'org_b' }), 'not_found');

      await store.createKey(keyRecord({ id: 'key_team', teamId: 'team_a' }), secretOf('key_team', 'hash-team'));
      await expectCode(store.deleteTeam('team_a'), 'conflict');
      await store.updateKey('key_team', { revokedAt: created });
      await store.deleteTeam('team_a');
      expect(await store.getTeam('team_a')).toBeUndefined();
      await expectCode(store.deleteTeam('team_a'), 'not_found');
    });

    it('creates and lists users and service accounts; emails and names are unique within an organisation', async () => {
      const ada = { id: 'user_ada', organisationId: 'org_default', email: 'ada@example.com', name: 'Ada', createdAt: created };
      const bob = { id: 'user_bob', organisationId: 'org_default', email: 'bob@example.com', createdAt: created + 1 };
      await store.createUser(ada);
      await store.createUser(bob);
      expect(await store.getUser('user_ada')).toEqual(ada);
      expect(await store.getUser('user_bob')).toEqual(bob);
      expect(await store.listUsers('org_default')).toEqual([ada, bob]);
      await expectCode(store.createUser({ ...ada, id: 'user_again' }), 'conflict');
      expect(await store.getUser('user_missing')).toBeUndefined();

      const deployer = { id: 'sa_deploy', organisationId: 'org_default', name: 'deployer', createdAt: created };
      const worker = { id: 'sa_worker', organisationId: 'org_default', workspaceId: 'ws_default', name: 'worker', createdAt: created + 1 };
      await store.createServiceAccount(deployer);
      await store.createServiceAccount(worker);
      expect(await store.getServiceAccount('sa_worker')).toEqual(worker);
      expect(await store.listServiceAccounts('org_default')).toEqual([deployer, worker]);
      await expectCode(store.createServiceAccount({ ...deployer, id: 'sa_again' }), 'conflict');
      await expectCode(store.createServiceAccount({ ...deployer, id: 'sa_lost', name: 'lost', workspaceId: 'ws_missing' }), 'not_found');
      expect(await store.getServiceAccount('sa_missing')).toBeUndefined();
    });

    it('stores role bindings at organisation and workspace scope, by subject and by organisation', async () => {
      const organisationWide: RoleBinding = { id: 'rb_1', subject: { kind: 'user', id: 'user_ada' }, role: 'owner', scope: { kind: 'organisation', organisationId: 'org_default' }, createdAt: created };
      const workspaceOnly: RoleBinding = { id: 'rb_2', subject: { kind: 'service-account', id: 'sa_ci' }, role: 'developer', scope: { kind: 'workspace', organisationId: 'org_default', workspaceId: 'ws_default' }, createdAt: created + 1 };
      await store.createRoleBinding(organisationWide);
      await store.createRoleBinding(workspaceOnly);
      expect(await store.listRoleBindings({ kind: 'user', id: 'user_ada' })).toEqual([organisationWide]);
      expect(await store.listRoleBindings({ kind: 'service-account', id: 'sa_ci' })).toEqual([workspaceOnly]);
      expect(await store.listRoleBindings({ kind: 'user', id: 'sa_ci' })).toEqual([]);
      expect(await store.listRoleBindingsInOrganisation('org_default')).toEqual([organisationWide, workspaceOnly]);
      await expectCode(store.createRoleBinding({ ...workspaceOnly, id: 'rb_3', scope: { kind: 'workspace', organisationId: 'org_default', workspaceId: 'ws_missing' } }), 'not_found');
      await store.deleteRoleBinding('rb_1');
      expect(await store.listRoleBindingsInOrganisation('org_default')).toEqual([workspaceOnly]);
      await expectCode(store.deleteRoleBinding('rb_1'), 'not_found');
    });

    it('round-trips a key with every field, lists by scope and patches only what is given', async () => {
      await store.createTeam({ id: 'team_a', organisationId: 'org_default', workspaceId: 'ws_default', name: 'a', createdAt: created });
      const full = keyRecord({
        id: 'key_full',
        teamId: 'team_a',
        owner: { kind: 'user', id: 'user_ada' },
        role: 'developer',
        allowedModels: ['gpt-4o', 'llama3:8b'],
        allowedRoutes: ['/v1/chat/completions'],
        metadata: { project: 'search', cost_centre: '42' },
        tags: ['prod', 'search'],
        llm: { model: 'gpt-4o', temperature: 0.2 },
        expiresAt: created + 90 * 24 * 60 * minute,
      });
      await store.createKey(full, secretOf('key_full', 'hash-full'));
      await store.createKey(keyRecord({ id: 'key_plain', createdAt: created + 1 }), secretOf('key_plain', 'hash-plain'));
      expect(await store.getKey('key_full')).toEqual(full);
      expect(await store.getKey('key_missing')).toBeUndefined();

      expect((await store.listKeys({ organisationId: 'org_default' })).map((key) => key.id)).toEqual(['key_full', 'key_plain']);
      expect((await store.listKeys({ organisationId: 'org_default', teamId: 'team_a' })).map((key) => key.id)).toEqual(['key_full']);
      expect(await store.listKeys({ organisationId: 'org_default', workspaceId: 'ws_other' })).toEqual([]);
      expect(await store.listKeys({ organisationId: 'org_other' })).toEqual([]);

      await store.updateKey('key_full', { blocked: true, tags: ['paused'], prefix: 'sk-sy-NeWpRe' });
      expect(await store.getKey('key_full')).toEqual({ ...full, blocked: true, tags: ['paused'], prefix: 'sk-sy-NeWpRe' });
      await store.updateKey('key_full', { blocked: false });
      expect((await store.getKey('key_full'))?.blocked).toBe(false);
      await expectCode(store.updateKey('key_missing', { blocked: true }), 'not_found');
      await expectCode(store.updateKey('key_full', { teamId: 'team_missing' }), 'not_found');

      // null clears: the key leaves its team and no longer expires.
      await store.updateKey('key_full', { teamId: null, expiresAt: null });
      const cleared = await store.getKey('key_full');
      expect(cleared?.teamId).toBeUndefined();
      expect(cleared?.expiresAt).toBeUndefined();
      expect((await store.listKeys({ organisationId: 'org_default', teamId: 'team_a' })).map((key) => key.id)).toEqual([]);
    });

    it('refuses keys in a workspace of another organisation or a team of another workspace', async () => {
      await store.createOrganisation({ id: 'org_b', name: 'b', llm: {}, createdAt: created });
      await expectCode(store.createKey(keyRecord({ id: 'key_x', organisationId: 'org_b' }), secretOf('key_x', 'hash-x')), 'not_found');
      await expectCode(store.createKey(keyRecord({ id: 'key_y', teamId: 'team_missing' }), secretOf('key_y', 'hash-y')), 'not_found');
      // Nothing was half written: neither key nor secret.
      expect(await store.getKey('key_x')).toBeUndefined();
      expect(await store.findKeyBySecretHash('hash-y', created)).toBeUndefined();
    });

    it('records the newest use of a key, whatever order the touches arrive in', async () => {
      await store.createKey(keyRecord({ id: 'key_used' }), secretOf('key_used', 'hash-used'));
      await store.touchKey('key_used', created + 2 * minute);
      await store.touchKey('key_used', created + minute);
      expect((await store.getKey('key_used'))?.lastUsedAt).toBe(created + 2 * minute);
      await store.touchKey('key_missing', created);
    });

    it('finds a key by its secret hash, and revoked or blocked keys too (the authenticator decides)', async () => {
      const key = keyRecord({ id: 'key_find' });
      await store.createKey(key, secretOf('key_find', 'hash-find'));
      expect(await store.findKeyBySecretHash('hash-find', created)).toEqual({ key, secret: { keyId: 'key_find', hash: 'hash-find' } });
      expect(await store.findKeyBySecretHash('hash-unknown', created)).toBeUndefined();
      await store.updateKey('key_find', { revokedAt: created + minute, blocked: true });
      expect((await store.findKeyBySecretHash('hash-find', created + 2 * minute))?.key).toMatchObject({ id: 'key_find', blocked: true, revokedAt: created + minute });
      await expectCode(store.createKey(keyRecord({ id: 'key_clash' }), secretOf('key_clash', 'hash-find')), 'conflict');
      expect(await store.getKey('key_clash')).toBeUndefined();
    });

    it('keeps the previous secret of a rotated key until its grace period ends, and never extends a grace', async () => {
      await store.createKey(keyRecord({ id: 'key_rot' }), secretOf('key_rot', 'hash-first'));
      const firstGraceEnd = created + 10 * minute;
      await store.rotateKeySecret('key_rot', secretOf('key_rot', 'hash-second'), firstGraceEnd);

      expect(await store.findKeyBySecretHash('hash-first', firstGraceEnd - 1)).toMatchObject({ secret: { hash: 'hash-first', expiresAt: firstGraceEnd } });
      expect(await store.findKeyBySecretHash('hash-first', firstGraceEnd)).toBeUndefined();
      expect(await store.findKeyBySecretHash('hash-second', firstGraceEnd + minute)).toEqual({
        key: keyRecord({ id: 'key_rot' }),
        secret: { keyId: 'key_rot', hash: 'hash-second' },
      });

      // A second rotation within the first grace: the first secret keeps its earlier end, the second gets one.
      await store.rotateKeySecret('key_rot', secretOf('key_rot', 'hash-third'), created + 60 * minute);
      expect(await store.findKeyBySecretHash('hash-first', firstGraceEnd + 1)).toBeUndefined();
      expect((await store.findKeyBySecretHash('hash-second', created + 59 * minute))?.secret.expiresAt).toBe(created + 60 * minute);
      expect(await store.findKeyBySecretHash('hash-third', created + 120 * minute)).toMatchObject({ key: { id: 'key_rot' } });
      await expectCode(store.rotateKeySecret('key_missing', secretOf('key_missing', 'hash-none'), created), 'not_found');
    });

    it('commits a transaction as a whole and leaves nothing behind when it fails', async () => {
      await store.transaction(async (transaction) => {
        await transaction.createWorkspace({ id: 'ws_kept', organisationId: 'org_default', name: 'kept', llm: {}, createdAt: created });
        await transaction.createKey(keyRecord({ id: 'key_kept', workspaceId: 'ws_kept' }), secretOf('key_kept', 'hash-kept'));
      });
      expect(await store.findKeyBySecretHash('hash-kept', created)).toMatchObject({ key: { id: 'key_kept', workspaceId: 'ws_kept' } });

      const failure = new Error('the admin request failed half way');
      await expect(
        store.transaction(async (transaction) => {
          await transaction.createOrganisation({ id: 'org_lost', name: 'lost', llm: {}, createdAt: created });
          await transaction.createWorkspace({ id: 'ws_lost', organisationId: 'org_lost', name: 'lost', llm: {}, createdAt: created });
          await transaction.createKey(keyRecord({ id: 'key_lost', organisationId: 'org_lost', workspaceId: 'ws_lost' }), secretOf('key_lost', 'hash-lost'));
          // Nested transactions join the open one, so this write is undone too.
          await transaction.transaction((nested) => nested.createUser({ id: 'user_lost', organisationId: 'org_lost', email: 'x@example.com', createdAt: created }));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.getOrganisation('org_lost')).toBeUndefined();
      expect(await store.getWorkspace('ws_lost')).toBeUndefined();
      expect(await store.getKey('key_lost')).toBeUndefined();
      expect(await store.getUser('user_lost')).toBeUndefined();
      expect(await store.findKeyBySecretHash('hash-lost', created)).toBeUndefined();
    });

    it('rolls back earlier writes of a transaction when a later one is a conflict', async () => {
      await expectCode(
        store.transaction(async (transaction) => {
          await transaction.createTeam({ id: 'team_new', organisationId: 'org_default', workspaceId: 'ws_default', name: 'new', createdAt: created });
          await transaction.createWorkspace({ id: 'ws_dup', organisationId: 'org_default', name: 'default', llm: {}, createdAt: created });
        }),
        'conflict',
      );
      expect(await store.getTeam('team_new')).toBeUndefined();
    });
  });
}
