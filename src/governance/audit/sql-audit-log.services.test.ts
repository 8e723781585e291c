import { afterAll, describe, expect, it } from 'vitest';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../../../test/support/postgres-test-database.js';
import { openDatabase } from '../../db/index.js';
import { auditEntry, describeAuditLogContract } from './audit-log-contract.js';
import { SqlAuditLog } from './sql-audit-log.js';

afterAll(closePostgresTestAdmin);

describeAuditLogContract('PostgreSQL', async () => {
  const { database, dispose } = await openPostgresTestDatabase('audit');
  return { database, dispose };
});

describe('SqlAuditLog on PostgreSQL across replicas', () => {
  it('keeps one unbroken chain of 50 when two database instances append concurrently', async () => {
    const { database: first, url, dispose } = await openPostgresTestDatabase('audit');
    // A second pool on the same schema stands in for a second gateway replica.
    const second = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
    try {
      const logs = [new SqlAuditLog(first), new SqlAuditLog(second)];
      const appended = await Promise.all(
        Array.from({ length: 50 }, (_, index) => logs[index % 2].append(auditEntry({ details: { index, replica: index % 2 } }), 1_700_000_000_000 + index)),
      );
      expect(new Set(appended.map((record) => record.sequence)).size).toBe(50);
      expect(await logs[1].verify()).toMatchObject({ ok: true, records: 50 });
      const replicas = new Set((await logs[0].list({ limit: 50 })).map((record) => record.details.replica));
      expect(replicas).toEqual(new Set([0, 1]));
    } finally {
      await second.close();
      await dispose();
    }
  });
});
