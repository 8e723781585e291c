import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Policies of organisations, workspaces and keys. `rules` is JSON text (the rules are a small, versioned
// object that is always read whole). Written with the schema builder only, for SQLite and PostgreSQL alike.
export const policiesMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('policies')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('workspace_id', 'text')
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('scope_id', 'text', (column) => column.notNull())
      .addColumn('rules', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    // The request path looks policies up by owner; the admin API lists them by organisation and workspace.
    await database.schema.createIndex('policies_scope').on('policies').columns(['scope', 'scope_id']).execute();
    await database.schema.createIndex('policies_organisation_workspace').on('policies').columns(['organisation_id', 'workspace_id']).execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('policies').execute();
  },
};
