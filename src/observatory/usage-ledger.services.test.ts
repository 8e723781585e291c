import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../test/support/postgres-test-database.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeUsageLedgerContract } from './usage-ledger-contract.js';

afterAll(closePostgresTestAdmin);

describeUsageLedgerContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('ledger');
  return { ledger: new SqlUsageLedger(database), dispose };
});
