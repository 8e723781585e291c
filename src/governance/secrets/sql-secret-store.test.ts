import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describeSecretStoreContract } from './secret-store-contract.js';

describeSecretStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'secrets.db') });
  await migrateToLatest(database);
  return {
    database,
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
