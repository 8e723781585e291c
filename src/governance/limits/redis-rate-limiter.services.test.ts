import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../spec/index.js';
import type { LimitAlgorithm } from './rate-limiter.js';
import { describeRateLimiterContract, limitRule } from './rate-limiter-contract.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { RedisScript } from '../../db/redis-script.js';

// Redis on 127.0.0.1:6379 (CI starts it). Every key of this run sits under its own prefix, deleted at the end.
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `switchyard-test:${randomUUID().slice(0, 8)}:`;
const start = Date.UTC(2026, 10, 20, 12);
let admin: Redis;

async function keysOfThisRun(): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...page);
  } while (cursor !== '0');
  return keys;
}

beforeAll(() => {
  admin = new Redis(redisUrl);
});
afterAll(async () => {
  const keys = await keysOfThisRun();
  if (keys.length > 0) await admin.del(...keys);
  await admin.quit();
});

describeRateLimiterContract('Redis', async () => ({ limiter: new RedisRateLimiter({ redis: redisUrl, keyPrefix }) }));

describe('RedisRateLimiter', () => {
  for (const algorithm of ['sliding-window', 'token-bucket'] as const satisfies readonly LimitAlgorithm[]) {
    it(`admits exactly the limit across two instances on separate connections (${algorithm})`, async () => {
      const first = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
      const second = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
      try {
        const rule = limitRule({ algorithm, limit: 50, windowMs: 60_000 });
        const tokens = limitRule({ algorithm, name: 'tokens', metric: 'tokens', limit: 1_000_000, windowMs: 60_000 });
        const decisions = await Promise.all(
          Array.from({ length: 200 }, (_, index) =>
            (index % 2 === 0 ? first : second).consume([{ rule: tokens, cost: 10 }, { rule, cost: 1 }], start),
          ),
        );
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(50);
        // The refused 150 took nothing from the token counter either.
        const check = await first.consume([{ rule: tokens, cost: 0 }], start);
        expect(check.statuses[0]!.remaining).toBe(1_000_000 - 50 * 10);
      } finally {
        await first.close();
        await second.close();
      }
    });
  }

  it('holds a concurrency limit exactly across two instances', async () => {
    const first = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    const second = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      const counter = limitRule().counter;
      const decisions = await Promise.all(
        Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? first : second).acquire(counter, 10, 60_000, start)),
      );
      const held = decisions.filter((decision) => decision.allowed);
      expect(held).toHaveLength(10);
      await Promise.all(held.map((decision) => decision.lease!.release()));
      // Every lease released: the slot set is gone rather than left empty.
      expect(await admin.exists(`${keyPrefix}concurrency:${counter}`)).toBe(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('gives every key it writes a TTL that ends once the counter is fresh again', async () => {
    const client = new Redis(redisUrl);
    const limiter = new RedisRateLimiter({ redis: client, keyPrefix });
    try {
      const window = limitRule({ limit: 10, windowMs: 30_000 });
      const bucket = limitRule({ algorithm: 'token-bucket', limit: 10, windowMs: 10_000 });
      await limiter.consume([{ rule: window, cost: 1 }, { rule: bucket, cost: 5 }], Date.now());
      await limiter.acquire(window.counter, 3, 20_000, Date.now());
      const keys = [
        `${keyPrefix}sliding-window:${window.counter}`,
        `${keyPrefix}sliding-window-total:${window.counter}`,
        `${keyPrefix}token-bucket:${bucket.counter}`,
        `${keyPrefix}concurrency:${window.counter}`,
      ];
      const ttls = await Promise.all(keys.map((key) => client.pttl(key)));
      // Window: 30 s (+1 s margin); bucket: 5 units at one per second (+1 s); lease 20 s (+1 s).
      const expected = [31_000, 31_000, 6_000, 21_000];
      ttls.forEach((ttl, index) => {
        expect(ttl).toBeGreaterThan(expected[index]! - 2_000);
        expect(ttl).toBeLessThanOrEqual(expected[index]!);
      });
    } finally {
      await limiter.close();
      // The client was lent to the limiter, which leaves it open for its owner.
      expect(client.status).toBe('ready');
      await client.quit();
    }
  });

  it('drops what left a sliding window from Redis, not only from the count', async () => {
    const client = new Redis(redisUrl);
    const limiter = new RedisRateLimiter({ redis: client, keyPrefix });
    try {
      const rule = limitRule({ limit: 100, windowMs: 1_000 });
      for (let index = 0; index < 20; index += 1) await limiter.consume([{ rule, cost: 1 }], start + index);
      await limiter.consume([{ rule, cost: 1 }], start + 1_010);
      expect(await client.zcard(`${keyPrefix}sliding-window:${rule.counter}`)).toBe(10);
      const status = await limiter.consume([{ rule, cost: 0 }], start + 1_010);
      expect(status.statuses[0]!.remaining).toBe(90);
    } finally {
      await limiter.close();
      await client.quit();
    }
  });

  it('recounts a window whose running total was lost', async () => {
    const limiter = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      const rule = limitRule({ limit: 5, windowMs: 60_000 });
      await limiter.consume([{ rule, cost: 3 }], start);
      await admin.del(`${keyPrefix}sliding-window-total:${rule.counter}`);
      expect((await limiter.consume([{ rule, cost: 3 }], start + 1)).allowed).toBe(false);
      expect((await limiter.consume([{ rule, cost: 2 }], start + 1)).allowed).toBe(true);
    } finally {
      await limiter.close();
    }
  });

  it('ignores a running total left behind without its log', async () => {
    const limiter = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      const rule = limitRule({ limit: 5, windowMs: 60_000 });
      await admin.hset(`${keyPrefix}sliding-window-total:${rule.counter}`, 'used', '5');
      expect((await limiter.consume([{ rule, cost: 5 }], start)).allowed).toBe(true);
      expect((await limiter.consume([{ rule, cost: 1 }], start)).allowed).toBe(false);
    } finally {
      await limiter.close();
    }
  });

  it('keeps every take of a window apart after its total was lost, also within one millisecond', async () => {
    const limiter = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      const rule = limitRule({ limit: 10, windowMs: 60_000 });
      await limiter.consume([{ rule, cost: 1 }], start);
      await limiter.consume([{ rule, cost: 1 }], start);
      await admin.del(`${keyPrefix}sliding-window-total:${rule.counter}`);
      await limiter.consume([{ rule, cost: 1 }], start);
      await limiter.consume([{ rule, cost: 1 }], start);
      expect(await admin.zcard(`${keyPrefix}sliding-window:${rule.counter}`)).toBe(4);
      expect((await limiter.consume([{ rule, cost: 0 }], start)).statuses[0]!.remaining).toBe(6);
    } finally {
      await limiter.close();
    }
  });

  it('loads a script the server does not know yet, then runs it by its SHA', async () => {
    const script = new RedisScript(`-- ${randomUUID()}\nreturn tonumber(ARGV[1]) + 1`);
    expect(await admin.script('EXISTS', script.sha)).toEqual([0]);
    expect(await script.run(admin, [], [41])).toBe(42);
    expect(await admin.script('EXISTS', script.sha)).toEqual([1]);
    expect(await script.run(admin, [], [1])).toBe(2);
  });

  it('fails with service_unavailable when Redis cannot be reached', async () => {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    const limiter = new RedisRateLimiter({ redis: 'redis://127.0.0.1:1', keyPrefix });
    try {
      const error = await limiter.consume([{ rule: limitRule(), cost: 1 }], start).catch((caught: unknown) => caught);
      expect(isGatewayError(error) && error.code).toBe('service_unavailable');
      expect(String((error as Error).message)).not.toContain('redis://');
    } finally {
      await limiter.close();
    }
  });
});
