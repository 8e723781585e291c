import { afterAll } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { describeAlertStoreContract } from './alert-store-contract.js';

afterAll(closePostgresTestAdmin);

describeAlertStoreContract('PostgreSQL', () => openPostgresTestDatabase('alerts'));
