import type { ConcurrencyDecision, LimitCheck, LimitDecision, RateLimiter } from './rate-limiter.js';

/** Told of every refusal: the owner kind of the refusing limit (`key`, `team`, ...) and what it counts. */
export type RateLimitRefusalListener = (scope: string, limit: 'requests' | 'tokens' | 'concurrency') => void;

/**
 * Wraps a {@link RateLimiter} so every refusal is reported (for the refusal counter in `/metrics`). The
 * owner kind is the first part of the counter name (`team:t_1:requests:60000:...`, see `resolveLimitRules`).
 * Decisions pass through unchanged; an allowed call costs one property read more.
 */
export function reportRateLimitRefusals(limiter: RateLimiter, onRefused: RateLimitRefusalListener): RateLimiter {
  return {
    async consume(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<LimitDecision> {
      const decision = await limiter.consume(checks, nowMs);
      if (!decision.allowed) {
        const counter = decision.refusedBy?.counter ?? '';
        const refusing = checks.find((check) => check.rule.counter === counter);
        onRefused(scopeOf(counter), refusing?.rule.metric ?? 'requests');
      }
      return decision;
    },
    record: (checks, nowMs) => limiter.record(checks, nowMs),
    async acquire(counter: string, limit: number, leaseMs: number, nowMs: number): Promise<ConcurrencyDecision> {
      const decision = await limiter.acquire(counter, limit, leaseMs, nowMs);
      if (!decision.allowed) onRefused(scopeOf(counter), 'concurrency');
      return decision;
    },
    close: () => limiter.close(),
  };
}

function scopeOf(counter: string): string {
  const colon = counter.indexOf(':');
  return colon === -1 ? counter : counter.slice(0, colon);
}
