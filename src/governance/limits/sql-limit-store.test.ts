import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeLimitStoreContract } from './limit-store-contract.js';
import { SqlLimitStore } from './sql-limit-store.js';

describeLimitStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('limits');
  return {
    store: new SqlLimitStore(database.kysely),
    dispose,
  };
});
