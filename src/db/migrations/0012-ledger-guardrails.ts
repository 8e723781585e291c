import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// What the guardrails decided for a request (`pii=masked;injection=flagged`, as in the response header
// `x-switchyard-guardrails`), on its ledger row. NULL when no guardrail did anything, so rows of requests
// without guardrails cost nothing; no index: the explorer shows it, it does not filter by it.
export const ledgerGuardrailsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    await database.schema.alterTable('usage_ledger').addColumn('guardrails', 'text').execute();
  },

  async down(database: Kysely<unknown>) {
    await database.schema.alterTable('usage_ledger').dropColumn('guardrails').execute();
  },
};
