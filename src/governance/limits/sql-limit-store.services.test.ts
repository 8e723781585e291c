import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeLimitStoreContract } from './limit-store-contract.js';
import { SqlLimitStore } from './sql-limit-store.js';

afterAll(closePostgresTestAdmin);

describeLimitStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('limits');
  return { store: new SqlLimitStore(database.kysely), dispose };
});
