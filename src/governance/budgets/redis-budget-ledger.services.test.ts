import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budget, describeBudgetLedgerContract } from './budget-ledger-contract.js';
import { RedisBudgetLedger } from './redis-budget-ledger.js';

const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const runPrefix = `switchyard-test:{budgets-${randomUUID().slice(0, 8)}}:`;
let fixtureCount = 0;

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

// Two connections per fixture: the two replicas of the concurrency tests talk to Redis independently.
describeBudgetLedgerContract('Redis', async (options) => {
  fixtureCount += 1;
  const keyPrefix = `${runPrefix}${fixtureCount}:`;
  const first = new Redis(redisUrl, { lazyConnect: true });
  const second = new Redis(redisUrl, { lazyConnect: true });
  await Promise.all([first.connect(), second.connect()]);
  return {
    ledger: new RedisBudgetLedger({ ...options, redis: first, keyPrefix }),
    peer: new RedisBudgetLedger({ ...options, redis: second, keyPrefix }),
    dispose: async () => {
      await deleteKeys(first, keyPrefix);
      await Promise.all([first.quit(), second.quit()]);
    },
  };
});

describe('RedisBudgetLedger on Redis', () => {
  let redis: Redis;
  const keyPrefix = `${runPrefix}extra:`;
  const now = Date.UTC(2030, 3, 16, 10);

  beforeAll(async () => {
    redis = new Redis(redisUrl, { lazyConnect: true });
    await redis.connect();
  });
  afterAll(async () => {
    await deleteKeys(redis, runPrefix);
    await redis.quit();
  });

  it('keeps amounts beyond Lua number formatting exact (10^15 micro-dollars)', async () => {
    const ledger = new RedisBudgetLedger({ redis, keyPrefix });
    const huge = budget({ id: 'budget-huge', limitMicros: 4_000_000_000_000_000 });
    const outcome = await ledger.reserve([huge], 1_000_000_000_000_001, now);
    if (!outcome.admitted) throw new Error('refused');
    await ledger.settle(outcome.reservation, 1_234_567_890_123_457, [huge], now);
    expect(await ledger.states([huge], now)).toMatchObject([{ spentMicros: 1_234_567_890_123_457, reservedMicros: 0 }]);
  });

  it('expires its keys after the period is over, not before', async () => {
    const ledger = new RedisBudgetLedger({ redis, keyPrefix, reservationTtlMs: 60_000 });
    const daily = budget({ id: 'budget-ttl', period: 'day' });
    const outcome = await ledger.reserve([daily], 10, now);
    if (!outcome.admitted) throw new Error('refused');
    const counter = `${keyPrefix}budget-ttl:${Date.UTC(2030, 3, 16)}`;
    const ttl = await redis.pttl(counter);
    const untilPeriodEnd = Date.UTC(2030, 3, 17) - now;
    expect(ttl).toBeGreaterThan(untilPeriodEnd);
    expect(ttl).toBeLessThanOrEqual(untilPeriodEnd + 60_000 + 86_400_000);
    expect(await redis.pttl(`${counter}:leases`)).toBeGreaterThan(untilPeriodEnd);
  });

  it('refuses with service_unavailable, naming no address, when Redis is unreachable', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    const ledger = new RedisBudgetLedger({ redis: unreachable, keyPrefix });
    const error = await ledger.reserve([budget()], 10, now).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'service_unavailable', status: 503 });
    expect((error as Error).message).not.toContain('127.0.0.1');
    unreachable.disconnect();
  });
});
