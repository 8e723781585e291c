import { openSqliteTestDatabase } from '../../test/support/sqlite-test-database.js';
import { describeStoredProviderStoreContract } from './stored-provider-store-contract.js';

describeStoredProviderStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('stored-providers');
  return {
    database,
    dispose,
  };
});
