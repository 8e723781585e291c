import type { Redis } from 'ioredis';

/**
 * Open circuit breakers in Redis, for the scaled preset's shared breakers (`SharedBreakerState` in
 * `src/gateway/routing/`, whose `BreakerStateStore` port this class fits): one hash per deployment,
 * `<prefix>breaker:<deploymentId>`, with the instant the breaker half-opens (`openUntil`, wall-clock ms) and
 * the replica that opened it. The hash expires with the cooldown, so a breaker whose replica died mid-way is
 * not left open, and nothing stays behind.
 */
export class RedisBreakerStateStore {
  constructor(
    private readonly redis: Redis,
    /** Put in front of every key (e.g. `switchyard:prod:`), as for the other Redis stores. */
    private readonly keyPrefix: string,
    /** Written into each record, so an operator can tell which replica opened a breaker. */
    private readonly replicaId = 'unknown',
  ) {}

  /** The key of one deployment's record. */
  key(deploymentId: string): string {
    return `${this.keyPrefix}breaker:${deploymentId}`;
  }

  async recordOpen(deploymentId: string, openUntil: number, ttlMs: number): Promise<void> {
    const key = this.key(deploymentId);
    // One transaction: a record without its expiry would outlive the cooldown.
    const results = await this.redis
      .multi()
      .hset(key, { openUntil: String(openUntil), replica: this.replicaId })
      .pexpire(key, Math.max(1, Math.ceil(ttlMs)))
      .exec();
    const failure = results?.find(([error]) => error !== null);
    if (failure !== undefined) throw failure[0];
  }

  async recordClosed(deploymentId: string): Promise<void> {
    await this.redis.del(this.key(deploymentId));
  }

  async readOpen(deploymentIds: readonly string[]): Promise<Map<string, number>> {
    const open = new Map<string, number>();
    if (deploymentIds.length === 0) return open;
    const pipeline = this.redis.pipeline();
    for (const id of deploymentIds) pipeline.hget(this.key(id), 'openUntil');
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, value], index) => {
      if (error !== null) throw error;
      // Anything but a whole number was not written by this class: skipped rather than trusted.
      const openUntil = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
      if (openUntil !== undefined) open.set(deploymentIds[index], openUntil);
    });
    return open;
  }
}
