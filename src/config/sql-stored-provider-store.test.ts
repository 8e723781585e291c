import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { describeStoredProviderStoreContract } from './stored-provider-store-contract.js';

describeStoredProviderStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-stored-providers-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'providers.db') });
  await migrateToLatest(database);
  return {
    database,
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
