import type { LimitAlgorithm, LimitRule } from './rate-limiter.js';

/**
 * Floating-point slack for the token bucket: refills are fractions (`limit / windowMs` per millisecond), and
 * 1000 ms at 0.001 per ms must give exactly one token, not 0.9999999999999999. The Redis script uses the
 * same value, so both implementations decide alike.
 */
export const tokenBucketTolerance = 1e-6;

/** The state behind one counter of the in-process limiter. Times are the caller's `nowMs`. */
export interface MemoryCounter {
  readonly algorithm: LimitAlgorithm;
  /** Brings the state up to `nowMs` (refill, or drop what left the window). Time never runs backwards here. */
  advance(rule: LimitRule, nowMs: number): void;
  /** True when `units` fit now. */
  fits(rule: LimitRule, units: number): boolean;
  /** Takes `units`, even past the limit (a `record`). */
  take(units: number, nowMs: number): void;
  /** Whole units free now, never negative. */
  remaining(rule: LimitRule): number;
  /** Milliseconds from `nowMs` until `units` (at most the limit) fit; 0 when they fit now. */
  waitMs(rule: LimitRule, units: number, nowMs: number): number;
  /** Milliseconds from `nowMs` until the counter is back where a fresh one starts (full bucket, empty window). */
  idleAfterMs(rule: LimitRule, nowMs: number): number;
}

/** A bucket of `limit` units, refilled evenly over `windowMs`; a request takes its cost from it. */
export class TokenBucketCounter implements MemoryCounter {
  readonly algorithm = 'token-bucket';
  private tokens: number;
  private updatedMs: number;

  constructor(rule: LimitRule, nowMs: number) {
    this.tokens = rule.limit;
    this.updatedMs = nowMs;
  }

  advance(rule: LimitRule, nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.updatedMs);
    // min() also shrinks a bucket whose limit was lowered since it was filled.
    this.tokens = Math.min(rule.limit, this.tokens + (elapsed * rule.limit) / rule.windowMs);
    this.updatedMs = Math.max(this.updatedMs, nowMs);
  }

  fits(_rule: LimitRule, units: number): boolean {
    return this.tokens + tokenBucketTolerance >= units;
  }

  take(units: number): void {
    this.tokens -= units;
  }

  remaining(): number {
    return Math.max(0, Math.floor(this.tokens + tokenBucketTolerance));
  }

  waitMs(rule: LimitRule, units: number): number {
    if (this.tokens + tokenBucketTolerance >= units) return 0;
    return Math.max(1, Math.ceil(((units - this.tokens) * rule.windowMs) / rule.limit - tokenBucketTolerance));
  }

  idleAfterMs(rule: LimitRule): number {
    return this.waitMs(rule, rule.limit);
  }
}

/**
 * An exact sliding window: a log of what was taken when, trimmed to the last `windowMs`. Takes within one
 * millisecond share an entry, so the log holds at most one entry per millisecond of the window with traffic.
 * An entry taken at `t` counts while `nowMs < t + windowMs`.
 */
export class SlidingWindowCounter implements MemoryCounter {
  readonly algorithm = 'sliding-window';
  private readonly times: number[] = [];
  private readonly units: number[] = [];
  /** Index of the oldest live entry; the arrays are compacted now and then rather than shifted each time. */
  private head = 0;
  private used = 0;

  advance(rule: LimitRule, nowMs: number): void {
    const horizon = nowMs - rule.windowMs;
    while (this.head < this.times.length && this.times[this.head]! <= horizon) {
      this.used -= this.units[this.head]!;
      this.head += 1;
    }
    if (this.head === this.times.length) {
      this.clear();
    } else if (this.head >= 1024 && this.head * 2 >= this.times.length) {
      this.times.splice(0, this.head);
      this.units.splice(0, this.head);
      this.head = 0;
    }
  }

  fits(rule: LimitRule, units: number): boolean {
    return this.used + units <= rule.limit;
  }

  take(units: number, nowMs: number): void {
    if (units <= 0) return;
    const last = this.times.length - 1;
    // A caller's clock that steps back is stamped at the newest entry, which keeps the log in order.
    if (last >= this.head && this.times[last]! >= nowMs) {
      this.units[last]! += units;
    } else {
      this.times.push(nowMs);
      this.units.push(units);
    }
    this.used += units;
  }

  remaining(rule: LimitRule): number {
    return Math.max(0, Math.floor(rule.limit - this.used));
  }

  waitMs(rule: LimitRule, units: number, nowMs: number): number {
    const excess = this.used + units - rule.limit;
    if (excess <= 0) return 0;
    let freed = 0;
    for (let index = this.head; index < this.times.length; index += 1) {
      freed += this.units[index]!;
      if (freed >= excess) return Math.max(1, this.times[index]! + rule.windowMs - nowMs);
    }
    // More than the limit can never fit; the window is empty after its newest entry leaves.
    return Math.max(1, this.idleAfterMs(rule, nowMs));
  }

  idleAfterMs(rule: LimitRule, nowMs: number): number {
    if (this.head === this.times.length) return 0;
    return Math.max(0, this.times[this.times.length - 1]! + rule.windowMs - nowMs);
  }

  private clear(): void {
    this.times.length = 0;
    this.units.length = 0;
    this.head = 0;
    this.used = 0;
  }
}

/** A fresh counter for the rule's algorithm. */
export function createMemoryCounter(rule: LimitRule, nowMs: number): MemoryCounter {
  return rule.algorithm === 'token-bucket' ? new TokenBucketCounter(rule, nowMs) : new SlidingWindowCounter();
}
