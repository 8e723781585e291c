import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { MemoryUsageLedger } from '../memory-usage-ledger.js';
import { SqlUsageLedger } from '../sql-usage-ledger.js';
import { MemoryTraceStore } from './memory-trace-store.js';
import { SqlTraceStore } from './sql-trace-store.js';
import { describeTraceStoreContract } from './trace-store-contract.js';

describeTraceStoreContract('memory', async () => {
  const ledger = new MemoryUsageLedger();
  return { store: new MemoryTraceStore({ ledger }), recordRequests: (rows) => ledger.append(rows) };
});

describeTraceStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('traces');
  const ledger = new SqlUsageLedger(database);
  return { store: new SqlTraceStore(database), recordRequests: (rows) => ledger.append(rows), dispose };
});
