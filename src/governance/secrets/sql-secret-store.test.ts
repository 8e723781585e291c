import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeSecretStoreContract } from './secret-store-contract.js';

describeSecretStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('secrets');
  return {
    database,
    dispose,
  };
});
