import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Alert rules (their fields as one JSON document: the evaluator reads them whole, nothing queries inside
// them) and the history of alerts: one row per firing, updated once when it resolves. Nothing here is
// written per request. Written with the schema builder only, for SQLite and PostgreSQL alike.
export const alertsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('alert_rules')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('organisation_id', 'text')
      .addColumn('workspace_id', 'text')
      .addColumn('definition', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('updated_at', 'bigint', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('alert_rules_organisation').on('alert_rules').column('organisation_id').execute();
    await database.schema
      .createTable('alert_history')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('rule_id', 'text', (column) => column.notNull())
      .addColumn('rule_name', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text')
      .addColumn('workspace_id', 'text')
      .addColumn('group_key', 'text', (column) => column.notNull())
      .addColumn('severity', 'text', (column) => column.notNull())
      .addColumn('state', 'text', (column) => column.notNull())
      .addColumn('value', 'double precision', (column) => column.notNull())
      .addColumn('threshold', 'double precision', (column) => column.notNull())
      .addColumn('message', 'text', (column) => column.notNull())
      .addColumn('fired_at', 'bigint', (column) => column.notNull())
      .addColumn('resolved_at', 'bigint')
      .execute();
    // The history is read newest first, by rule or by state (the firing ones are reloaded at start).
    await database.schema.createIndex('alert_history_fired_at').on('alert_history').columns(['fired_at', 'id']).execute();
    await database.schema.createIndex('alert_history_rule').on('alert_history').columns(['rule_id', 'fired_at']).execute();
    await database.schema.createIndex('alert_history_state').on('alert_history').columns(['state', 'fired_at']).execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('alert_history').execute();
    await database.schema.dropTable('alert_rules').execute();
  },
};
