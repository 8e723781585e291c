import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeAnomalyModelStoreContract } from './anomaly-model-store-contract.js';
import { SqlAnomalyModelStore } from './sql-anomaly-model-store.js';

afterAll(closePostgresTestAdmin);

describeAnomalyModelStoreContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('anomaly-models');
  return { store: new SqlAnomalyModelStore(database), dispose };
});
