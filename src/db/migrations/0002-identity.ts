import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The organisation and workspace every fresh install starts with, so keys have a place before any setup. */
export const defaultOrganisationId = 'org_default';
export const defaultWorkspaceId = 'ws_default';

// The governance hierarchy. Schema builder only, so the same migration runs on SQLite and PostgreSQL; JSON
// values are text (one encoding for both). Virtual keys carry no foreign key to workspaces or teams: a revoked
// key stays as history after its workspace or team is deleted (the store refuses to delete either while an
// unrevoked key remains).
export const identityMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('organisations')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('llm', 'text', (column) => column.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();

    await database.schema
      .createTable('workspaces')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('llm', 'text', (column) => column.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('workspaces_organisation_name', ['organisation_id', 'name'])
      .execute();

    await database.schema
      .createTable('teams')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('workspace_id', 'text', (column) => column.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('teams_workspace_name', ['workspace_id', 'name'])
      .execute();

    await database.schema
      .createTable('users')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('email', 'text', (column) => column.notNull())
      .addColumn('name', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('users_organisation_email', ['organisation_id', 'email'])
      .execute();

    await database.schema
      .createTable('service_accounts')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('workspace_id', 'text', (column) => column.references('workspaces.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addUniqueConstraint('service_accounts_organisation_name', ['organisation_id', 'name'])
      .execute();

    await database.schema
      .createTable('role_bindings')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('subject_kind', 'text', (column) => column.notNull())
      .addColumn('subject_id', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      // NULL for an organisation-scoped binding.
      .addColumn('workspace_id', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('role_bindings_subject').on('role_bindings').columns(['subject_kind', 'subject_id']).execute();
    await database.schema.createIndex('role_bindings_organisation').on('role_bindings').column('organisation_id').execute();

    await database.schema
      .createTable('virtual_keys')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text', (column) => column.notNull().references('organisations.id'))
      .addColumn('workspace_id', 'text', (column) => column.notNull())
      .addColumn('team_id', 'text')
      .addColumn('owner_kind', 'text', (column) => column.notNull())
      .addColumn('owner_id', 'text')
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('prefix', 'text', (column) => column.notNull())
      .addColumn('role', 'text', (column) => column.notNull())
      .addColumn('allowed_models', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('allowed_routes', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('metadata', 'text', (column) => column.notNull().defaultTo('{}'))
      .addColumn('tags', 'text', (column) => column.notNull().defaultTo('[]'))
      .addColumn('llm', 'text', (column) => column.notNull().defaultTo('{}'))
      .addColumn('expires_at', 'bigint')
      // 0 or 1 (one encoding for both databases).
      .addColumn('blocked', 'integer', (column) => column.notNull().defaultTo(0))
      .addColumn('revoked_at', 'bigint')
      .addColumn('last_used_at', 'bigint')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('virtual_keys_organisation_workspace').on('virtual_keys').columns(['organisation_id', 'workspace_id']).execute();
    await database.schema.createIndex('virtual_keys_team').on('virtual_keys').column('team_id').execute();

    // The hash is the primary key: unique, and the index every authentication looks up.
    await database.schema
      .createTable('key_secrets')
      .addColumn('hash', 'text', (column) => column.primaryKey())
      .addColumn('key_id', 'text', (column) => column.notNull().references('virtual_keys.id').onDelete('cascade'))
      .addColumn('expires_at', 'bigint')
      .execute();
    await database.schema.createIndex('key_secrets_key').on('key_secrets').column('key_id').execute();

    // A migration has no injected clock; the install time is the honest creation time of the defaults.
    const installedAt = Date.now();
    await sql`insert into organisations (id, name, llm, created_at) values (${defaultOrganisationId}, ${'default'}, ${'{}'}, ${installedAt})`.execute(database);
    await sql`insert into workspaces (id, organisation_id, name, llm, created_at) values (${defaultWorkspaceId}, ${defaultOrganisationId}, ${'default'}, ${'{}'}, ${installedAt})`.execute(database);
  },

  async down(database: Kysely<unknown>) {
    for (const table of ['key_secrets', 'virtual_keys', 'role_bindings', 'service_accounts', 'users', 'teams', 'workspaces', 'organisations']) {
      await database.schema.dropTable(table).execute();
    }
  },
};
