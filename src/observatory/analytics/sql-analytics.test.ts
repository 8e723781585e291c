import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { SqlUsageLedger } from '../sql-usage-ledger.js';
import { describeAnalyticsContract } from './analytics-contract.js';
import { SqlAnalytics } from './sql-analytics.js';

describeAnalyticsContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('analytics');
  const ledger = new SqlUsageLedger(database);
  return { analytics: (budget) => new SqlAnalytics(database, budget), append: (rows) => ledger.append(rows), dispose };
});
