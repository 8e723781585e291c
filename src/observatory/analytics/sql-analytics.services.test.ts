import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { SqlUsageLedger } from '../sql-usage-ledger.js';
import { describeAnalyticsContract } from './analytics-contract.js';
import { SqlAnalytics } from './sql-analytics.js';

afterAll(closePostgresTestAdmin);

describeAnalyticsContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('analytics');
  const ledger = new SqlUsageLedger(database);
  return { analytics: (budget) => new SqlAnalytics(database, budget), append: (rows) => ledger.append(rows), dispose };
});
