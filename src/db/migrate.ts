import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './open-database.js';
import { migrations } from './migrations/index.js';

/** Applies every pending migration; throws the first failure. Returns the names applied now. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  // On PostgreSQL the migration tables live in the schema of the connection's search_path. Without saying
  // so, Kysely looks for its lock table in every schema, finds another schema's and skips creating its own.
  const schema =
    database.kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(database.kysely)).rows[0]?.schema : undefined;
  const migrator = new Migrator({
    db: database.kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    // Migrations of different domains are independent tables; a store migrated by a build that lacked one
    // (a branch merged later) still gets it.
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
