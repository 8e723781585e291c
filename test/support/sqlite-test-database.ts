import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, openDatabase, type Database } from '../../src/db/index.js';

/** A migrated SQLite database in a temporary folder, and how to close and remove it. */
export async function openSqliteTestDatabase(prefix = 'test'): Promise<{ database: Database; dispose: () => Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), `switchyard-${prefix}-`));
  const database = await openDatabase({ kind: 'sqlite', file: join(folder, `${prefix}.db`) });
  await migrateToLatest(database);
  return {
    database,
    dispose: async () => {
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
