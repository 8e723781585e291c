import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { MemoryTraceStore } from './memory-trace-store.js';
import { SqlTraceStore } from './sql-trace-store.js';
import { describeTraceStoreContract } from './trace-store-contract.js';

describeTraceStoreContract('memory', async () => ({ store: new MemoryTraceStore() }));

describeTraceStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('traces');
  return { store: new SqlTraceStore(database), dispose };
});
