import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describeLimitStoreContract } from './limit-store-contract.js';
import { SqlLimitStore } from './sql-limit-store.js';

describeLimitStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-limits-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'limits.db') });
  await migrateToLatest(database);
  return {
    store: new SqlLimitStore(database.kysely),
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
