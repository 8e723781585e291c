import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeasedRateLimiter } from './leased-rate-limiter.js';
import { describeRateLimiterContract, limitRule } from './rate-limiter-contract.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { deleteKeysWithPrefix, redisTestUrl } from '../../db/test-support/redis-test-connection.js';

// Every key of this run sits under its own prefix (with a hash tag, as the gateway's), deleted at the end.
const redisUrl = redisTestUrl;
const keyPrefix = `switchyard-test:{leases-${randomUUID().slice(0, 8)}}:`;
let admin: Redis;

beforeAll(() => {
  admin = new Redis(redisUrl);
});
afterAll(async () => {
  await deleteKeysWithPrefix(admin, keyPrefix);
  await admin.quit();
});

describeRateLimiterContract('leased, over Redis', async () => {
  const limiter = new LeasedRateLimiter(new RedisRateLimiter({ redis: redisUrl, keyPrefix }), { clock: () => Date.now(), onError: () => undefined });
  return { limiter };
});

describe('LeasedRateLimiter over Redis, two replicas', () => {
  const start = Date.UTC(2026, 10, 20, 12);
  const leaseMs = 250;
  let clock = start;
  let replicas: LeasedRateLimiter[];
  let stores: RedisRateLimiter[];

  beforeEach(() => {
    // Only the sweep's interval is faked: Redis replies and the batches' setImmediate run for real.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    clock = start;
    stores = [new RedisRateLimiter({ redis: redisUrl, keyPrefix }), new RedisRateLimiter({ redis: redisUrl, keyPrefix })];
    for (const store of stores) { const take = store.takeLease.bind(store); store.takeLease = async (...args) => { const lease = await take(...args); await new Promise((r) => setTimeout(r, 3)); return lease; }; }
    replicas = stores.map((store) => new LeasedRateLimiter(store, { leaseMs, clock: () => clock, onError: (error) => { throw error; } }));
  });
  afterEach(async () => {
    for (const replica of replicas) await replica.close();
    vi.useRealTimers();
  });

  /** The next request arrives a millisecond later, in a later turn of the event loop (as requests do). */
  async function nextRequest(): Promise<void> {
    clock += 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Lets the leases end and go back to Redis, as the sweep does after a lease period. */
  async function endLeases(): Promise<void> {
    // A renewal asked for by the last requests may still be on its way: the sweep must see it installed.
    await Promise.all(replicas.map((replica) => replica.settled()));
    clock += leaseMs + 1;
    vi.advanceTimersByTime(leaseMs);
    await Promise.all(replicas.map((replica) => replica.settled()));
  }

  it('admits exactly the limit of a busy window across both replicas, and never more at any moment', async () => {
    const rule = limitRule({ limit: 1_000, windowMs: 60_000 });
    const observer = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      let admitted = 0;
      let sawLeaseAdmission = false;
      for (let round = 0; round < 150; round += 1) {
        await nextRequest();
        // Ten requests at once on each replica, as concurrent requests arrive.
        const decisions = await Promise.all(Array.from({ length: 20 }, (_, index) => replicas[index % 2]!.consume([{ rule, cost: 1 }], clock)));
        admitted += decisions.filter((decision) => decision.allowed).length;
        // The shared window, leases included, never holds more than the limit.
        const [shared] = (await observer.consume([{ rule, cost: 0 }], clock)).statuses;
        expect(shared!.remaining).toBeGreaterThanOrEqual(0);
        expect(admitted).toBeLessThanOrEqual(1_000);
        sawLeaseAdmission ||= (await admin.zrange(`${keyPrefix}sliding-window:${rule.counter}`, 0, -1)).some((member) => member.includes(':lease-'));
      }
      expect(sawLeaseAdmission).toBe(true);
      await endLeases();
      // Units a lease held back near the limit are free again once it ends: the window's last units go one by one.
      for (let index = 0; index < 100; index += 1) {
        await nextRequest();
        if ((await replicas[index % 2]!.consume([{ rule, cost: 1 }], clock)).allowed) admitted += 1;
      }
      expect(admitted).toBe(1_000);
      expect((await observer.consume([{ rule, cost: 0 }], clock)).allowed).toBe(false);
    } finally {
      await observer.close();
    }
  });

  it('counts a unit used from a lease for a whole window after its use, then frees it', async () => {
    const rule = limitRule({ limit: 400, windowMs: 10_000 });
    let admitted = 0;
    const firstUse = clock + 1;
    for (let index = 0; index < 600; index += 1) {
      await nextRequest();
      if ((await replicas[index % 2]!.consume([{ rule, cost: 1 }], clock)).allowed) admitted += 1;
    }
    const lastUse = clock;
    await endLeases();
    for (let index = 0; index < 50; index += 1) if ((await replicas[index % 2]!.consume([{ rule, cost: 1 }], clock)).allowed) admitted += 1;
    expect(admitted).toBe(400);
    // No unit leaves the window before a whole window has passed since its use: just before one has passed
    // since the first use, the window is still full...
    clock = firstUse + 10_000 - 1;
    expect((await replicas[0]!.consume([{ rule, cost: 1 }], clock)).allowed).toBe(false);
    // ...and once every use has left the window, all of it is free again.
    clock = lastUse + 10_000 + leaseMs * 2 + 2;
    const fresh = await replicas[1]!.consume([{ rule, cost: 1 }], clock);
    expect(fresh.allowed).toBe(true);
    expect(fresh.statuses[0]!.remaining).toBe(399);
  });

  it('charges usage recorded after the call to the lease, and the shared window sees it once the lease ends', async () => {
    const requests = limitRule({ limit: 100_000, windowMs: 60_000 });
    const tokens = limitRule({ name: 'tokens', metric: 'tokens', limit: 1_000_000, windowMs: 60_000 });
    for (let index = 0; index < 200; index += 1) {
      await nextRequest();
      const replica = replicas[index % 2]!;
      const decision = await replica.consume([{ rule: requests, cost: 1 }, { rule: tokens, cost: 0 }], clock);
      expect(decision.allowed).toBe(true);
      await replica.record([{ rule: tokens, cost: 37 }], clock);
    }
    await endLeases();
    const observer = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      const statuses = (await observer.consume([{ rule: requests, cost: 0 }, { rule: tokens, cost: 0 }], clock)).statuses;
      console.log('DEBUG', clock, (await admin.zrange(`${keyPrefix}sliding-window:${requests.counter}`, 0, -1, 'WITHSCORES')).filter((m, i, all) => !m.includes(':1') || m.includes('lease')).join(' ').slice(-600));
      expect(statuses.map((status) => status.remaining)).toEqual([100_000 - 200, 1_000_000 - 200 * 37]);
    } finally {
      await observer.close();
    }
  });

  it('waits for a lease still on its way when it closes, and gives it back', async () => {
    const rule = limitRule({ limit: 10_000, windowMs: 60_000 });
    // The replica's lease request is held until the replica has begun to close.
    const store = stores[0]!;
    const take = store.takeLease.bind(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let asked = 0;
    store.takeLease = async (...args) => {
      asked += 1;
      const lease = await take(...args);
      await gate;
      return lease;
    };
    let used = 0;
    while (asked === 0) {
      await nextRequest();
      if ((await replicas[0]!.consume([{ rule, cost: 1 }], clock)).allowed) used += 1;
    }
    const closing = replicas[0]!.close();
    release();
    await closing;
    const observer = new RedisRateLimiter({ redis: redisUrl, keyPrefix });
    try {
      expect((await observer.consume([{ rule, cost: 0 }], clock)).statuses[0]!.remaining).toBe(10_000 - used);
    } finally {
      await observer.close();
    }
  });
});
