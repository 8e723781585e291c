import { afterEach, describe, expect, it } from 'vitest';
import { InProcessDeploymentHealth } from '../gateway/routing/in-process-deployment-health.js';
import { breakerTopic, SharedBreakerState } from '../gateway/routing/shared-breaker-state.js';
import type { Deployment } from '../gateway/routing/deployment.js';
import { FakeClock } from '../gateway/routing/test-support/fake-clock.js';
import { ChangeRecorder, deliveryBoundMs } from './change-bus-contract.js';
import { RedisBreakerStateStore } from './redis-breaker-state-store.js';
import { RedisChangeBus } from './redis-change-bus.js';
import type { RedisConnection } from './redis-connection.js';
import { deleteKeysWithPrefix, killRedisClient, openRedisTestConnection, uniqueRedisPrefix } from './test-support/redis-test-connection.js';

const breaker = { failureThreshold: 3, cooldownMs: 10_000, halfOpenProbes: 1 };
const target: Deployment = { id: 'openai-eu', provider: 'openai', model: 'gpt-4o', weight: 1 };

/** One replica: its own Redis connections, bus, store and health; the clock is shared so time moves together. */
interface Replica {
  health: SharedBreakerState;
  /** Receives breaker messages after the health has applied them (it subscribed first). */
  applied: ChangeRecorder;
  errors: string[];
}

describe('shared circuit breakers on Redis', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const prefix = uniqueRedisPrefix('breaker');
    const clock = new FakeClock();
    const admin = await openRedisTestConnection(`${prefix}admin`);
    cleanups.push(async () => {
      await deleteKeysWithPrefix(admin.client, prefix);
      await admin.close();
    });
    const openReplica = async (name: string): Promise<Replica> => {
      const connection: RedisConnection = await openRedisTestConnection(`${prefix}${name}`);
      const bus = await RedisChangeBus.open({ publisher: connection.client, subscriber: await connection.duplicate(`${prefix}${name}-subscriber`), channelPrefix: prefix });
      const errors: string[] = [];
      const health = new SharedBreakerState({
        local: new InProcessDeploymentHealth({ breaker, clock }),
        store: new RedisBreakerStateStore(connection.client, prefix, name),
        bus,
        clock,
        replicaId: name,
        onError: (error) => errors.push(error.message),
      });
      await health.start([target.id]);
      const applied = new ChangeRecorder();
      bus.subscribe(breakerTopic, applied.listener);
      cleanups.push(async () => {
        await health.close();
        await bus.close();
        await connection.close();
      });
      return { health, applied, errors };
    };
    return { prefix, clock, admin, openReplica, key: `${prefix}breaker:${target.id}` };
  }

  function fail(health: SharedBreakerState, times: number): void {
    for (let index = 0; index < times; index += 1) {
      const admission = health.admit(target);
      if (!admission.admitted) throw new Error(`not admitted: ${admission.reason}`);
      admission.lease.failed({ countsTowardBreaker: true });
    }
  }

  it(`opens a breaker opened on one replica on the other within ${deliveryBoundMs} ms; both half-open after the cooldown`, async () => {
    const { clock, admin, openReplica, key } = await setUp();
    const first = await openReplica('first');
    const second = await openReplica('second');

    const started = performance.now();
    fail(first.health, 3);
    const openUntil = clock.now() + breaker.cooldownMs;
    await second.applied.until(1);
    expect(performance.now() - started).toBeLessThan(deliveryBoundMs);
    expect(second.health.view(target.id)).toMatchObject({ state: 'open', openUntil });
    expect(second.health.check(target)).toEqual({ available: false, reason: 'breaker-open', retryAfterMs: breaker.cooldownMs });

    expect(await admin.client.hgetall(key)).toEqual({ openUntil: String(openUntil), replica: 'first' });
    const ttl = await admin.client.pttl(key);
    expect(ttl).toBeGreaterThan(breaker.cooldownMs - 5_000);
    expect(ttl).toBeLessThanOrEqual(breaker.cooldownMs);

    clock.advance(breaker.cooldownMs - 1);
    expect(second.health.view(target.id).state).toBe('open');
    clock.advance(1);
    expect(first.health.view(target.id).state).toBe('half-open');
    expect(second.health.view(target.id).state).toBe('half-open');
    expect([...first.errors, ...second.errors]).toEqual([]);
  });

  it('closes the breaker on the other replica when a probe succeeds on one, and deletes the record', async () => {
    const { clock, admin, openReplica, key } = await setUp();
    const first = await openReplica('first');
    const second = await openReplica('second');
    fail(first.health, 3);
    await second.applied.until(1);
    clock.advance(breaker.cooldownMs);

    const probe = second.health.admit(target);
    if (!probe.admitted) throw new Error('probe refused');
    probe.lease.answered();
    probe.lease.finished({ ok: true, durationMs: 20, countsTowardBreaker: false });
    await first.applied.until(2);
    expect(first.health.view(target.id)).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(await admin.client.exists(key)).toBe(0);
  });

  it('gives a replica that starts later the breakers open in Redis', async () => {
    const { clock, openReplica } = await setUp();
    const first = await openReplica('first');
    fail(first.health, 3);
    await first.health.flush();
    const openUntil = clock.now() + breaker.cooldownMs;
    const late = await openReplica('late');
    expect(late.health.view(target.id)).toMatchObject({ state: 'open', openUntil });
  });

  it('re-reads the open breakers after its bus lost its connection, since messages may have been missed', async () => {
    const { prefix, clock, admin, openReplica, key } = await setUp();
    const second = await openReplica('second');
    // Recorded while second's subscriber is away: no message reaches it, only Redis has the open breaker.
    const openUntil = clock.now() + 5_000;
    await admin.client.hset(key, 'openUntil', String(openUntil));
    expect(await killRedisClient(admin.client, `${prefix}second-subscriber`)).toBe(1);
    await second.applied.until(1);
    await second.health.flush();
    expect(second.health.view(target.id)).toMatchObject({ state: 'open', openUntil });
  });
});

describe('RedisBreakerStateStore', () => {
  it('reads only whole-number instants, of the deployments asked for', async () => {
    const prefix = uniqueRedisPrefix('breaker-store');
    const connection = await openRedisTestConnection(`${prefix}store`);
    try {
      const store = new RedisBreakerStateStore(connection.client, prefix, 'replica-1');
      await store.recordOpen('a', 1_800_000_000_000, 10_000);
      await store.recordOpen('b', 1_800_000_000_500, 10_000);
      await connection.client.hset(store.key('c'), 'openUntil', 'garbage');
      expect(await store.readOpen(['a', 'c', 'missing'])).toEqual(new Map([['a', 1_800_000_000_000]]));
      await store.recordClosed('a');
      expect(await store.readOpen(['a', 'b'])).toEqual(new Map([['b', 1_800_000_000_500]]));
      expect(await store.readOpen([])).toEqual(new Map());
    } finally {
      await deleteKeysWithPrefix(connection.client, prefix);
      await connection.close();
    }
  });
});
