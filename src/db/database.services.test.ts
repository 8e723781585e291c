import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from './index.js';
import { migrations } from './migrations/index.js';

// PostgreSQL on 127.0.0.1:5432 with trust auth, user `postgres` or else `root`, database `test`.
const candidateUrls = process.env.SWITCHYARD_TEST_POSTGRES_URL
  ? [process.env.SWITCHYARD_TEST_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const schema = `db_${randomUUID().slice(0, 8)}`;
let admin: pg.Client;
let baseUrl: string;

beforeAll(async () => {
  let lastError: unknown;
  for (const url of candidateUrls) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      admin = client;
      baseUrl = url;
      await admin.query(`create schema "${schema}"`);
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
});

afterAll(async () => {
  await admin.query(`drop schema if exists "${schema}" cascade`);
  await admin.end();
});

describe('PostgreSQL database', () => {
  it('migrates once, idempotently, and stores settings', async () => {
    const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    const database = await openDatabase({ kind: 'postgres', url });
    try {
      expect(database.kind).toBe('postgres');
      expect(await migrateToLatest(database)).toEqual(Object.keys(migrations).sort());
      expect(await migrateToLatest(database)).toEqual([]);
      await database.kysely.insertInto('settings').values({ key: 'master_key_hash', value: 'h' }).execute();
      const tables = await database.kysely.introspection.getTables();
      expect(tables.map((table) => table.name).sort()).toEqual(['settings', 'usage_daily', 'usage_ledger']);
    } finally {
      await database.close();
    }
  });

  it('fails fast when the server is unreachable', async () => {
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toThrow();
  });
});
