import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { SqlUsageLedger } from '../sql-usage-ledger.js';
import { SqlTraceStore } from './sql-trace-store.js';
import { describeTraceStoreContract } from './trace-store-contract.js';

describeTraceStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('traces');
  const ledger = new SqlUsageLedger(database);
  return { store: new SqlTraceStore(database), recordRequests: (rows) => ledger.append(rows), dispose };
});

afterAll(closePostgresTestAdmin);
