import { afterEach, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../ledger-row.js';
import type { OverviewQuery } from './analytics-types.js';
import type { SampleBudget, SqlAnalytics } from './sql-analytics.js';

/** A fresh store with the analytics over it, and a way to add ledger rows (through the real ledger append). */
export interface AnalyticsFixture {
  analytics(budget?: SampleBudget): Pick<SqlAnalytics, 'overview'>;
  append(rows: LedgerRow[]): Promise<void>;
  dispose(): Promise<void>;
}

const hour = 3_600_000;
const day = 86_400_000;
// 2026-03-10T00:00:00Z
const midnight = Date.UTC(2026, 2, 10);

let sequence = 0;
function row(overrides: Partial<LedgerRow>): LedgerRow {
  sequence += 1;
  return {
    id: `req_${sequence}`,
    timestamp: midnight,
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'gpt-4o-mini',
    servedProvider: 'openai',
    servedModel: 'gpt-4o-mini',
    stream: false,
    status: 'ok',
    httpStatus: 200,
    attempts: [],
    latencyMs: 100,
    usageSource: 'provider',
    inputTokens: 10,
    outputTokens: 5,
    costMicros: 100,
    organisationId: 'org_1',
    workspaceId: 'ws_a',
    keyId: 'key_a',
    teamId: 'team_a',
    ...overrides,
  };
}

function query(overrides: Partial<OverviewQuery>): OverviewQuery {
  return { since: midnight, until: midnight + 3 * hour, bucketMs: hour, groupBy: 'model', scope: {}, ...overrides };
}

/** The aggregate queries' behaviour, run on every SQL store (SQLite in the default suite, PostgreSQL in services). */
export function describeAnalyticsContract(name: string, open: () => Promise<AnalyticsFixture>): void {
  describe(`dashboard analytics on ${name}`, () => {
    let fixture: AnalyticsFixture | undefined;
    const start = async () => {
      fixture = await open();
      return fixture;
    };
    afterEach(async () => {
      await fixture?.dispose();
      fixture = undefined;
    });

    it('sums requests, errors, tokens and cost per bucket, with exact percentiles on few rows', async () => {
      const store = await start();
      await store.append([
        row({ timestamp: midnight + 10, latencyMs: 100, timeToFirstTokenMs: 40 }),
        row({ timestamp: midnight + 20, latencyMs: 300, timeToFirstTokenMs: 80, cacheReadTokens: 4, reasoningTokens: 2 }),
        row({ timestamp: midnight + 2 * hour + 5, latencyMs: 900, status: 'error', httpStatus: 502, errorCode: 'upstream_error', costMicros: undefined, inputTokens: undefined, outputTokens: undefined }),
        // outside the range
        row({ timestamp: midnight + 3 * hour, costMicros: 1_000_000 }),
      ]);
      const overview = await store.analytics().overview(query({}), 'ledger');
      expect(overview.series.map((bucket) => [bucket.start, bucket.requests, bucket.errors])).toEqual([
        [midnight, 2, 0],
        [midnight + hour, 0, 0],
        [midnight + 2 * hour, 1, 1],
      ]);
      expect(overview.series[0]).toMatchObject({ inputTokens: 24, outputTokens: 12, costMicros: 200, latencyMs: { p50: 100, p95: 300, p99: 300 }, timeToFirstTokenMs: { p50: 40, p95: 80 } });
      expect(overview.series[1].latencyMs).toEqual({ p50: null, p95: null, p99: null });
      expect(overview.totals).toMatchObject({ requests: 3, errors: 1, costMicros: 200, sampled: 3, latencyMs: { p50: 300, p99: 900 } });
    });

    it('breaks down by the asked dimension, most spent first, with the top spending keys', async () => {
      const store = await start();
      await store.append([
        row({ servedModel: 'cheap', costMicros: 10, keyId: 'key_a' }),
        row({ servedModel: 'cheap', costMicros: 10, keyId: 'key_a' }),
        row({ servedModel: 'dear', costMicros: 500, keyId: 'key_b', teamId: 'team_b' }),
        row({ servedModel: undefined, requestedModel: 'unknown-model', status: 'error', costMicros: undefined, keyId: undefined, teamId: undefined }),
      ]);
      const byModel = await store.analytics().overview(query({}), 'ledger');
      expect(byModel.breakdown.map((line) => [line.value, line.requests, line.costMicros])).toEqual([
        ['dear', 1, 500],
        ['cheap', 2, 20],
        ['unknown-model', 1, 0],
      ]);
      expect(byModel.topSpenders.map((line) => [line.value, line.costMicros])).toEqual([
        ['key_b', 500],
        ['key_a', 20],
        [null, 0],
      ]);
      const byTeam = await store.analytics().overview(query({ groupBy: 'team' }), 'ledger');
      expect(byTeam.breakdown.map((line) => [line.value, line.requests])).toEqual([
        ['team_b', 1],
        ['team_a', 2],
        [null, 1],
      ]);
    });

    it('sees only the workspace or organisation it is scoped to', async () => {
      const store = await start();
      await store.append([row({ workspaceId: 'ws_a' }), row({ workspaceId: 'ws_b' }), row({ workspaceId: 'ws_b', organisationId: 'org_2' })]);
      const analytics = store.analytics();
      expect((await analytics.overview(query({ scope: { workspaceId: 'ws_b' } }), 'ledger')).totals.requests).toBe(2);
      expect((await analytics.overview(query({ scope: { organisationId: 'org_1' } }), 'ledger')).totals.requests).toBe(2);
      expect((await analytics.overview(query({ scope: {} }), 'ledger')).totals.requests).toBe(3);
    });

    it('answers long ranges from the daily rollups, one bucket a day', async () => {
      const store = await start();
      await store.append([
        row({ timestamp: midnight + hour, costMicros: 100 }),
        row({ timestamp: midnight + 2 * day + hour, costMicros: 300, teamId: 'team_b' }),
        row({ timestamp: midnight + 2 * day + 2 * hour, costMicros: 50, status: 'error', workspaceId: 'ws_b' }),
      ]);
      const overview = await store.analytics().overview(query({ since: midnight, until: midnight + 4 * day, bucketMs: day, groupBy: 'team' }), 'rollup');
      expect(overview.source).toBe('rollup');
      expect(overview.series.map((bucket) => [bucket.requests, bucket.errors, bucket.costMicros])).toEqual([
        [1, 0, 100],
        [0, 0, 0],
        [2, 1, 350],
        [0, 0, 0],
      ]);
      expect(overview.breakdown.map((line) => [line.value, line.costMicros])).toEqual([
        ['team_b', 300],
        ['team_a', 150],
      ]);
      // Percentiles still come from the ledger rows of those days.
      expect(overview.totals.sampled).toBe(3);
      const scoped = await store.analytics().overview(query({ since: midnight, until: midnight + 4 * day, bucketMs: day, scope: { workspaceId: 'ws_b' } }), 'rollup');
      expect(scoped.totals).toMatchObject({ requests: 1, costMicros: 50 });
    });

    it('reads a bounded sample of a busy bucket, and its percentiles stay close', async () => {
      const store = await start();
      // Latencies 1..400 ms spread over one hour.
      await store.append(Array.from({ length: 400 }, (_, index) => row({ timestamp: midnight + index * 9_000, latencyMs: ((index * 37) % 400) + 1 })));
      // A low scan threshold also takes SQLite's table-order path for the counters.
      const overview = await store.analytics({ probes: 8, rowsPerProbe: 10, sequentialScanAboveRows: 100 }).overview(query({ until: midnight + hour, groupBy: 'key' }), 'ledger');
      expect(overview.totals.requests).toBe(400);
      expect(overview.breakdown).toEqual([{ value: 'key_a', requests: 400, errors: 0, inputTokens: 4000, outputTokens: 2000, costMicros: 40_000 }]);
      expect(overview.topSpenders).toEqual(overview.breakdown);
      expect(overview.totals.sampled).toBe(80);
      expect(overview.totals.latencyMs.p50).toBeGreaterThan(120);
      expect(overview.totals.latencyMs.p50).toBeLessThan(280);
      expect(overview.totals.latencyMs.p99).toBeGreaterThan(340);
    });
  });
}
