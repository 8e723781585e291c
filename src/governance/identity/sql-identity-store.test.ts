import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeIdentityStoreContract } from './identity-store-contract.js';
import { SqlIdentityStore } from './sql-identity-store.js';

describeIdentityStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('identity');
  return {
    store: new SqlIdentityStore(database.kysely),
    dispose,
  };
});
