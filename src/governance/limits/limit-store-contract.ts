import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/index.js';
import type { LimitDefinition, LimitDefinitionInput } from './limit-definition.js';
import type { LimitStore } from './limit-store.js';

/** A fresh, empty store and how to dispose of it. */
export interface LimitStoreFixture {
  store: LimitStore;
  dispose?: () => Promise<void>;
}

function definition(changes: Partial<LimitDefinitionInput> & { id: string }): LimitDefinitionInput {
  return { scope: 'key', scopeId: 'key-a', metric: 'requests', limit: 60, windowMs: 60_000, ...changes };
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** The contract every {@link LimitStore} implementation passes. */
export function describeLimitStoreContract(name: string, create: () => Promise<LimitStoreFixture>): void {
  describe(`LimitStore contract: ${name}`, () => {
    let fixture: LimitStoreFixture;
    let store: LimitStore;

    beforeEach(async () => {
      fixture = await create();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips every field, with the default algorithm filled in and absent fields left absent', async () => {
      const full: LimitDefinition = {
        id: 'l-full',
        scope: 'team',
        scopeId: 'team-1',
        model: 'llama3:8b',
        metric: 'tokens',
        limit: 5_000_000_000,
        windowMs: 86_400_000,
        algorithm: 'token-bucket',
      };
      expect(await store.create(full)).toEqual(full);
      expect(await store.get('l-full')).toEqual(full);
      const concurrent = await store.create({ id: 'l-concurrent', scope: 'workspace', scopeId: 'ws-1', metric: 'concurrent', limit: 8 });
      expect(concurrent).toEqual({ id: 'l-concurrent', scope: 'workspace', scopeId: 'ws-1', metric: 'concurrent', limit: 8, algorithm: 'sliding-window' });
      expect(await store.get('l-concurrent')).toEqual(concurrent);
      expect(await store.get('unknown')).toBeUndefined();
    });

    it('refuses a taken id with conflict and keeps the first', async () => {
      await store.create(definition({ id: 'l-1', limit: 10 }));
      const error = await errorOf(store.create(definition({ id: 'l-1', limit: 20 })));
      expect(isGatewayError(error) && error.code).toBe('conflict');
      expect((await store.get('l-1'))?.limit).toBe(10);
    });

    it('refuses values that make no sense, naming the field, and writes nothing', async () => {
      const cases: Array<[LimitDefinitionInput, string]> = [
        [definition({ id: 'bad-1', limit: 0 }), 'limit'],
        [definition({ id: 'bad-2', limit: 1.5 }), 'limit'],
        [definition({ id: 'bad-3', windowMs: 500 }), 'windowMs'],
        [definition({ id: 'bad-4', windowMs: undefined }), 'windowMs'],
        [{ id: 'bad-5', scope: 'key', scopeId: 'k', metric: 'concurrent', limit: 2, windowMs: 1_000 }, 'windowMs'],
        [definition({ id: 'bad-6', scope: 'galaxy' as never }), 'scope'],
      ];
      for (const [input, field] of cases) {
        const error = await errorOf(store.create(input));
        expect(isGatewayError(error) && error.code).toBe('invalid_request');
        expect((error as Error).message.startsWith(`${field}:`)).toBe(true);
      }
      expect(await store.list()).toEqual([]);
    });

    it('lists all, by kind of owner and by owner, in a stable order', async () => {
      await store.create(definition({ id: 'k-b', scope: 'key', scopeId: 'key-b' }));
      await store.create(definition({ id: 'k-a2', scope: 'key', scopeId: 'key-a', metric: 'tokens', limit: 1000 }));
      await store.create(definition({ id: 'k-a1', scope: 'key', scopeId: 'key-a' }));
      await store.create(definition({ id: 't-1', scope: 'team', scopeId: 'team-1' }));
      expect((await store.list()).map((limit) => limit.id)).toEqual(['k-a1', 'k-a2', 'k-b', 't-1']);
      expect((await store.list({ scope: 'key' })).map((limit) => limit.id)).toEqual(['k-a1', 'k-a2', 'k-b']);
      expect((await store.list({ scope: 'key', scopeId: 'key-a' })).map((limit) => limit.id)).toEqual(['k-a1', 'k-a2']);
      expect(await store.list({ scope: 'organisation' })).toEqual([]);
    });

    it('lists the limits that apply to a request: its key, team, workspace and organisation, no one else', async () => {
      await store.create(definition({ id: 'mine-key', scope: 'key', scopeId: 'key-a' }));
      await store.create(definition({ id: 'mine-team', scope: 'team', scopeId: 'team-1' }));
      await store.create(definition({ id: 'mine-workspace', scope: 'workspace', scopeId: 'ws-1' }));
      await store.create(definition({ id: 'mine-organisation', scope: 'organisation', scopeId: 'org-1' }));
      await store.create(definition({ id: 'other-key', scope: 'key', scopeId: 'key-b' }));
      await store.create(definition({ id: 'other-team', scope: 'team', scopeId: 'team-2' }));
      // A key id that happens to equal a team id must not pick up that team's limits.
      await store.create(definition({ id: 'team-named-like-key', scope: 'team', scopeId: 'key-a' }));
      const subject = { keyId: 'key-a', teamId: 'team-1', workspaceId: 'ws-1', organisationId: 'org-1' };
      const ids = (await store.listApplicable(subject)).map((limit) => limit.id).sort();
      expect(ids).toEqual(['mine-key', 'mine-organisation', 'mine-team', 'mine-workspace']);
      const withoutTeam = (await store.listApplicable({ keyId: 'key-a', workspaceId: 'ws-1', organisationId: 'org-1' })).map((limit) => limit.id).sort();
      expect(withoutTeam).toEqual(['mine-key', 'mine-organisation', 'mine-workspace']);
    });

    it('updates limit, window, algorithm and model, and can clear the model', async () => {
      await store.create(definition({ id: 'l-1', model: 'gpt-4o' }));
      const changed = await store.update('l-1', { limit: 120, windowMs: 3_600_000, algorithm: 'token-bucket' });
      expect(changed).toEqual({ id: 'l-1', scope: 'key', scopeId: 'key-a', model: 'gpt-4o', metric: 'requests', limit: 120, windowMs: 3_600_000, algorithm: 'token-bucket' });
      expect(await store.get('l-1')).toEqual(changed);
      const cleared = await store.update('l-1', { model: null });
      expect(cleared?.model).toBeUndefined();
      expect(await store.get('l-1')).toEqual(cleared);
      expect(await store.update('unknown', { limit: 1 })).toBeUndefined();
    });

    it('refuses an update that makes no sense and leaves the limit as it was', async () => {
      const original = await store.create(definition({ id: 'l-1' }));
      for (const patch of [{ limit: -3 }, { windowMs: 100_000_000 }, { scope: 'team' } as never, { algorithm: 'leaky' } as never]) {
        const error = await errorOf(store.update('l-1', patch));
        expect(isGatewayError(error) && error.code).toBe('invalid_request');
      }
      const concurrent = await store.create({ id: 'l-2', scope: 'key', scopeId: 'k', metric: 'concurrent', limit: 2 });
      const error = await errorOf(store.update('l-2', { windowMs: 60_000 }));
      expect(isGatewayError(error) && error.code).toBe('invalid_request');
      expect(await store.get('l-1')).toEqual(original);
      expect(await store.get('l-2')).toEqual(concurrent);
    });

    it('deletes, saying whether there was such a limit', async () => {
      await store.create(definition({ id: 'l-1' }));
      expect(await store.delete('l-1')).toBe(true);
      expect(await store.delete('l-1')).toBe(false);
      expect(await store.get('l-1')).toBeUndefined();
    });
  });
}
