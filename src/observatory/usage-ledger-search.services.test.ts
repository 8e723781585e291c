import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../test/support/postgres-test-database.js';
import { SqlPayloadStore } from './payloads/sql-payload-store.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeLedgerSearchContract } from './usage-ledger-search-contract.js';

afterAll(closePostgresTestAdmin);

describeLedgerSearchContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('ledger_search');
  return { ledger: new SqlUsageLedger(database), payloads: new SqlPayloadStore(database), dispose };
});
