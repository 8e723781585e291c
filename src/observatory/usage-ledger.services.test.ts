import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeUsageLedgerContract } from './usage-ledger-contract.js';

// PostgreSQL on 127.0.0.1:5432 with trust auth (CI starts it), as user `postgres` or else `root`, database
// `test`. Every test gets its own schema, so runs never see each other's rows and nothing is left behind.
const candidateUrls = process.env.SWITCHYARD_TEST_POSTGRES_URL
  ? [process.env.SWITCHYARD_TEST_POSTGRES_URL]
  : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];
const runId = randomUUID().slice(0, 8);
let baseUrl: string;
let admin: pg.Client;
let schemaCount = 0;

beforeAll(async () => {
  let lastError: unknown;
  for (const url of candidateUrls) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      admin = client;
      baseUrl = url;
      return;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
});

afterAll(async () => {
  await admin.end();
});

describeUsageLedgerContract('PostgreSQL', async () => {
  schemaCount += 1;
  const schema = `ledger_${runId}_${schemaCount}`;
  await admin.query(`create schema "${schema}"`);
  const url = `${baseUrl}${baseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const database = await openDatabase({ kind: 'postgres', url, maxConnections: 2 });
  await migrateToLatest(database);
  return {
    ledger: new SqlUsageLedger(database),
    dispose: async () => {
      await database.close();
      await admin.query(`drop schema "${schema}" cascade`);
    },
  };
});
