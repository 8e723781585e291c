import { afterAll, describe, expect, it } from 'vitest';
import { closePostgresTestAdmin, createPostgresTestSchema } from '../../test/support/postgres-test-database.js';
import { migratedTables } from '../../test/support/migrated-tables.js';
import { migrateToLatest, openDatabase } from './index.js';
import { migrations } from './migrations/index.js';

// PostgreSQL on 127.0.0.1:5432 with trust auth, user `postgres` or else `root`, database `test`.
afterAll(closePostgresTestAdmin);

describe('PostgreSQL database', () => {
  it('migrates once, idempotently, and stores settings', async () => {
    const { url, drop } = await createPostgresTestSchema('db');
    const schema = new URL(url).searchParams.get('options')!.replace('-c search_path=', '');
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      expect(database.kind).toBe('postgres');
      expect(await migrateToLatest(database)).toEqual(Object.keys(migrations).sort());
      expect(await migrateToLatest(database)).toEqual([]);
      await database.kysely.insertInto('settings').values({ key: 'master_key_hash', value: 'h' }).execute();
      // Introspection lists every schema of the database; this run's tables are those of its own schema.
      const tables = (await database.kysely.introspection.getTables()).filter((table) => table.schema === schema);
      expect(tables.map((table) => table.name).sort()).toEqual(migratedTables);
    } finally {
      await database.close();
      await drop();
    }
  });

  it('fails fast when the server is unreachable', async () => {
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toThrow();
  });
});
