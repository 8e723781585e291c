import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeBudgetStoreContract } from './budget-store-contract.js';
import { SqlBudgetStore } from './sql-budget-store.js';

afterAll(closePostgresTestAdmin);

describeBudgetStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('budgets');
  return { store: new SqlBudgetStore(database.kysely), dispose };
});
