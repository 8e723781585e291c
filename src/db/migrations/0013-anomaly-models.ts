import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Versions of the anomaly detectors' model (sentinel/anomaly): one row per training run, its body as one JSON
// document (read whole, never queried inside). Written minutes to hours apart, never per request.
export const anomalyModelsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('anomaly_models')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('version', 'integer', (column) => column.notNull().unique())
      .addColumn('status', 'text', (column) => column.notNull())
      .addColumn('created_at', 'bigint', (column) => column.notNull())
      .addColumn('activated_at', 'bigint')
      .addColumn('trained_from', 'bigint', (column) => column.notNull())
      .addColumn('trained_until', 'bigint', (column) => column.notNull())
      .addColumn('series_count', 'integer', (column) => column.notNull())
      .addColumn('validation', 'text', (column) => column.notNull())
      .addColumn('model', 'text', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('anomaly_models_status').on('anomaly_models').column('status').execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('anomaly_models').execute();
  },
};
