import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../test/support/postgres-test-database.js';
import { describeStoredProviderStoreContract } from './stored-provider-store-contract.js';

afterAll(closePostgresTestAdmin);

describeStoredProviderStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('stored_providers');
  return { database, dispose };
});
