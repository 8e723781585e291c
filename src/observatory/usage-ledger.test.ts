import { describe, expect, it } from 'vitest';
import { openSqliteTestDatabase } from '../../test/support/sqlite-test-database.js';
import { MemoryUsageLedger } from './memory-usage-ledger.js';
import { SqlUsageLedger } from './sql-usage-ledger.js';
import { describeUsageLedgerContract, ledgerRow } from './usage-ledger-contract.js';

describeUsageLedgerContract('memory', async () => ({ ledger: new MemoryUsageLedger() }));

describeUsageLedgerContract('SQLite', async () => {
  const { database, dispose } = await openSqliteTestDatabase('ledger');
  return {
    ledger: new SqlUsageLedger(database),
    dispose,
  };
});

describe('SQLite ledger beside admin transactions', () => {
  it('keeps rows appended while a Kysely transaction is open and then rolled back', async () => {
    const { database, dispose } = await openSqliteTestDatabase('ledger');
    try {
      const ledger = new SqlUsageLedger(database);
      let appended: Promise<void> | undefined;
      await expect(
        database.kysely.transaction().execute(async (transaction) => {
          await transaction.insertInto('settings').values({ key: 'inside', value: 'x' }).execute();
          // The writer's flush lands while the transaction is open (an unguarded append would run at once,
          // inside it, and be rolled back with it).
          appended = ledger.append([ledgerRow({ id: 'during-transaction' })]);
          throw new Error('admin change failed');
        }),
      ).rejects.toThrow('admin change failed');
      await appended;
      expect((await ledger.query()).map((row) => row.id)).toEqual(['during-transaction']);
      expect(await database.kysely.selectFrom('settings').selectAll().where('key', '=', 'inside').execute()).toEqual([]);
    } finally {
      await dispose();
    }
  });
});
