import type { LimitRule } from './rate-limiter.js';

/** A granted lease: units of several sliding-window counters held by one replica until `untilMs`. */
export interface CounterLease {
  id: string;
  rules: ReadonlyArray<LimitRule>;
  /** Units granted per rule, in the order of `rules`. */
  units: ReadonlyArray<number>;
  untilMs: number;
  /** Units left in each window right after the lease was taken (the lease's own units not counted as left). */
  remaining: ReadonlyArray<number>;
}

/**
 * What a shared limiter store offers so that a replica can hold some of a counter's units in memory (see
 * `LeasedRateLimiter`). Only sliding windows are leased: a unit used later than it was leased must count at
 * least as long as if it had been taken when used, and a sliding window's log can say so (the lease is logged
 * at its end); a token bucket's refill cannot.
 */
export interface CounterLeaseStore {
  /**
   * Takes `units[i]` of each rule's counter, all or none, as one lease ending at `untilMs`. Returns the lease,
   * or undefined when any counter lacks the room (nothing is taken then).
   */
  takeLease(rules: ReadonlyArray<LimitRule>, units: ReadonlyArray<number>, nowMs: number, untilMs: number): Promise<CounterLease | undefined>;
  /** Ends a lease: its units leave the counters and `used[i]` units are logged at `nowMs` instead. */
  returnLease(lease: CounterLease, used: ReadonlyArray<number>, nowMs: number): Promise<void>;
}
