import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase } from '../db/index.js';
import { MemoryUsageLedger } from './memory-usage-ledger.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeUsageLedgerContract } from './usage-ledger-contract.js';

describeUsageLedgerContract('memory', async () => ({ ledger: new MemoryUsageLedger() }));

describeUsageLedgerContract('SQLite', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'switchyard-ledger-'));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, 'ledger.db') });
  await migrateToLatest(database);
  return {
    ledger: new SqlUsageLedger(database),
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
});
