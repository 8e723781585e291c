import type { RetryPolicy } from './deployment.js';

/**
 * The wait before retry number `retryNumber` (1 for the first retry): exponential from `initialDelayMs`,
 * capped at `maxDelayMs`, minus a random share of up to `jitter` so that many callers do not retry in step.
 */
export function backoffDelayMs(policy: RetryPolicy, retryNumber: number, random: () => number): number {
  const exponent = Math.max(0, retryNumber - 1);
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}

/** What to do about a provider's `retry-after` on the deployment that sent it. */
export type RetryAfterDecision =
  /** No hint: use the backoff. */
  | { kind: 'none' }
  /** Wait this long before calling that deployment again. */
  | { kind: 'wait'; ms: number }
  /** Longer than we are willing to wait: do not call that deployment again for this request. */
  | { kind: 'too-long'; ms: number };

/** Classifies a provider's `retry-after` (in seconds) against the policy's `maxRetryAfterMs`. */
export function decideRetryAfter(policy: RetryPolicy, retryAfterSeconds: number | undefined): RetryAfterDecision {
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) return { kind: 'none' };
  const ms = Math.round(retryAfterSeconds * 1000);
  return ms > policy.maxRetryAfterMs ? { kind: 'too-long', ms } : { kind: 'wait', ms };
}
