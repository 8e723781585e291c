import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// A request's trace lives on its ledger row: the trace id, the client's session id and a small JSON timeline
// (span ids, stage end offsets, attempt start offsets), written in the ledger's batched insert. The gateway's
// spans are derived from the row when a trace is read, so none is stored per request (docs/decisions/0010).
// Partial indexes: rows of requests made with tracing off cost the indexes nothing. The trace index carries the
// timestamp so that listing traces (grouped by trace, ordered by their first start) reads it in order.
export const ledgerTraceTimelineMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema.alterTable('usage_ledger').addColumn('trace_id', 'text').execute();
    await database.schema.alterTable('usage_ledger').addColumn('session_id', 'text').execute();
    await database.schema.alterTable('usage_ledger').addColumn('trace_timeline', 'text').execute();
    await database.schema
      .createIndex('usage_ledger_trace')
      .on('usage_ledger')
      .columns(['trace_id', 'timestamp'])
      .where(sql.ref('trace_id'), 'is not', null)
      .execute();
    await database.schema
      .createIndex('usage_ledger_session')
      .on('usage_ledger')
      .column('session_id')
      .where(sql.ref('session_id'), 'is not', null)
      .execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropIndex('usage_ledger_session').execute();
    await database.schema.dropIndex('usage_ledger_trace').execute();
    await database.schema.alterTable('usage_ledger').dropColumn('trace_timeline').execute();
    await database.schema.alterTable('usage_ledger').dropColumn('session_id').execute();
    await database.schema.alterTable('usage_ledger').dropColumn('trace_id').execute();
  },
};
