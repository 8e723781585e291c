import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteTestDatabase } from '../../../test/support/sqlite-test-database.js';
import { deleteKeysWithPrefix, redisTestUrl, uniqueRedisPrefix } from '../../db/test-support/redis-test-connection.js';
import { silentLogger } from '../../kit/silent-logger.js';
import type { LedgerRow } from '../ledger-row.js';
import { ledgerRow } from '../usage-ledger-contract.js';
import { AlertEvaluator, type AlertNotice } from './alert-evaluator.js';
import { alertRuleFieldsSchema, type AlertRule } from './alert-rule.js';
import { RedisSharedWindow } from './redis-shared-window.js';
import { RequestWindow } from './request-window.js';
import { SqlAlertStore } from './sql-alert-store.js';

const start = Date.UTC(2026, 10, 27, 8, 0, 0);
const bucketMs = 10_000;
let sequence = 0;

function request(atMs: number, changes: Partial<LedgerRow> = {}): LedgerRow {
  sequence += 1;
  return ledgerRow({ id: `req_${sequence}`, timestamp: atMs, organisationId: 'org_a', workspaceId: 'ws_a', ...changes });
}

function rule(fields: Record<string, unknown>): AlertRule {
  return { ...alertRuleFieldsSchema.parse({ name: 'rule', windowMs: 60_000, ...fields }), id: `alr_${(sequence += 1)}`, organisationId: 'org_a', createdAt: start, updatedAt: start };
}

const tracked = { everyone: new Set<never>(), organisation: new Set(['all', 'model', 'key'] as const), workspace: new Set<never>() };
const owner = { kind: 'organisation', id: 'org_a' } as const;

describe('RedisSharedWindow: two replicas, one Redis', () => {
  let redis: Redis;
  let keyPrefix: string;
  let replicas: RedisSharedWindow[];

  beforeAll(() => {
    redis = new Redis(redisTestUrl);
  });
  afterAll(async () => {
    await redis.quit();
  });
  beforeEach(() => {
    keyPrefix = uniqueRedisPrefix('alerts');
    replicas = [new RedisSharedWindow({ redis, keyPrefix, bucketMs }), new RedisSharedWindow({ redis, keyPrefix, bucketMs })];
    for (const replica of replicas) replica.track(tracked);
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(redis, keyPrefix);
  });

  it('gives every replica the sum of all replicas’ requests, latencies and costs', async () => {
    // The reference: one window that saw every request, as a single replica would have.
    const whole = new RequestWindow(bucketMs);
    whole.track(tracked);
    for (let index = 0; index < 300; index += 1) {
      const row = request(start - 50_000 + index * 150, {
        status: index % 7 === 0 ? 'error' : 'ok',
        latencyMs: 20 + (index % 50) * 9,
        timeToFirstTokenMs: index % 3 === 0 ? 5 + index : undefined,
        costMicros: 100 + index,
        servedModel: index % 2 === 0 ? 'gpt-4o' : 'claude-sonnet',
        keyId: `key_${index % 5}`,
      });
      replicas[index % 2]!.record(row);
      whole.record(row);
    }
    for (const replica of replicas) await replica.refresh(start, 60_000);
    // The first replica exported before the second: it sees the second's counts from its next refresh on.
    await replicas[0]!.refresh(start, 60_000);
    for (const replica of replicas) {
      expect(replica.summarise(owner, 'all', '', start, 60_000)).toEqual(whole.summarise(owner, 'all', '', start, 60_000));
      expect(replica.valuesOf(owner, 'model').sort()).toEqual(['claude-sonnet', 'gpt-4o']);
      expect(replica.valuesOf(owner, 'key').sort()).toEqual(['key_0', 'key_1', 'key_2', 'key_3', 'key_4']);
      for (const model of ['gpt-4o', 'claude-sonnet']) expect(replica.summarise(owner, 'model', model, start, 30_000)).toEqual(whole.summarise(owner, 'model', model, start, 30_000));
    }
    // Counted once: exporting again adds nothing new.
    await replicas[1]!.refresh(start, 60_000);
    expect(replicas[1]!.summarise(owner, 'all', '', start, 60_000).requests).toBe(300);
  });

  it('drops buckets older than the longest window from Redis, and values no replica has written since', async () => {
    replicas[0]!.record(request(start - 5_000, { keyId: 'key_old' }));
    await replicas[0]!.refresh(start, 60_000);
    expect(replicas[0]!.valuesOf(owner, 'key')).toEqual(['key_old']);
    const later = start + 120_000;
    replicas[1]!.record(request(later - 1_000, { keyId: 'key_new' }));
    await replicas[1]!.refresh(later, 60_000);
    expect(replicas[1]!.summarise(owner, 'key', 'key_old', later, 60_000).requests).toBe(0);
    const series = await redis.keys(`${keyPrefix}alerts:series:organisation:org_a:key:key_old`);
    expect(series.length === 0 || (await redis.hlen(series[0]!)) === 0).toBe(true);
    await replicas[1]!.refresh(later, 60_000);
    expect(replicas[1]!.valuesOf(owner, 'key')).toEqual(['key_new']);
  });

  it('fires a count rule on the cluster’s traffic that neither replica sees alone, and only once', async () => {
    const fixture = await openSqliteTestDatabase('shared-window-alerts');
    const store = new SqlAlertStore(fixture.database);
    const notices: AlertNotice[][] = [[], []];
    const evaluators = replicas.map((window, index) => new AlertEvaluator({ window, store, notify: (notice) => notices[index]!.push(notice), now: () => start, logger: silentLogger }));
    try {
      const busy = rule({ metric: 'request_count', threshold: 150, comparison: 'gt' });
      for (const evaluator of evaluators) evaluator.setRules([busy]);
      for (let index = 0; index < 200; index += 1) replicas[index % 2]!.record(request(start - 30_000 + index * 100));
      await evaluators[0]!.evaluate();
      await evaluators[1]!.evaluate();
      await evaluators[0]!.evaluate();
      // 100 requests each, 200 together: above 150 only across both, announced by one replica.
      expect([...notices[0]!, ...notices[1]!].map((notice) => [notice.kind, notice.alert.value])).toEqual([['firing', 200]]);
    } finally {
      for (const evaluator of evaluators) await evaluator.stop();
      await fixture.dispose();
    }
  });

  it('keeps the counts when Redis cannot be reached, and sends them with the next refresh', async () => {
    const flaky = new Redis(redisTestUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    flaky.on('error', () => undefined);
    await flaky.connect();
    // Closed, with no offline queue: every command fails at once, as during an outage.
    const ended = new Promise<void>((resolve) => flaky.once('end', () => resolve()));
    flaky.disconnect();
    await ended;
    const window = new RedisSharedWindow({ redis: flaky, keyPrefix, bucketMs });
    window.track(tracked);
    try {
      for (let index = 0; index < 10; index += 1) window.record(request(start - 1_000));
      await expect(window.refresh(start, 60_000)).rejects.toThrow();
      window.record(request(start - 500));
      await flaky.connect();
      await window.refresh(start, 60_000);
      expect(window.summarise(owner, 'all', '', start, 60_000).requests).toBe(11);
    } finally {
      flaky.disconnect();
    }
  });
});
