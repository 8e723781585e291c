import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describePolicyStoreContract } from './policy-store-contract.js';
import { SqlPolicyStore } from './sql-policy-store.js';

afterAll(closePostgresTestAdmin);

describePolicyStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('policies');
  return {
    store: new SqlPolicyStore(database.kysely),
    inTransaction: (work) => database.kysely.transaction().execute((transaction) => work(new SqlPolicyStore(transaction))),
    dispose,
  };
});
