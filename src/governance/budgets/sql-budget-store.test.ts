import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../../db/index.js';
import { describeBudgetStoreContract } from './budget-store-contract.js';
import { SqlBudgetStore } from './sql-budget-store.js';

describeBudgetStoreContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-budgets-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'budgets.db') });
  await migrateToLatest(database);
  return {
    store: new SqlBudgetStore(database.kysely),
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
