import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * A migration that sets one option of SQLite's payload search index (FTS5 keeps its options in the index's own
 * config table, so a setting persists), from `before` to `after` and back. PostgreSQL has no such index: a no-op.
 */
export function searchIndexOptionMigration(option: 'automerge' | 'deletemerge', before: number, after: number): Migration {
  const set = async (database: Kysely<unknown>, value: number) => {
    if (!(database.getExecutor().adapter instanceof SqliteAdapter)) return;
    await sql`insert into request_payloads_fts (request_payloads_fts, rank) values (${sql.lit(option)}, ${sql.lit(value)})`.execute(database);
  };
  return { up: (database) => set(database, after), down: (database) => set(database, before) };
}
