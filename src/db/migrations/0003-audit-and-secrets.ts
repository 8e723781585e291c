import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The hash the first audit record chains to. */
const genesisHash = '0'.repeat(64);

// Written with the schema builder (and one portable insert) only, so it runs on SQLite and PostgreSQL.
export const auditAndSecretsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    // Sequence numbers are assigned by the log (from the head row below), not by the database, so a gap
    // in them always means a removed record.
    await database.schema
      .createTable('audit_log')
      .addColumn('sequence', 'bigint', (column) => column.primaryKey())
      .addColumn('at', 'bigint', (column) => column.notNull())
      .addColumn('actor_kind', 'text', (column) => column.notNull())
      .addColumn('actor_id', 'text', (column) => column.notNull())
      .addColumn('action', 'text', (column) => column.notNull())
      .addColumn('target_kind', 'text', (column) => column.notNull())
      .addColumn('target_id', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text')
      .addColumn('workspace_id', 'text')
      .addColumn('outcome', 'text', (column) => column.notNull())
      .addColumn('details', 'text', (column) => column.notNull())
      .addColumn('request_id', 'text')
      .addColumn('previous_hash', 'text', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .execute();
    // The admin API lists an organisation's or workspace's records newest first; verify looks records up
    // by hash to tell a reordered record from a broken link.
    await database.schema.createIndex('audit_log_organisation_sequence').on('audit_log').columns(['organisation_id', 'sequence']).execute();
    await database.schema.createIndex('audit_log_workspace_sequence').on('audit_log').columns(['workspace_id', 'sequence']).execute();
    await database.schema.createIndex('audit_log_hash').on('audit_log').column('hash').execute();

    // One row: the last sequence and hash. Every append updates it first, which serialises appends across
    // replicas (PostgreSQL row lock, SQLite write lock) and lets verify notice records removed from the tail.
    await database.schema
      .createTable('audit_log_head')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('sequence', 'bigint', (column) => column.notNull())
      .addColumn('hash', 'text', (column) => column.notNull())
      .execute();
    await (database as Kysely<{ audit_log_head: { id: number; sequence: number; hash: string } }>)
      .insertInto('audit_log_head')
      .values({ id: 1, sequence: 0, hash: genesisHash })
      .execute();

    // Field values are sealed one by one (AES-256-GCM); `fields` is a JSON object of field name -> sealed value.
    await database.schema
      .createTable('secrets')
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('fields', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .addPrimaryKeyConstraint('secrets_pk', ['organisation_id', 'name'])
      .execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('secrets').execute();
    await database.schema.dropTable('audit_log_head').execute();
    await database.schema.dropTable('audit_log').execute();
  },
};
