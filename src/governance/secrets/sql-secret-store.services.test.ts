import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeSecretStoreContract } from './secret-store-contract.js';

afterAll(closePostgresTestAdmin);

describeSecretStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('secrets');
  return { database, dispose };
});
