import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export type SearchIndexOption = 'automerge' | 'deletemerge';

/** Sets one option of an FTS5 table (SQLite only): it is stored in the table's own config table. */
export async function setSearchIndexOption(database: Kysely<unknown>, table: string, option: SearchIndexOption, value: number): Promise<void> {
  await sql`insert into ${sql.table(table)} (${sql.ref(table)}, rank) values (${sql.lit(option)}, ${sql.lit(value)})`.execute(database);
}

/**
 * A migration that sets one option of SQLite's payload search index (FTS5 keeps its options in the index's own
 * config table, so a setting persists), from `before` to `after` and back. PostgreSQL has no such index: a no-op.
 */
export function searchIndexOptionMigration(option: SearchIndexOption, before: number, after: number): Migration {
  const set = async (database: Kysely<unknown>, value: number) => {
    if (!(database.getExecutor().adapter instanceof SqliteAdapter)) return;
    await setSearchIndexOption(database, 'request_payloads_fts', option, value);
  };
  return { up: (database) => set(database, after), down: (database) => set(database, before) };
}
