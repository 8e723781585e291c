import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Written with the schema builder only, so the same migration runs on SQLite and PostgreSQL.
export const initialMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('settings')
      .addColumn('key', 'text', (column) => column.primaryKey())
      .addColumn('value', 'text', (column) => column.notNull())
      .execute();

    await database.schema
      .createTable('usage_ledger')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('timestamp', 'bigint', (column) => column.notNull())
      .addColumn('key_id', 'text')
      .addColumn('dialect', 'text', (column) => column.notNull())
      .addColumn('operation', 'text', (column) => column.notNull())
      .addColumn('requested_model', 'text', (column) => column.notNull())
      .addColumn('served_provider', 'text')
      .addColumn('served_model', 'text')
      .addColumn('deployment_id', 'text')
      .addColumn('stream', 'integer', (column) => column.notNull())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('http_status', 'integer', (column) => column.notNull())
      .addColumn('error_code', 'text')
      .addColumn('attempts', 'text', (column) => column.notNull().defaultTo(sql`'[]'`))
      .addColumn('latency_ms', 'double precision', (column) => column.notNull())
      .addColumn('time_to_first_token_ms', 'double precision')
      .addColumn('input_tokens', 'bigint')
      .addColumn('cache_read_tokens', 'bigint')
      .addColumn('cache_write_tokens', 'bigint')
      .addColumn('output_tokens', 'bigint')
      .addColumn('reasoning_tokens', 'bigint')
      .addColumn('usage_source', 'text', (column) => column.notNull())
      .addColumn('cost_micros', 'bigint')
      .addColumn('finish_reason', 'text')
      .addColumn('gateway_overhead_ms', 'double precision')
      .execute();
    // Newest-first listing and retention scan by time; per-key listing by key then time.
    await database.schema.createIndex('usage_ledger_timestamp').on('usage_ledger').columns(['timestamp', 'id']).execute();
    await database.schema
      .createIndex('usage_ledger_key_timestamp')
      .on('usage_ledger')
      .columns(['key_id', 'timestamp'])
      .execute();

    let daily = database.schema
      .createTable('usage_daily')
      .addColumn('day', 'text', (column) => column.notNull())
      .addColumn('key_id', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .addColumn('provider', 'text', (column) => column.notNull());
    for (const counter of [
      'requests',
      'errors',
      'input_tokens',
      'cache_read_tokens',
      'cache_write_tokens',
      'output_tokens',
      'reasoning_tokens',
      'cost_micros',
    ]) {
      daily = daily.addColumn(counter, 'bigint', (column) => column.notNull().defaultTo(0));
    }
    await daily.addPrimaryKeyConstraint('usage_daily_pk', ['day', 'key_id', 'model', 'provider']).execute();
    await database.schema.createIndex('usage_daily_key_day').on('usage_daily').columns(['key_id', 'day']).execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('usage_daily').execute();
    await database.schema.dropTable('usage_ledger').execute();
    await database.schema.dropTable('settings').execute();
  },
};
