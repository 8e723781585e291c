import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/index.js';
import { EncryptionKey } from './encryption-key.js';
import { SecretCipher } from './secret-cipher.js';
import { SqlSecretStore } from './sql-secret-store.js';

/** A fresh, migrated database and how to dispose of it. */
export interface SecretStoreFixture {
  database: Database;
  dispose?: () => Promise<void>;
}

const created = Date.UTC(2026, 10, 20, 9);
const apiKey = 'sk-proj-very-secret-provider-key-1234567890';
const endpoint = 'https://example-resource.openai.azure.com';
const keyBytes = Buffer.alloc(32, 7);

/** The contract of the SQL {@link SqlSecretStore}, run on SQLite and PostgreSQL. */
export function describeSecretStoreContract(name: string, create: () => Promise<SecretStoreFixture>): void {
  describe(`SecretStore contract: ${name}`, () => {
    let fixture: SecretStoreFixture;
    let store: SqlSecretStore;
    const run = async (statement: string) => void (await sql.raw(statement).execute(fixture.database.kysely));
    const storedFields = async (organisationId: string, secretName: string) =>
      (await fixture.database.kysely.selectFrom('secrets').select('fields').where('organisation_id', '=', organisationId).where('name', '=', secretName).executeTakeFirstOrThrow()).fields;

    beforeEach(async () => {
      fixture = await create();
      store = new SqlSecretStore(fixture.database, new SecretCipher(new EncryptionKey(keyBytes)));
    });
    afterEach(async () => {
      await fixture.dispose?.();
    });

    it('round-trips every field and describes the secret by field names only', async () => {
      const descriptor = await store.put('org-a', 'azure-main', { key: apiKey, endpoint }, created);
      expect(descriptor).toEqual({ name: 'azure-main', organisationId: 'org-a', fields: ['endpoint', 'key'], createdAt: created, updatedAt: created });
      expect(await store.reveal('org-a', 'azure-main')).toEqual({ key: apiKey, endpoint });
      expect(await store.describe('org-a', 'azure-main')).toEqual(descriptor);
    });

    it('keeps only sealed text in the row, with a fresh IV for every value', async () => {
      await store.put('org-a', 'first', { key: apiKey }, created);
      await store.put('org-a', 'second', { key: apiKey }, created);
      const rows = await fixture.database.kysely.selectFrom('secrets').selectAll().execute();
      const everything = JSON.stringify(rows);
      expect(everything).not.toContain(apiKey);
      expect(everything).not.toContain(Buffer.from(apiKey).toString('base64').slice(0, 20));
      const [first, second] = await Promise.all([storedFields('org-a', 'first'), storedFields('org-a', 'second')]);
      expect(JSON.parse(first).key).toMatch(/^v1\.[0-9a-f]{16}\./);
      expect(JSON.parse(first).key).not.toBe(JSON.parse(second).key);
    });

    it('never returns a value from list or describe', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      await store.put('org-a', 'azure', { key: 'sk-another-secret-value-xyz', endpoint }, created + 1);
      const listed = await store.list('org-a');
      expect(listed.map((descriptor) => descriptor.name)).toEqual(['azure', 'openai']);
      const shown = JSON.stringify([listed, await store.describe('org-a', 'openai')]);
      expect(shown).not.toContain(apiKey);
      expect(shown).not.toContain('sk-another-secret-value-xyz');
      expect(shown).not.toContain(endpoint);
      expect(shown).not.toContain('v1.');
    });

    it('replaces a secret: new values, dropped fields gone, creation time kept', async () => {
      await store.put('org-a', 'azure', { key: apiKey, endpoint }, created);
      const replaced = await store.put('org-a', 'azure', { key: 'sk-rotated-key-000000000' }, created + 5_000);
      expect(replaced).toMatchObject({ fields: ['key'], createdAt: created, updatedAt: created + 5_000 });
      expect(await store.reveal('org-a', 'azure')).toEqual({ key: 'sk-rotated-key-000000000' });
    });

    it('keeps organisations apart', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      expect(await store.reveal('org-b', 'openai')).toBeUndefined();
      expect(await store.describe('org-b', 'openai')).toBeUndefined();
      expect(await store.list('org-b')).toEqual([]);
      expect(await store.delete('org-b', 'openai')).toBe(false);
      expect(await store.reveal('org-a', 'openai')).toEqual({ key: apiKey });
    });

    it('deletes', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      expect(await store.delete('org-a', 'openai')).toBe(true);
      expect(await store.delete('org-a', 'openai')).toBe(false);
      expect(await store.reveal('org-a', 'openai')).toBeUndefined();
      expect(await store.list('org-a')).toEqual([]);
    });

    it('refuses a tampered ciphertext without showing any value', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      const sealed = JSON.parse(await storedFields('org-a', 'openai')).key as string;
      const parts = sealed.split('.');
      const ciphertext = Buffer.from(parts[3], 'base64url');
      ciphertext[0] ^= 1;
      parts[3] = ciphertext.toString('base64url');
      await run(`update secrets set fields = '${JSON.stringify({ key: parts.join('.') })}' where name = 'openai'`);
      const error = await store.reveal('org-a', 'openai').catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'internal_error', message: expect.stringContaining('failed its integrity check') });
      expect(String((error as Error).message)).not.toContain(apiKey);
    });

    it('refuses a ciphertext moved to another secret, organisation or field', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      await store.put('org-a', 'azure', { key: 'sk-azure-key-value-000000', endpoint }, created);
      const openaiFields = await storedFields('org-a', 'openai');
      await run(`update secrets set fields = '${openaiFields}' where name = 'azure'`);
      await expect(store.reveal('org-a', 'azure')).rejects.toMatchObject({ code: 'internal_error' });

      await run(`update secrets set organisation_id = 'org-b' where name = 'openai'`);
      await expect(store.reveal('org-b', 'openai')).rejects.toMatchObject({ code: 'internal_error' });

      const sealed = JSON.parse(openaiFields).key as string;
      await store.put('org-a', 'two-fields', { key: 'a-value', other: 'b-value' }, created);
      const twoFields = JSON.parse(await storedFields('org-a', 'two-fields')) as Record<string, string>;
      await run(`update secrets set fields = '${JSON.stringify({ key: twoFields.other, other: twoFields.key })}' where name = 'two-fields'`);
      await expect(store.reveal('org-a', 'two-fields')).rejects.toMatchObject({ code: 'internal_error' });
      expect(sealed).not.toContain(apiKey);
    });

    it('refuses to open values with another key, and says so', async () => {
      await store.put('org-a', 'openai', { key: apiKey }, created);
      const otherStore = new SqlSecretStore(fixture.database, new SecretCipher(new EncryptionKey(Buffer.alloc(32, 8))));
      await expect(otherStore.reveal('org-a', 'openai')).rejects.toMatchObject({
        code: 'internal_error',
        message: expect.stringContaining('sealed under another encryption key'),
      });
      // The descriptor does not need the key.
      expect((await otherStore.describe('org-a', 'openai'))?.fields).toEqual(['key']);
    });

    it('refuses malformed names and fields, naming neither value nor writing anything', async () => {
      await expect(store.put('org-a', '', { key: apiKey }, created)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(store.put('org-a', 'has space', { key: apiKey }, created)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(store.put('', 'openai', { key: apiKey }, created)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(store.put('org-a', 'openai', {}, created)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(store.put('org-a', 'openai', { 'bad field': apiKey }, created)).rejects.toMatchObject({ code: 'invalid_request' });
      const error = await store.put('org-a', 'openai', { key: 42 as unknown as string }, created).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining("'key'") });
      expect(await store.list('org-a')).toEqual([]);
    });

    it('writes inside a caller transaction, and rolls back with it', async () => {
      await expect(
        fixture.database.kysely.transaction().execute(async (transaction) => {
          await new SqlSecretStore(transaction, new SecretCipher(new EncryptionKey(keyBytes))).put('org-a', 'openai', { key: apiKey }, created);
          throw new Error('the admin mutation failed');
        }),
      ).rejects.toThrow('the admin mutation failed');
      expect(await store.list('org-a')).toEqual([]);
    });
  });
}
