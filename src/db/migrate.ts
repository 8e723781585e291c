import { Migrator } from 'kysely/migration';
import type { Database } from './open-database.js';
import { migrations } from './migrations/index.js';

/** Applies every pending migration; throws the first failure. Returns the names applied now. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  const migrator = new Migrator({
    db: database.kysely,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
