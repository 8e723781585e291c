import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeIdentityStoreContract } from './identity-store-contract.js';
import { SqlIdentityStore } from './sql-identity-store.js';

afterAll(closePostgresTestAdmin);

describeIdentityStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('identity');
  return { store: new SqlIdentityStore(database.kysely), dispose };
});
