import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Providers enabled at run time through the admin API (`switchyard llm enable`). `settings` is JSON text in
// which credentials are only references to the encrypted secret store (`{ "secret": ..., "field": ... }`),
// never values. `organisation_id` says whose secret store the references read, and whose administrators
// may remove the provider; NULL when the master key enabled it without credentials.
export const storedProvidersMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('stored_providers')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text')
      .addColumn('settings', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('stored_providers').execute();
  },
};
