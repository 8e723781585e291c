import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Trace spans (the gateway's own and applications' observations) and scores. Times are epoch ms. Spans are
// pruned by start time, so that column is indexed; reads go by trace, request and session.
export const tracesMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('trace_spans')
      .addColumn('trace_id', 'text', (column) => column.notNull())
      .addColumn('span_id', 'text', (column) => column.notNull())
      .addColumn('parent_span_id', 'text')
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('start_time', 'bigint', (column) => column.notNull())
      .addColumn('end_time', 'bigint', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('attributes', 'text', (column) => column.notNull())
      .addColumn('request_id', 'text')
      .addColumn('session_id', 'text')
      .addColumn('organisation_id', 'text')
      .addColumn('workspace_id', 'text')
      .addColumn('input', 'text')
      .addColumn('output', 'text')
      .addPrimaryKeyConstraint('trace_spans_pk', ['trace_id', 'span_id'])
      .execute();
    await database.schema.createIndex('trace_spans_start').on('trace_spans').column('start_time').execute();
    await database.schema.createIndex('trace_spans_request').on('trace_spans').column('request_id').execute();
    await database.schema.createIndex('trace_spans_session').on('trace_spans').column('session_id').execute();
    await database.schema
      .createTable('trace_scores')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('trace_id', 'text', (column) => column.notNull())
      .addColumn('span_id', 'text')
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .addColumn('data_type', 'text', (column) => column.notNull())
      .addColumn('source', 'text', (column) => column.notNull())
      .addColumn('comment', 'text')
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('organisation_id', 'text')
      .addColumn('workspace_id', 'text')
      .execute();
    await database.schema.createIndex('trace_scores_trace').on('trace_scores').column('trace_id').execute();
    await database.schema.createIndex('trace_scores_created').on('trace_scores').column('created_at').execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('trace_scores').execute();
    await database.schema.dropTable('trace_spans').execute();
  },
};
