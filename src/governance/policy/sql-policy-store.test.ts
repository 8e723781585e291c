import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describePolicyStoreContract } from './policy-store-contract.js';
import { SqlPolicyStore } from './sql-policy-store.js';

describePolicyStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-policies-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'policies.db') });
  await migrateToLatest(database);
  return {
    store: new SqlPolicyStore(database.kysely),
    inTransaction: (work) => database.kysely.transaction().execute((transaction) => work(new SqlPolicyStore(transaction))),
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
