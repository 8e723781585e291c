import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../observatory/ledger-row.js';
import { SeriesAggregator } from './series-aggregator.js';

const start = Date.UTC(2026, 0, 5, 12);

function row(overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id: `req_${Math.random()}`,
    timestamp: start,
    keyId: 'key_a',
    teamId: 'team_a',
    dialect: 'openai',
    operation: 'chat',
    requestedModel: 'chat',
    servedProvider: 'upstream',
    servedModel: 'model-x',
    deploymentId: 'dep_a',
    stream: false,
    status: 'ok',
    httpStatus: 200,
    attempts: [],
    latencyMs: 1000,
    timeToFirstTokenMs: 200,
    inputTokens: 80,
    outputTokens: 20,
    usageSource: 'provider',
    costMicros: 300,
    ...overrides,
  };
}

function valuesOf(points: ReadonlyArray<{ series: string; value: number; samples: number }>): Record<string, [number, number]> {
  return Object.fromEntries(points.map((point) => [point.series, [point.value, point.samples]]));
}

describe('SeriesAggregator', () => {
  it('turns a bucket of requests into deployment, key and team series', () => {
    const aggregator = new SeriesAggregator({ bucketMs: 30_000 });
    aggregator.add(row({ latencyMs: 1000 }), start + 1_000);
    aggregator.add(row({ latencyMs: 3000, timeToFirstTokenMs: 400, keyId: 'key_b' }), start + 2_000);
    aggregator.add(row({ status: 'error', httpStatus: 503, errorCode: 'upstream_unavailable', latencyMs: 50, timeToFirstTokenMs: undefined, inputTokens: undefined, outputTokens: undefined, costMicros: undefined }), start + 3_000);
    // A request refused before routing counts toward its key's offered load, not toward any deployment.
    aggregator.add(row({ deploymentId: undefined, status: 'error', httpStatus: 429, errorCode: 'rate_limited', costMicros: undefined, inputTokens: undefined, outputTokens: undefined }), start + 4_000);
    expect(aggregator.drain(start + 29_999)).toEqual([]);

    const [bucket] = aggregator.drain(start + 30_000);
    expect(bucket.bucketStart).toBe(start);
    expect(valuesOf(bucket.points)).toEqual({
      'latency|deployment|dep_a': [2000, 2],
      'time_to_first_token|deployment|dep_a': [300, 2],
      'error_rate|deployment|dep_a': [1 / 3, 3],
      'error_rate|deployment|dep_a|upstream_unavailable': [1 / 3, 3],
      'spend_rate|key|key_a': [300, 3],
      'token_rate|key|key_a': [100, 3],
      'request_rate|key|key_a': [3, 3],
      'spend_rate|key|key_b': [300, 1],
      'token_rate|key|key_b': [100, 1],
      'request_rate|key|key_b': [1, 1],
      'spend_rate|team|team_a': [600, 4],
      'token_rate|team|team_a': [200, 4],
      'request_rate|team|team_a': [4, 4],
    });
    expect(aggregator.subjects().get('deployment|dep_a')).toEqual({ dimension: 'deployment', subject: 'dep_a', provider: 'upstream', model: 'model-x' });
    expect(aggregator.subjects().get('key|key_b')).toEqual({ dimension: 'key', subject: 'key_b', teamId: 'team_a' });
  });

  it('gives counting series an explicit zero for quiet buckets, and per-code error series a zero rate', () => {
    const aggregator = new SeriesAggregator({ bucketMs: 30_000 });
    aggregator.add(row({ status: 'error', errorCode: 'upstream_error' }), start + 1_000);
    aggregator.add(row(), start + 61_000);
    const buckets = aggregator.drain(start + 90_000);
    expect(buckets.map((bucket) => bucket.bucketStart)).toEqual([start, start + 30_000, start + 60_000]);
    const quiet = valuesOf(buckets[1].points);
    expect(quiet['request_rate|key|key_a']).toEqual([0, 0]);
    expect(quiet['spend_rate|team|team_a']).toEqual([0, 0]);
    // No requests: no latency or error rate to speak of.
    expect(quiet['latency|deployment|dep_a']).toBeUndefined();
    expect(valuesOf(buckets[2].points)['error_rate|deployment|dep_a|upstream_error']).toEqual([0, 1]);
  });

  it('stops tracking new subjects beyond its bound and counts what it left out', () => {
    const aggregator = new SeriesAggregator({ bucketMs: 30_000, maxSubjects: 3 });
    aggregator.add(row(), start);
    aggregator.add(row({ keyId: 'key_other', teamId: undefined, deploymentId: undefined }), start);
    expect(aggregator.droppedRows).toBe(1);
    expect([...aggregator.subjects().keys()].sort()).toEqual(['deployment|dep_a', 'key|key_a', 'team|team_a']);
  });
});
