import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeAnomalyModelStoreContract } from './anomaly-model-store-contract.js';
import { SqlAnomalyModelStore } from './sql-anomaly-model-store.js';

describeAnomalyModelStoreContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('anomaly-models');
  return { store: new SqlAnomalyModelStore(database), dispose };
});
