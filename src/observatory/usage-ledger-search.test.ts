import { openSqliteTestDatabase } from '../../test/support/sqlite-test-database.js';
import { MemoryUsageLedger } from './memory-usage-ledger.js';
import { MemoryPayloadStore } from './payloads/memory-payload-store.js';
import { SqlPayloadStore } from './payloads/sql-payload-store.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeLedgerSearchContract } from './usage-ledger-search-contract.js';

describeLedgerSearchContract('memory', async () => {
  const payloads = new MemoryPayloadStore();
  return { ledger: new MemoryUsageLedger({ payloads }), payloads };
});

describeLedgerSearchContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('ledger-search');
  return { ledger: new SqlUsageLedger(database), payloads: new SqlPayloadStore(database), dispose };
});
