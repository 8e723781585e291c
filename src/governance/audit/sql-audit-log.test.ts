import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describeAuditLogContract } from './audit-log-contract.js';

describeAuditLogContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-audit-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'audit.db') });
  await migrateToLatest(database);
  return {
    database,
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
