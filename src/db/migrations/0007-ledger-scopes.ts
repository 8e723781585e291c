import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// The governance scopes of each request, so budgets can be summed per team / workspace / organisation
// (a restarted gateway, or a fresh Redis, seeds its budget counters from these sums).
export const ledgerScopesMigration: Migration = {
  async up(database: Kysely<unknown>) {
    for (const column of ['organisation_id', 'workspace_id', 'team_id']) {
      await database.schema.alterTable('usage_ledger').addColumn(column, 'text').execute();
    }
    await database.schema.createIndex('usage_ledger_team_timestamp').on('usage_ledger').columns(['team_id', 'timestamp']).execute();
    await database.schema.createIndex('usage_ledger_workspace_timestamp').on('usage_ledger').columns(['workspace_id', 'timestamp']).execute();
    await database.schema.createIndex('usage_ledger_organisation_timestamp').on('usage_ledger').columns(['organisation_id', 'timestamp']).execute();
  },

  async down(database: Kysely<unknown>) {
    for (const index of ['usage_ledger_team_timestamp', 'usage_ledger_workspace_timestamp', 'usage_ledger_organisation_timestamp']) {
      await database.schema.dropIndex(index).execute();
    }
    for (const column of ['organisation_id', 'workspace_id', 'team_id']) {
      await database.schema.alterTable('usage_ledger').dropColumn(column).execute();
    }
  },
};
