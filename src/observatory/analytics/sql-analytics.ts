import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DatabaseSchema } from '../../db/schema.js';
import { dayOf } from '../ledger-row.js';
import type { AnalyticsOverview, AnalyticsScope, BreakdownDimension, BreakdownRow, OverviewQuery, SeriesBucket, UsageTotals } from './analytics-types.js';
import { weightedPercentiles, type WeightedValue } from './percentiles.js';

/**
 * How many index probes one overview may spend on its latency sample and how many rows each reads, and above
 * how many rows in range SQLite reads the ledger in table order instead of through the time index.
 */
export interface SampleBudget {
  probes: number;
  rowsPerProbe: number;
  sequentialScanAboveRows?: number;
}

const defaultSampleBudget: SampleBudget = { probes: 160, rowsPerProbe: 75, sequentialScanAboveRows: 100_000 };
const breakdownLimit = 50;
const topSpenderLimit = 10;
// PostgreSQL runs probes on a pool; more at a time only queue there.
const probeConcurrency = 4;
// Probes per statement: well below SQLite's limit of 500 terms in a compound select.
const probesPerStatement = 40;

const ledgerDimension: Record<BreakdownDimension, string> = {
  model: 'coalesce(served_model, requested_model)',
  provider: 'served_provider',
  key: 'key_id',
  team: 'team_id',
  workspace: 'workspace_id',
};

const ledgerTotals = sql.raw(`count(*) as requests,
  sum(case when status = 'error' then 1 else 0 end) as errors,
  sum(coalesce(input_tokens, 0) + coalesce(cache_read_tokens, 0) + coalesce(cache_write_tokens, 0)) as input_tokens,
  sum(coalesce(output_tokens, 0) + coalesce(reasoning_tokens, 0)) as output_tokens,
  sum(coalesce(cost_micros, 0)) as cost_micros`);
const rollupTotals = sql.raw(`sum(requests) as requests, sum(errors) as errors,
  sum(input_tokens + cache_read_tokens + cache_write_tokens) as input_tokens,
  sum(output_tokens + reasoning_tokens) as output_tokens, sum(cost_micros) as cost_micros`);

type Numeric = number | string | bigint | null;
type TotalsColumns = { requests: Numeric; errors: Numeric; input_tokens: Numeric; output_tokens: Numeric; cost_micros: Numeric };

// PostgreSQL hands sums of bigint back as strings.
function totalsOf(columns: TotalsColumns): UsageTotals {
  return {
    requests: Number(columns.requests ?? 0),
    errors: Number(columns.errors ?? 0),
    inputTokens: Number(columns.input_tokens ?? 0),
    outputTokens: Number(columns.output_tokens ?? 0),
    costMicros: Number(columns.cost_micros ?? 0),
  };
}

function emptyTotals(): UsageTotals {
  return { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, costMicros: 0 };
}

function addTotals(into: UsageTotals, more: UsageTotals): void {
  into.requests += more.requests;
  into.errors += more.errors;
  into.inputTokens += more.inputTokens;
  into.outputTokens += more.outputTokens;
  into.costMicros += more.costMicros;
}

/** Sums rows by value over all buckets: most spent first (then most requests), at most `limit` values. */
function topValues(rows: Array<TotalsColumns & { value: string | null }>, limit: number): BreakdownRow[] {
  const sums = new Map<string | null, BreakdownRow>();
  for (const row of rows) {
    let line = sums.get(row.value);
    if (line === undefined) {
      line = { value: row.value, ...emptyTotals() };
      sums.set(row.value, line);
    }
    addTotals(line, totalsOf(row));
  }
  return [...sums.values()].sort((left, right) => right.costMicros - left.costMicros || right.requests - left.requests).slice(0, limit);
}

// Both the ledger and the rollups carry organisation_id and workspace_id (the rollups '' for none).
function scopeFilter(scope: AnalyticsScope): RawBuilder<unknown> {
  if (scope.workspaceId !== undefined) return sql`and workspace_id = ${scope.workspaceId}`;
  if (scope.organisationId !== undefined) return sql`and organisation_id = ${scope.organisationId}`;
  return sql``;
}

/**
 * The dashboard's aggregate queries over the usage ledger and its daily rollups, in SQL that runs on SQLite
 * and PostgreSQL alike. Every query is bounded by the time index (or the rollup's day key), and latency
 * percentiles come from a bounded sample taken with index probes, so the cost does not grow with the rows
 * stored: see docs/dashboard.md for the measured times at one million requests.
 */
export class SqlAnalytics {
  private readonly reads: Kysely<DatabaseSchema>;

  private readonly budget: SampleBudget;

  private readonly sqlite: boolean;

  constructor(database: { kysely: Kysely<DatabaseSchema>; reader?: Kysely<DatabaseSchema>; sqlite?: unknown }, budget: SampleBudget = defaultSampleBudget) {
    this.reads = database.reader ?? database.kysely;
    this.budget = budget;
    this.sqlite = database.sqlite !== undefined;
  }

  async overview(query: OverviewQuery, source: 'ledger' | 'rollup'): Promise<AnalyticsOverview> {
    const counted = source === 'ledger' ? await this.ledgerCounters(query) : await this.rollupCounters(query);
    const series: SeriesBucket[] = [];
    const totals = emptyTotals();
    const latencies: WeightedValue[] = [];
    const firstTokens: WeightedValue[] = [];
    const buckets = Math.ceil((query.until - query.since) / query.bucketMs);
    const nonEmpty = [...counted.byBucket.values()].filter((counters) => counters.requests > 0).length;
    const probesPerBucket = Math.max(1, Math.floor(this.budget.probes / Math.max(1, nonEmpty)));
    const samples = await this.sampleBuckets(query, counted.byBucket, probesPerBucket);
    for (let index = 0; index < buckets; index += 1) {
      const counters = counted.byBucket.get(index) ?? emptyTotals();
      const sample = samples.get(index) ?? { latencies: [], firstTokens: [] };
      addTotals(totals, counters);
      // Each sampled row stands for its share of the bucket's requests.
      const weight = sample.latencies.length === 0 ? 1 : counters.requests / sample.latencies.length;
      const bucketLatencies = sample.latencies.map((value) => ({ value, weight }));
      const bucketFirstTokens = sample.firstTokens.map((value) => ({ value, weight }));
      latencies.push(...bucketLatencies);
      firstTokens.push(...bucketFirstTokens);
      series.push({ start: query.since + index * query.bucketMs, ...counters, latencyMs: weightedPercentiles(bucketLatencies), timeToFirstTokenMs: weightedPercentiles(bucketFirstTokens) });
    }
    return {
      since: query.since,
      until: query.until,
      bucketMs: query.bucketMs,
      groupBy: query.groupBy,
      source,
      totals: { ...totals, latencyMs: weightedPercentiles(latencies), timeToFirstTokenMs: weightedPercentiles(firstTokens), sampled: latencies.length },
      series,
      breakdown: counted.breakdown,
      topSpenders: counted.topSpenders,
    };
  }

  private async ledgerCounters(query: OverviewQuery): Promise<{ byBucket: Map<number, UsageTotals>; breakdown: BreakdownRow[]; topSpenders: BreakdownRow[] }> {
    // Counting through the time index reads the index alone (cheap). When the range holds a large share of
    // the rows, SQLite's planner would still walk the index and fetch each row from the table, several times
    // slower than reading the table in order: `+timestamp` keeps it off the index. (PostgreSQL's planner
    // makes that choice itself from its statistics.)
    const counted = await sql<{ requests: Numeric }>`
      select count(*) as requests from usage_ledger
      where timestamp >= ${query.since} and timestamp < ${query.until} ${scopeFilter(query.scope)}`.execute(this.reads);
    const wide = this.sqlite && Number(counted.rows[0]?.requests ?? 0) > (this.budget.sequentialScanAboveRows ?? Number.POSITIVE_INFINITY);
    const time = sql.raw(wide ? '+timestamp' : 'timestamp');
    const range = sql`${time} >= ${query.since} and ${time} < ${query.until} ${scopeFilter(query.scope)}`;
    // One pass per dimension, grouped by bucket and value: summed over values it is the series, over buckets
    // the breakdown. Grouping by key gives the top spenders, and is the breakdown too when asked by key.
    const byBucketAndValue = (dimension: BreakdownDimension) =>
      sql<TotalsColumns & { bucket: Numeric; value: string | null }>`
        select cast((timestamp - ${query.since}) / ${query.bucketMs} as integer) as bucket, ${sql.raw(ledgerDimension[dimension])} as value, ${ledgerTotals}
        from usage_ledger where ${range} group by 1, 2`.execute(this.reads);
    // PostgreSQL runs the two on separate pool connections at once; SQLite one after the other.
    const [asked, byKey] = await Promise.all([byBucketAndValue(query.groupBy), query.groupBy === 'key' ? undefined : byBucketAndValue('key')]);
    const byBucket = new Map<number, UsageTotals>();
    for (const row of asked.rows) {
      const bucket = Math.floor(Number(row.bucket));
      const totals = byBucket.get(bucket) ?? emptyTotals();
      addTotals(totals, totalsOf(row));
      byBucket.set(bucket, totals);
    }
    return { byBucket, breakdown: topValues(asked.rows, breakdownLimit), topSpenders: topValues((byKey ?? asked).rows, topSpenderLimit) };
  }

  private async rollupCounters(query: OverviewQuery): Promise<{ byBucket: Map<number, UsageTotals>; breakdown: BreakdownRow[]; topSpenders: BreakdownRow[] }> {
    // Every request adds once to each dimension's rollup, so one dimension's sum per day is the day's total.
    const days = sql`day >= ${dayOf(query.since)} and day < ${dayOf(query.until)} ${scopeFilter(query.scope)}`;
    const seriesRows = await sql<TotalsColumns & { day: string }>`
      select day, ${rollupTotals} from usage_rollups where dimension = 'workspace' and ${days} group by day`.execute(this.reads);
    const grouped = (dimension: BreakdownDimension, limit: number) =>
      sql<TotalsColumns & { value: string }>`
        select value, ${rollupTotals} from usage_rollups where dimension = ${dimension} and ${days}
        group by value order by cost_micros desc, requests desc limit ${limit}`.execute(this.reads);
    const [breakdown, spenders] = await Promise.all([grouped(query.groupBy, breakdownLimit), grouped('key', topSpenderLimit)]);
    const rowsOf = (rows: Array<TotalsColumns & { value: string }>) => rows.map((row) => ({ value: row.value === '' ? null : row.value, ...totalsOf(row) }));
    return {
      byBucket: new Map(seriesRows.rows.map((row) => [Math.floor((Date.parse(`${row.day}T00:00:00Z`) - query.since) / query.bucketMs), totalsOf(row)])),
      breakdown: rowsOf(breakdown.rows),
      topSpenders: rowsOf(spenders.rows),
    };
  }

  /**
   * Reads up to `rowsPerProbe` rows at evenly spaced points of each busy bucket, through the time index: a
   * bucket with few rows is read whole (exact percentiles), a busy one costs the same as a quiet one.
   */
  private async sampleBuckets(query: OverviewQuery, byBucket: Map<number, UsageTotals>, probesPerBucket: number): Promise<Map<number, { latencies: number[]; firstTokens: number[] }>> {
    const probes: Array<{ bucket: number; from: number; to: number }> = [];
    for (const [bucket, counters] of byBucket) {
      if (counters.requests === 0) continue;
      const start = query.since + bucket * query.bucketMs;
      const end = Math.min(start + query.bucketMs, query.until);
      const count = Math.min(probesPerBucket, Math.ceil(counters.requests / this.budget.rowsPerProbe));
      const width = (end - start) / count;
      for (let probe = 0; probe < count; probe += 1) {
        probes.push({ bucket, from: Math.floor(start + probe * width), to: probe === count - 1 ? end : Math.floor(start + (probe + 1) * width) });
      }
    }
    const samples = new Map<number, { latencies: number[]; firstTokens: number[] }>();
    const scope = scopeFilter(query.scope);
    // Several probes go in one statement (UNION ALL of limited subqueries), so the cost is the rows read,
    // not a round trip per probe.
    const batches: Array<typeof probes> = [];
    for (let first = 0; first < probes.length; first += probesPerStatement) batches.push(probes.slice(first, first + probesPerStatement));
    for (let first = 0; first < batches.length; first += probeConcurrency) {
      const results = await Promise.all(
        batches.slice(first, first + probeConcurrency).map((batch) => {
          const parts = batch.map(
            (probe) => sql`select * from (select cast(${probe.bucket} as integer) as bucket, latency_ms, time_to_first_token_ms from usage_ledger
              where timestamp >= ${probe.from} and timestamp < ${probe.to} ${scope} order by timestamp limit ${this.budget.rowsPerProbe}) as probe`,
          );
          return sql<{ bucket: Numeric; latency_ms: Numeric; time_to_first_token_ms: Numeric }>`${sql.join(parts, sql` union all `)}`.execute(this.reads);
        }),
      );
      for (const result of results) {
        for (const row of result.rows) {
          const bucket = Number(row.bucket);
          let sample = samples.get(bucket);
          if (sample === undefined) {
            sample = { latencies: [], firstTokens: [] };
            samples.set(bucket, sample);
          }
          sample.latencies.push(Number(row.latency_ms));
          if (row.time_to_first_token_ms !== null) sample.firstTokens.push(Number(row.time_to_first_token_ms));
        }
      }
    }
    return samples;
  }
}
