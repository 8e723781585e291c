import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeAuditLogContract } from './audit-log-contract.js';

describeAuditLogContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('audit');
  return {
    database,
    dispose,
  };
});
