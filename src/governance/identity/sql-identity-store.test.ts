import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describeIdentityStoreContract } from './identity-store-contract.js';
import { SqlIdentityStore } from './sql-identity-store.js';

describeIdentityStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-identity-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'identity.db') });
  await migrateToLatest(database);
  return {
    store: new SqlIdentityStore(database.kysely),
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
