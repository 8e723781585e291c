import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Budget definitions (their spend lives in the budget ledger: in process or Redis). `thresholds` is JSON text
// (a short list always read whole). Written with the schema builder only, for SQLite and PostgreSQL alike.
export const budgetsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema
      .createTable('budgets')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('scope', 'text', (column) => column.notNull())
      .addColumn('scope_id', 'text', (column) => column.notNull())
      .addColumn('period', 'text', (column) => column.notNull())
      .addColumn('limit_micros', 'bigint', (column) => column.notNull())
      .addColumn('thresholds', 'text', (column) => column.notNull())
      .execute();
    // One budget per owner and period (two would only mean the lower limit); it is also the request path's
    // lookup by owner.
    await database.schema.createIndex('budgets_scope_period').on('budgets').columns(['scope', 'scope_id', 'period']).unique().execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.dropTable('budgets').execute();
  },
};
