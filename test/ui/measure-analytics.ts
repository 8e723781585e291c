// Measures the overview's aggregate queries with one million ledger rows (48 hours of traffic, so the
// last 24 hours hold about half a million): `npx tsx test/ui/measure-analytics.ts sqlite|postgres`.
// The rows are generated in SQL (minutes faster than appending them), the daily rollups summed from them.
// The numbers are in docs/dashboard.md. Not a test: it takes minutes and its timings depend on the machine.
import { sql } from 'kysely';
import { closePostgresTestAdmin, openPostgresTestDatabase } from '../support/postgres-test-database.js';
import { openSqliteTestDatabase } from '../support/sqlite-test-database.js';
import { resolveOverviewRange, SqlAnalytics, type AnalyticsScope, type BreakdownDimension } from '../../src/observatory/analytics/index.js';

const total = Number(process.env.ROWS ?? 1_000_000);
const kind = process.argv[2] === 'postgres' ? 'postgres' : 'sqlite';
const hour = 3_600_000;
const now = Date.now();

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(44)} ${(performance.now() - started).toFixed(0).padStart(7)} ms wall ${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms cpu (this process)`);
  return result;
}

const fixture = kind === 'postgres' ? await openPostgresTestDatabase('measure') : await openSqliteTestDatabase('measure');
const db = fixture.database.kysely;
try {
  const numbers = kind === 'postgres' ? sql`select generate_series(0, ${total - 1}) as i` : sql`select value as i from (with recursive n(value) as (select 0 union all select value + 1 from n where value < ${total - 1}) select value from n)`;
  const random = kind === 'postgres' ? sql.raw('floor(random() * 1000000)::bigint') : sql.raw('abs(random() % 1000000)');
  await timed(`generate ${total} ledger rows (${kind})`, () =>
    sql`insert into usage_ledger (id, timestamp, key_id, dialect, operation, requested_model, served_provider, served_model, stream, status, http_status, error_code, attempts, latency_ms, time_to_first_token_ms, input_tokens, output_tokens, usage_source, cost_micros, organisation_id, workspace_id, team_id)
      select 'req_' || i, ${now} - (${random} * ${48 * hour}) / 1000000, 'key_' || (i % 20) || '_' || (i % 10), 'openai', 'chat', 'model-' || (i % 5), 'prov-' || (i % 3), 'model-' || (i % 5), i % 2,
        case when i % 33 = 0 then 'error' else 'ok' end, 200, case when i % 33 = 0 then 'upstream_error' end, '[]', 50 + ${random} % 2000, case when i % 2 = 0 then 20 + ${random} % 300 end,
        100 + i % 900, 20 + i % 300, 'provider', 50 + i % 2000, 'org_default', 'ws_' || (i % 20), 'team_' || (i % 20) || '_' || (i % 3)
      from (${numbers}) as numbers`.execute(db),
  );
  const day = kind === 'postgres' ? sql`to_char(to_timestamp(timestamp / 1000.0) at time zone 'UTC', 'YYYY-MM-DD')` : sql`strftime('%Y-%m-%d', timestamp / 1000, 'unixepoch')`;
  const dimensions = { key: sql`coalesce(key_id, '')`, team: sql`coalesce(team_id, '')`, workspace: sql`coalesce(workspace_id, '')`, model: sql`coalesce(served_model, requested_model)`, provider: sql`coalesce(served_provider, '')` };
  await timed('sum the daily rollups', async () => {
    for (const [dimension, value] of Object.entries(dimensions)) {
      await sql`insert into usage_rollups (day, dimension, value, organisation_id, workspace_id, requests, errors, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micros, latency_ms_total)
        select ${day}, ${dimension}, ${value}, coalesce(organisation_id, ''), coalesce(workspace_id, ''), count(*), sum(case when status = 'error' then 1 else 0 end),
          coalesce(sum(input_tokens), 0), 0, 0, coalesce(sum(output_tokens), 0), 0, coalesce(sum(cost_micros), 0), coalesce(sum(latency_ms), 0)
        from usage_ledger group by 1, 3, 4, 5`.execute(db);
    }
  });
  await sql.raw(kind === 'postgres' ? 'analyze' : 'analyze').execute(db);
  const analytics = new SqlAnalytics(fixture.database);
  const cases: Array<[string, number, BreakdownDimension, AnalyticsScope]> = [
    ['last hour, by model', hour, 'model', {}],
    ['last 24 hours, by model', 24 * hour, 'model', {}],
    ['last 24 hours, by team, one workspace', 24 * hour, 'team', { workspaceId: 'ws_3' }],
    ['last 48 hours, by key', 48 * hour, 'key', {}],
    ['last 7 days (rollups), by provider', 7 * 24 * hour, 'provider', {}],
    ['last 30 days (rollups), by workspace', 30 * 24 * hour, 'workspace', {}],
  ];
  for (const [label, span, groupBy, scope] of cases) {
    const range = resolveOverviewRange({ since: now - span, until: now }, now);
    if ('error' in range) throw new Error(range.error);
    const overview = await timed(label, () => analytics.overview({ ...range, groupBy, scope }, range.source));
    console.log(`    ${overview.totals.requests} requests, ${overview.series.length} buckets, ${overview.totals.sampled} sampled, p50 ${overview.totals.latencyMs.p50} ms, p99 ${overview.totals.latencyMs.p99} ms`);
  }
} finally {
  await fixture.dispose();
  if (kind === 'postgres') await closePostgresTestAdmin();
}
