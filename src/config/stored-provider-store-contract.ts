import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../db/index.js';
import { SqlStoredProviderStore } from './sql-stored-provider-store.js';
import type { StoredProviderStore } from './stored-provider-store.js';

/** A fresh, migrated database and how to dispose of it. */
export interface StoredProviderStoreFixture {
  database: Database;
  dispose?: () => Promise<void>;
}

const created = Date.UTC(2026, 10, 20, 9);

/** The contract of {@link StoredProviderStore}, run on SQLite and PostgreSQL. */
export function describeStoredProviderStoreContract(name: string, create: () => Promise<StoredProviderStoreFixture>): void {
  describe(`StoredProviderStore contract: ${name}`, () => {
    let fixture: StoredProviderStoreFixture;
    let store: StoredProviderStore;

    beforeEach(async () => {
      fixture = await create();
      store = new SqlStoredProviderStore(fixture.database);
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips a provider with nested settings and secret references', async () => {
      const settings = { host: 'http://gpu-box:11434', apiKey: { secret: 'ollama-cloud', field: 'key' }, headers: { 'x-team': 'ml' }, keepAlive: '5m' };
      const stored = await store.put({ name: 'gpu', kind: 'ollama', organisationId: 'org_a', settings }, created);
      expect(stored).toEqual({ name: 'gpu', kind: 'ollama', organisationId: 'org_a', settings, createdAt: created, updatedAt: created });
      expect(await store.get('gpu')).toEqual(stored);
    });

    it('keeps no organisation when none is given', async () => {
      await store.put({ name: 'ollama', kind: 'ollama', settings: {} }, created);
      const stored = await store.get('ollama');
      expect(stored).toEqual({ name: 'ollama', kind: 'ollama', settings: {}, createdAt: created, updatedAt: created });
      expect(stored).not.toHaveProperty('organisationId');
    });

    it('replaces a provider of the same name, keeping its creation time', async () => {
      await store.put({ name: 'local', kind: 'ollama', organisationId: 'org_a', settings: { host: 'http://a:11434' } }, created);
      const replaced = await store.put({ name: 'local', kind: 'openai-compatible', settings: { baseUrl: 'http://b:8000/v1' } }, created + 5_000);
      expect(replaced).toEqual({ name: 'local', kind: 'openai-compatible', settings: { baseUrl: 'http://b:8000/v1' }, createdAt: created, updatedAt: created + 5_000 });
      expect(await store.list()).toHaveLength(1);
    });

    it('lists by name and deletes one provider only', async () => {
      await store.put({ name: 'zeta', kind: 'ollama', settings: {} }, created);
      await store.put({ name: 'alpha', kind: 'ollama', settings: {} }, created + 1);
      await store.put({ name: 'mid', kind: 'openai', organisationId: 'org_b', settings: { apiKey: { secret: 'openai', field: 'key' } } }, created + 2);
      expect((await store.list()).map((provider) => provider.name)).toEqual(['alpha', 'mid', 'zeta']);
      expect(await store.delete('mid')).toBe(true);
      expect(await store.delete('mid')).toBe(false);
      expect(await store.get('mid')).toBeUndefined();
      expect((await store.list()).map((provider) => provider.name)).toEqual(['alpha', 'zeta']);
    });

    it('writes nothing when the surrounding transaction rolls back', async () => {
      const failure = new Error('rolled back on purpose');
      await expect(
        fixture.database.kysely.transaction().execute(async (transaction) => {
          await new SqlStoredProviderStore(transaction).put({ name: 'doomed', kind: 'ollama', settings: {} }, created);
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.get('doomed')).toBeUndefined();
    });

    it('answers undefined for an unknown name', async () => {
      expect(await store.get('nothing-here')).toBeUndefined();
    });
  });
}
