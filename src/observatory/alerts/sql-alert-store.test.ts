import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { describeAlertStoreContract } from './alert-store-contract.js';

describeAlertStoreContract('SQLite', () => openSqliteTestDatabase('alerts'));
