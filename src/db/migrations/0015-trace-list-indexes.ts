import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Listing traces reads the newest entries below a bound and then the first entry of the traces they belong
// to (docs/tracing.md#listing-at-scale), so each kind of entry needs an index by start time, per scope too.
// Traced ledger rows: a partial index on the timestamp, so the scan never walks untraced rows (tracing off
// for a while would otherwise make it read them all); a workspace's or organisation's rows already have
// (workspace_id, timestamp) and (organisation_id, timestamp) from migration 0007. Applications' spans: by
// workspace and by organisation with the start time (partial: the master key's spans have neither).
export const traceListIndexesMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createIndex('usage_ledger_traced_timestamp')
      .on('usage_ledger')
      .column('timestamp')
      .where(sql.ref('trace_id'), 'is not', null)
      .execute();
    await database.schema
      .createIndex('trace_spans_workspace_start')
      .on('trace_spans')
      .columns(['workspace_id', 'start_time'])
      .where(sql.ref('workspace_id'), 'is not', null)
      .execute();
    await database.schema
      .createIndex('trace_spans_organisation_start')
      .on('trace_spans')
      .columns(['organisation_id', 'start_time'])
      .where(sql.ref('organisation_id'), 'is not', null)
      .execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropIndex('trace_spans_organisation_start').execute();
    await database.schema.dropIndex('trace_spans_workspace_start').execute();
    await database.schema.dropIndex('usage_ledger_traced_timestamp').execute();
  },
};
