import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describePolicyStoreContract } from './policy-store-contract.js';
import { SqlPolicyStore } from './sql-policy-store.js';

describePolicyStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('policies');
  return {
    store: new SqlPolicyStore(database.kysely),
    inTransaction: (work) => database.kysely.transaction().execute((transaction) => work(new SqlPolicyStore(transaction))),
    dispose,
  };
});
