import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Rate limit definitions of keys, teams, workspaces and organisations. The counters themselves live in
// memory or Redis; only what the limits are is stored here. `limit_value` because `limit` is an SQL keyword.
// Written with the schema builder only, for SQLite and PostgreSQL alike.
export const rateLimitsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('rate_limits')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('scope_id', 'text', (column) => column.notNull())
      .addColumn('model', 'text')
      .addColumn('metric', 'text', (column) => column.notNull())
      .addColumn('limit_value', 'bigint', (column) => column.notNull())
      .addColumn('window_ms', 'bigint')
      .addColumn('algorithm', 'text', (column) => column.notNull())
      .execute();
    // The request path and the admin API look limits up by owner.
    await database.schema.createIndex('rate_limits_scope').on('rate_limits').columns(['scope', 'scope_id']).execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('rate_limits').execute();
  },
};
