import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { GatewayError } from '../../spec/index.js';
import { groupChecksByCounter, type GroupedCheck } from './grouped-checks.js';
import type { ConcurrencyDecision, LimitCheck, LimitDecision, LimitRule, LimitStatus, RateLimiter } from './rate-limiter.js';
import { acquireScript, consumeScript, leaseScript, recordScript, releaseScript, returnLeaseScript } from './redis-limit-scripts.js';
import type { CounterLease, CounterLeaseStore } from './counter-leases.js';
import { governanceScriptBatch, type BatchedRedisScript } from '../../db/batched-redis-script.js';

/** Options of the Redis limiter. */
export interface RedisRateLimiterOptions {
  /**
   * An ioredis client (the caller keeps owning it: `close` leaves it open) or a `redis://` URL (the limiter
   * opens its own connection and closes it in `close`).
   */
  redis: Redis | string;
  /** Put in front of every key, e.g. `switchyard:`; lets several gateways or test runs share one Redis. */
  keyPrefix: string;
}

// One script object per operation, shared by every limiter in the process (the SHA is the same anyway).
// Calls are batched per event-loop turn with the budget ledger's: one EVALSHA carries every request's calls
// (see RedisScriptBatch). Recording usage and releasing a slot are deferred: nobody waits on them.
const scripts = {
  consume: governanceScriptBatch.register(consumeScript),
  record: governanceScriptBatch.register(recordScript),
  acquire: governanceScriptBatch.register(acquireScript),
  release: governanceScriptBatch.register(releaseScript),
  lease: governanceScriptBatch.register(leaseScript),
  returnLease: governanceScriptBatch.register(returnLeaseScript),
};

/**
 * The scaled preset's {@link RateLimiter}: every replica consults one Redis, and each operation is one Lua
 * script, so a multi-rule `consume` is decided and taken atomically and several replicas enforce one limit
 * exactly. Semantics are those of `MemoryRateLimiter` (the same contract suite runs on both).
 *
 * Keys (under the prefix): `token-bucket:<counter>` (hash), `sliding-window:<counter>` (sorted set log) with
 * `sliding-window-total:<counter>` (hash), `concurrency:<counter>` (sorted set of leases scored by expiry).
 * Every key has a TTL that ends once the counter is back to its fresh state, so idle counters vanish.
 * One `consume` names several keys, and calls of one event-loop turn go to Redis as one batched script, so
 * on Redis Cluster the prefix must carry a hash tag (`{switchyard}:`).
 *
 * When Redis cannot be reached, calls fail with `service_unavailable`: limits that cannot be enforced refuse
 * the request rather than let it through.
 */
export class RedisRateLimiter implements RateLimiter, CounterLeaseStore {
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly keyPrefix: string;

  constructor(options: RedisRateLimiterOptions) {
    this.keyPrefix = options.keyPrefix;
    if (typeof options.redis === 'string') {
      // Few retries: a request waiting on a dead Redis should fail fast with 503, not hang.
      this.redis = new Redis(options.redis, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
      // Without a listener, a lost connection would be reported as an unhandled 'error' event.
      this.redis.on('error', () => undefined);
      this.ownsConnection = true;
    } else {
      this.redis = options.redis;
      this.ownsConnection = false;
    }
  }

  async consume(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<LimitDecision> {
    const { groups, groupOfCheck } = groupChecksByCounter(checks);
    if (groups.length === 0) return { allowed: true, statuses: [] };
    const reply = (await this.run(scripts.consume, this.counterKeys(groups), counterArguments(groups, nowMs))) as number[];
    const groupStatuses = groups.map(
      (group, index): LimitStatus => ({
        counter: group.rule.counter,
        name: group.rule.name,
        limit: group.rule.limit,
        remaining: Number(reply[3 + index * 2]),
        resetMs: Number(reply[4 + index * 2]),
      }),
    );
    const statuses = groupOfCheck.map((index) => groupStatuses[index]!);
    if (Number(reply[0]) === 1) return { allowed: true, statuses };
    return { allowed: false, statuses, refusedBy: groupStatuses[Number(reply[1]) - 1]!, retryAfterMs: Number(reply[2]) };
  }

  async record(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<void> {
    const { groups } = groupChecksByCounter(checks);
    const taking = groups.filter((group) => group.cost > 0);
    if (taking.length === 0) return;
    await this.run(scripts.record, this.counterKeys(taking), counterArguments(taking, nowMs), true);
  }

  async acquire(counter: string, limit: number, leaseMs: number, nowMs: number): Promise<ConcurrencyDecision> {
    const key = `${this.keyPrefix}concurrency:${counter}`;
    const leaseId = randomUUID();
    const reply = (await this.run(scripts.acquire, [key], [nowMs, limit, leaseMs, leaseId])) as number[];
    const inFlight = Number(reply[1]);
    if (Number(reply[0]) !== 1) return { allowed: false, inFlight };
    let released = false;
    return {
      allowed: true,
      inFlight,
      lease: {
        release: async () => {
          // Releasing twice is harmless in Redis too (ZREM of a gone member); this just saves the round trip.
          if (released) return;
          released = true;
          await this.run(scripts.release, [key], [leaseId], true);
        },
      },
    };
  }

  async takeLease(rules: ReadonlyArray<LimitRule>, units: ReadonlyArray<number>, nowMs: number, untilMs: number): Promise<CounterLease | undefined> {
    const groups = rules.map((rule, index) => ({ rule, cost: units[index]! }));
    const id = randomUUID();
    const reply = (await this.run(scripts.lease, this.counterKeys(groups), [...counterArguments(groups, nowMs), untilMs, id])) as number[];
    if (Number(reply[0]) !== 1) return undefined;
    return { id, rules, units, untilMs, remaining: rules.map((_, index) => Number(reply[1 + index])) };
  }

  async returnLease(lease: CounterLease, used: ReadonlyArray<number>, nowMs: number): Promise<void> {
    const args: Array<string | number> = [nowMs, lease.rules.length, lease.untilMs, lease.id];
    lease.rules.forEach((rule, index) => args.push(rule.windowMs, lease.units[index]!, used[index]!));
    await this.run(scripts.returnLease, this.counterKeys(lease.rules.map((rule) => ({ rule, cost: 0 }))), args, true);
  }

  async close(): Promise<void> {
    // Deferred calls (usage records, slot releases) go out before the connection may close.
    await governanceScriptBatch.flush(this.redis);
    if (!this.ownsConnection) return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private counterKeys(groups: ReadonlyArray<GroupedCheck>): string[] {
    const keys: string[] = [];
    for (const { rule } of groups) {
      keys.push(`${this.keyPrefix}${rule.algorithm}:${rule.counter}`);
      keys.push(`${this.keyPrefix}${rule.algorithm}-total:${rule.counter}`);
    }
    return keys;
  }

  private async run(script: BatchedRedisScript, keys: ReadonlyArray<string>, args: ReadonlyArray<string | number>, deferred = false): Promise<unknown> {
    try {
      return await (deferred ? script.runDeferred(this.redis, keys, args) : script.run(this.redis, keys, args));
    } catch (error) {
      if (isScriptBug(error)) throw error;
      throw new GatewayError('service_unavailable', 'The rate limit store (Redis) is unreachable', { cause: error });
    }
  }
}

function counterArguments(groups: ReadonlyArray<GroupedCheck>, nowMs: number): Array<string | number> {
  const args: Array<string | number> = [nowMs, groups.length];
  for (const { rule, cost } of groups) args.push(rule.algorithm, rule.limit, rule.windowMs, cost);
  return args;
}

// An error raised inside a script is a defect of ours, not an outage: let it surface as it is.
function isScriptBug(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError' && /^ERR .*(script|user_script)/i.test(error.message);
}
