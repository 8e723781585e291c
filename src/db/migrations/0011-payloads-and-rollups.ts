import { SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

const counters = ['requests', 'errors', 'input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'cost_micros', 'latency_ms_total'];

// Stored prompts and completions (kept shorter than the usage rows), the request metadata they were sent
// with (kept as long as the rows), daily rollups by key / team / workspace / model / provider (kept longest),
// and the indexes the request explorer's common filters use. Free text: FTS5 on SQLite, a tsvector + GIN
// index on PostgreSQL.
export const payloadsAndRollupsMigration: Migration = {
  async up(database: Kysely<unknown>) {
    const sqlite = database.getExecutor().adapter instanceof SqliteAdapter;
    let payloads = database.schema.createTable('request_payloads');
    // SQLite: an INTEGER PRIMARY KEY is the rowid the FTS index points at, and unlike a hidden rowid VACUUM
    // keeps it stable.
    payloads = sqlite
      ? payloads.addColumn('seq', 'integer', (column) => column.primaryKey()).addColumn('request_id', 'text', (column) => column.notNull().unique())
      : payloads.addColumn('request_id', 'text', (column) => column.primaryKey());
    payloads = payloads
      .addColumn('timestamp', 'bigint', (column) => column.notNull())
      .addColumn('mode', 'text', (column) => column.notNull())
      .addColumn('request_text', 'text')
      .addColumn('response_text', 'text')
      .addColumn('request_bytes', 'bigint', (column) => column.notNull())
      .addColumn('response_bytes', 'bigint', (column) => column.notNull())
      .addColumn('message_count', 'integer', (column) => column.notNull())
      .addColumn('truncated', 'integer', (column) => column.notNull());
    if (!sqlite) payloads = payloads.addColumn('search', sql`tsvector`);
    await payloads.execute();
    await database.schema.createIndex('request_payloads_timestamp').on('request_payloads').column('timestamp').execute();
    if (sqlite) {
      // Contentless: the index only, the text stays in request_payloads (no second copy).
      await sql`create virtual table request_payloads_fts using fts5(body, content='', contentless_delete=1)`.execute(database);
    } else {
      await sql`create index request_payloads_search on request_payloads using gin (search)`.execute(database);
    }

    await database.schema
      .createTable('request_metadata')
      .addColumn('request_id', 'text', (column) => column.notNull())
      .addColumn('timestamp', 'bigint', (column) => column.notNull())
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .execute();
    await database.schema.createIndex('request_metadata_pair').on('request_metadata').columns(['name', 'value', 'timestamp']).execute();
    await database.schema.createIndex('request_metadata_request').on('request_metadata').columns(['request_id']).execute();
    await database.schema.createIndex('request_metadata_timestamp').on('request_metadata').column('timestamp').execute();

    let rollups = database.schema
      .createTable('usage_rollups')
      .addColumn('day', 'text', (column) => column.notNull())
      .addColumn('dimension', 'text', (column) => column.notNull())
      .addColumn('value', 'text', (column) => column.notNull())
      .addColumn('organisation_id', 'text', (column) => column.notNull())
      .addColumn('workspace_id', 'text', (column) => column.notNull());
    for (const counter of counters) {
      rollups = rollups.addColumn(counter, counter === 'latency_ms_total' ? 'double precision' : 'bigint', (column) => column.notNull().defaultTo(0));
    }
    await rollups.addPrimaryKeyConstraint('usage_rollups_pk', ['dimension', 'day', 'value', 'organisation_id', 'workspace_id']).execute();
    await database.schema.createIndex('usage_rollups_day').on('usage_rollups').column('day').execute();

    // The explorer filters by model (requested or served) and lists errors; both stay index-ordered by time.
    await database.schema.createIndex('usage_ledger_served_model_timestamp').on('usage_ledger').columns(['served_model', 'timestamp']).execute();
    await database.schema.createIndex('usage_ledger_requested_model_timestamp').on('usage_ledger').columns(['requested_model', 'timestamp']).execute();
    await database.schema
      .createIndex('usage_ledger_error_timestamp')
      .on('usage_ledger')
      .columns(['error_code', 'timestamp'])
      .where(sql.ref('error_code'), 'is not', null)
      .execute();

    // Rows already in the ledger get their rollups now; from here on `append` maintains them.
    const day = sqlite ? sql`strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch')` : sql`to_char(to_timestamp(timestamp / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')`;
    const values: Record<string, ReturnType<typeof sql>> = {
      key: sql`coalesce(key_id, '')`,
      team: sql`coalesce(team_id, '')`,
      workspace: sql`coalesce(workspace_id, '')`,
      model: sql`coalesce(served_model, requested_model)`,
      provider: sql`coalesce(served_provider, '')`,
    };
    for (const [dimension, value] of Object.entries(values)) {
      await sql`insert into usage_rollups (day, dimension, value, organisation_id, workspace_id, ${sql.raw(counters.join(', '))})
        select ${day}, ${dimension}, ${value}, coalesce(organisation_id, ''), coalesce(workspace_id, ''), count(*),
          sum(case when status = 'error' then 1 else 0 end), coalesce(sum(input_tokens), 0), coalesce(sum(cache_read_tokens), 0),
          coalesce(sum(cache_write_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(reasoning_tokens), 0),
          coalesce(sum(cost_micros), 0), coalesce(sum(latency_ms), 0)
        from usage_ledger group by 1, 3, 4, 5`.execute(database);
    }
  },

  async down(database: Kysely<unknown>) {
    const sqlite = database.getExecutor().adapter instanceof SqliteAdapter;
    for (const index of ['usage_ledger_served_model_timestamp', 'usage_ledger_requested_model_timestamp', 'usage_ledger_error_timestamp']) {
      await database.schema.dropIndex(index).execute();
    }
    await database.schema.dropTable('usage_rollups').execute();
    await database.schema.dropTable('request_metadata').execute();
    if (sqlite) await sql`drop table request_payloads_fts`.execute(database);
    await database.schema.dropTable('request_payloads').execute();
  },
};
