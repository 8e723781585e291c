import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeBudgetStoreContract } from './budget-store-contract.js';
import { SqlBudgetStore } from './sql-budget-store.js';

describeBudgetStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('budgets');
  return {
    store: new SqlBudgetStore(database.kysely),
    dispose,
  };
});
