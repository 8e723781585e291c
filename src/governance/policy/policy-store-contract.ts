import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/index.js';
import type { PolicyStore, StoredPolicy } from './policy-store.js';

/** A fresh, empty store; `inTransaction` runs work in one transaction (committed unless it throws). */
export interface PolicyStoreFixture {
  store: PolicyStore;
  inTransaction: <T>(work: (store: PolicyStore) => Promise<T>) => Promise<T>;
  dispose?: () => Promise<void>;
}

const start = Date.UTC(2026, 0, 5, 9);

/** A valid stored policy with the given changes (an organisation's model allow-list by default). */
export function storedPolicy(changes: Partial<StoredPolicy> & { id: string }): StoredPolicy {
  return {
    scope: 'organisation',
    scopeId: 'org_a',
    organisationId: 'org_a',
    rules: { allowedModels: ['gpt-4o*'] },
    createdAt: start,
    updatedAt: start,
    ...changes,
  };
}

/** The contract every {@link PolicyStore} implementation passes. */
export function describePolicyStoreContract(name: string, create: () => Promise<PolicyStoreFixture>): void {
  describe(`PolicyStore contract: ${name}`, () => {
    let fixture: PolicyStoreFixture;
    let store: PolicyStore;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips a policy with every rule, and one without a workspace', async () => {
      const full = storedPolicy({
        id: 'pol_full',
        scope: 'key',
        scopeId: 'key_1',
        workspaceId: 'ws_a',
        rules: {
          allowedModels: ['gpt-4o*', 'openai/*'],
          deniedModels: ['gpt-4o-realtime*'],
          allowedProviders: ['openai', 'ollama*'],
          deniedProviders: ['azure-*'],
          maxEstimatedCostMicros: 25_000,
          maxTokens: 4096,
          localOnly: false,
          requiredMetadata: ['project', 'cost_centre'],
        },
        createdAt: start + 1,
        updatedAt: start + 2,
      });
      const organisationWide = storedPolicy({ id: 'pol_org' });
      await store.createPolicy(full);
      await store.createPolicy(organisationWide);
      expect(await store.getPolicy('pol_full')).toEqual(full);
      const read = await store.getPolicy('pol_org');
      expect(read).toEqual(organisationWide);
      expect(read).not.toHaveProperty('workspaceId');
    });

    it('gives undefined for an unknown id', async () => {
      expect(await store.getPolicy('pol_missing')).toBeUndefined();
    });

    it('refuses a second policy with the same id as a conflict, keeping the first', async () => {
      await store.createPolicy(storedPolicy({ id: 'pol_1' }));
      const error = await store.createPolicy(storedPolicy({ id: 'pol_1', rules: { localOnly: true } })).catch((caught: unknown) => caught);
      expect(isGatewayError(error) && error.code).toBe('conflict');
      expect((await store.getPolicy('pol_1'))?.rules).toEqual({ allowedModels: ['gpt-4o*'] });
    });

    it('leaves the transaction usable after a conflict, so the rest of the unit of work commits', async () => {
      await store.createPolicy(storedPolicy({ id: 'pol_1' }));
      await fixture.inTransaction(async (bound) => {
        await expect(bound.createPolicy(storedPolicy({ id: 'pol_1' }))).rejects.toMatchObject({ code: 'conflict' });
        await bound.createPolicy(storedPolicy({ id: 'pol_2' }));
      });
      expect(await store.getPolicy('pol_2')).toBeDefined();
    });

    it('writes nothing when the transaction rolls back', async () => {
      await expect(
        fixture.inTransaction(async (bound) => {
          await bound.createPolicy(storedPolicy({ id: 'pol_rolled_back' }));
          throw new Error('the audit append failed');
        }),
      ).rejects.toThrow('the audit append failed');
      expect(await store.getPolicy('pol_rolled_back')).toBeUndefined();
    });

    it('refuses rules that make no sense and writes nothing', async () => {
      await expect(store.createPolicy(storedPolicy({ id: 'pol_empty', rules: {} }))).rejects.toThrow('at least one rule');
      await expect(store.createPolicy(storedPolicy({ id: 'pol_negative', rules: { maxTokens: -5 } }))).rejects.toThrow();
      expect(await store.listPolicies({ organisationId: 'org_a' })).toEqual([]);
    });

    it('replaces the rules and the update time, keeping the owner and creation time', async () => {
      await store.createPolicy(storedPolicy({ id: 'pol_1', scope: 'workspace', scopeId: 'ws_a', workspaceId: 'ws_a' }));
      const updated = await store.updatePolicyRules('pol_1', { maxTokens: 1000, requiredMetadata: ['project'] }, start + 60_000);
      const expected = storedPolicy({
        id: 'pol_1',
        scope: 'workspace',
        scopeId: 'ws_a',
        workspaceId: 'ws_a',
        rules: { maxTokens: 1000, requiredMetadata: ['project'] },
        updatedAt: start + 60_000,
      });
      expect(updated).toEqual(expected);
      expect(await store.getPolicy('pol_1')).toEqual(expected);
      expect(await store.updatePolicyRules('pol_missing', { localOnly: true }, start)).toBeUndefined();
    });

    it('deletes a policy once', async () => {
      await store.createPolicy(storedPolicy({ id: 'pol_1' }));
      expect(await store.deletePolicy('pol_1')).toBe(true);
      expect(await store.getPolicy('pol_1')).toBeUndefined();
      expect(await store.deletePolicy('pol_1')).toBe(false);
    });

    describe('lists', () => {
      beforeEach(async () => {
        // Created out of order, to check the ordering.
        await store.createPolicy(storedPolicy({ id: 'pol_key_a1', scope: 'key', scopeId: 'key_a1', workspaceId: 'ws_a', createdAt: start + 1 }));
        await store.createPolicy(storedPolicy({ id: 'pol_ws_a', scope: 'workspace', scopeId: 'ws_a', workspaceId: 'ws_a', createdAt: start + 2 }));
        await store.createPolicy(storedPolicy({ id: 'pol_org_a', createdAt: start + 3 }));
        await store.createPolicy(storedPolicy({ id: 'pol_org_a_second', createdAt: start + 4 }));
        await store.createPolicy(storedPolicy({ id: 'pol_ws_b', scope: 'workspace', scopeId: 'ws_b', workspaceId: 'ws_b', createdAt: start }));
        await store.createPolicy(storedPolicy({ id: 'pol_key_b1', scope: 'key', scopeId: 'key_b1', workspaceId: 'ws_b', createdAt: start }));
        await store.createPolicy(storedPolicy({ id: 'pol_org_z', organisationId: 'org_z', scopeId: 'org_z', createdAt: start }));
      });

      const ids = (policies: StoredPolicy[]) => policies.map((policy) => policy.id);

      it("lists an organisation's policies oldest first, never another organisation's", async () => {
        expect(ids(await store.listPolicies({ organisationId: 'org_a' }))).toEqual([
          'pol_key_b1',
          'pol_ws_b',
          'pol_key_a1',
          'pol_ws_a',
          'pol_org_a',
          'pol_org_a_second',
        ]);
        expect(ids(await store.listPolicies({ organisationId: 'org_z' }))).toEqual(['pol_org_z']);
        expect(await store.listPolicies({ organisationId: 'org_none' })).toEqual([]);
      });

      it("narrows to a workspace's own policies and its keys', by scope and by owner", async () => {
        expect(ids(await store.listPolicies({ organisationId: 'org_a', workspaceId: 'ws_a' }))).toEqual(['pol_key_a1', 'pol_ws_a']);
        expect(ids(await store.listPolicies({ organisationId: 'org_a', scope: 'organisation' }))).toEqual(['pol_org_a', 'pol_org_a_second']);
        expect(ids(await store.listPolicies({ organisationId: 'org_a', scope: 'key', scopeId: 'key_b1' }))).toEqual(['pol_key_b1']);
        // The workspace id must belong to the organisation asked for.
        expect(await store.listPolicies({ organisationId: 'org_z', workspaceId: 'ws_a' })).toEqual([]);
      });

      it('gives the policies a request passes through, organisation first, then workspace, then key', async () => {
        expect(ids(await store.applicablePolicies({ organisationId: 'org_a', workspaceId: 'ws_a', keyId: 'key_a1' }))).toEqual([
          'pol_org_a',
          'pol_org_a_second',
          'pol_ws_a',
          'pol_key_a1',
        ]);
        expect(ids(await store.applicablePolicies({ organisationId: 'org_a', workspaceId: 'ws_b', keyId: 'key_b1' }))).toEqual([
          'pol_org_a',
          'pol_org_a_second',
          'pol_ws_b',
          'pol_key_b1',
        ]);
        expect(ids(await store.applicablePolicies({ organisationId: 'org_a' }))).toEqual(['pol_org_a', 'pol_org_a_second']);
      });
    });
  });
}
