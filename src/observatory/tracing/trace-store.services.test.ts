import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { SqlTraceStore } from './sql-trace-store.js';
import { describeTraceStoreContract } from './trace-store-contract.js';

describeTraceStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('traces');
  return { store: new SqlTraceStore(database), dispose };
});

afterAll(closePostgresTestAdmin);
