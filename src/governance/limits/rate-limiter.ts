/**
 * Rate limits: requests, tokens and concurrent requests per key / team / workspace / organisation / model,
 * in windows from a second to a day. One port, two implementations (in-process for the embedded preset,
 * Redis with atomic scripts for the scaled one), one contract suite.
 */

/** How a window is counted. */
export type LimitAlgorithm = 'token-bucket' | 'sliding-window';

/** What a limit counts. `concurrent` limits go through {@link RateLimiter.acquire}, not `consume`. */
export type LimitMetric = 'requests' | 'tokens';

/** One limit as it applies to one request. */
export interface LimitRule {
  /**
   * The counter this rule uses, unique per subject, metric and window, e.g. `key:k_1:tokens:60000`.
   * Two rules with the same counter share state (that is how several replicas enforce one limit).
   */
  counter: string;
  /** Shown in `x-ratelimit-*-<name>` headers: `requests`, `tokens`, ... */
  name: string;
  metric: LimitMetric;
  /** Units allowed per window (token bucket: the bucket size, refilled evenly over the window). */
  limit: number;
  windowMs: number;
  algorithm: LimitAlgorithm;
}

/** One rule and how much a request takes from it. */
export interface LimitCheck {
  rule: LimitRule;
  /** Units to take now (1 for a request; the estimated input tokens for a token limit; may be 0 to only check). */
  cost: number;
}

/** Where one rule stands after a decision, for the response headers. */
export interface LimitStatus {
  counter: string;
  name: string;
  limit: number;
  /** Units left in the window (never negative). */
  remaining: number;
  /** Milliseconds until the window has room again for one unit (0 when there is room now). */
  resetMs: number;
}

/** The outcome of {@link RateLimiter.consume}. */
export interface LimitDecision {
  allowed: boolean;
  /** Every checked rule, in the order given. */
  statuses: LimitStatus[];
  /** When refused: the first rule that refused, and how long until it would admit this cost. */
  refusedBy?: LimitStatus;
  retryAfterMs?: number;
}

/** A held concurrency slot. Release it exactly once, when the request ends (success, error or abort). */
export interface ConcurrencyLease {
  release(): Promise<void>;
}

/** The outcome of {@link RateLimiter.acquire}. */
export interface ConcurrencyDecision {
  allowed: boolean;
  /** Requests in flight on this counter after the decision. */
  inFlight: number;
  lease?: ConcurrencyLease;
}

/** The rate limiter port. Every method is atomic with respect to every other caller, in any process. */
export interface RateLimiter {
  /**
   * Checks every rule and, only when all of them admit their cost, takes the cost from each (all or
   * nothing, so a refused request consumes nothing anywhere).
   */
  consume(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<LimitDecision>;
  /**
   * Takes units after the fact without refusing (the output tokens, known when the call ends). The counter
   * may go over its limit: the next `consume` then waits until the window has room again.
   */
  record(checks: ReadonlyArray<LimitCheck>, nowMs: number): Promise<void>;
  /**
   * Takes a concurrency slot on `counter` if fewer than `limit` are held. A slot whose holder died is freed
   * after `leaseMs` (the total request timeout), so a crashed replica cannot hold slots forever.
   */
  acquire(counter: string, limit: number, leaseMs: number, nowMs: number): Promise<ConcurrencyDecision>;
  /** Frees resources (the Redis connection); the in-process one has none. */
  close(): Promise<void>;
}
