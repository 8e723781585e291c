/** One place a public model can be served: a provider instance, its upstream model, a weight and limits. */
export interface Deployment {
  /** Unique across the whole gateway; health (in-flight, latency, breaker) is kept per id. */
  id: string;
  /** The provider adapter instance name. */
  provider: string;
  /** The model as the upstream knows it. */
  model: string;
  /** Relative share for weighted choices (default 1); 0 or less means "only when nothing else is left". */
  weight: number;
  /** Calls allowed at the same time; undefined means no limit. */
  maxInFlight?: number;
  /** Blended input+output price per million tokens, for `lowest-cost`; undefined means unknown. */
  costPerMillionTokens?: number;
}

/** How a group chooses among its available deployments. */
export type RoutingStrategy = 'weighted' | 'round-robin' | 'least-busy' | 'lowest-latency' | 'lowest-cost';

/** A public model name and the deployments that serve it. */
export interface ModelGroup {
  /** The public model name clients send. */
  name: string;
  strategy: RoutingStrategy;
  deployments: Deployment[];
  /** Other group names, tried in order once this group has failed with retryable errors. */
  fallbacks: string[];
  /** Other group names, tried in order when a deployment says the prompt does not fit its context window. */
  contextWindowFallbacks: string[];
}

/** Retries within one group, and how long to wait between them. */
export interface RetryPolicy {
  /** Extra attempts per group after its first one (on the same or another deployment). */
  maxRetries: number;
  /** The first backoff; it doubles with each retry. */
  initialDelayMs: number;
  /** The longest backoff. */
  maxDelayMs: number;
  /** 0..1: the fraction of the backoff that may randomly be taken off, so callers do not retry in step. */
  jitter: number;
  /**
   * A provider's `retry-after` up to this is waited for; above it the router does not wait and moves on to
   * the next deployment or fallback group.
   */
  maxRetryAfterMs: number;
}

/** When a deployment's circuit breaker opens and how it recovers. */
export interface BreakerPolicy {
  /** Consecutive retryable failures that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker refuses calls before letting probes through (half-open). */
  cooldownMs: number;
  /** Calls allowed at the same time while half-open. */
  halfOpenProbes: number;
}

/** Why an attempt was made (after the first) or skipped. */
export type AttemptReason = 'retry' | 'fallback' | 'context-window-fallback' | 'breaker-open' | 'at-capacity';

/** One line of the ledger's attempt list: a call made to a deployment, or a deployment passed over. */
export interface AttemptRecord {
  deploymentId: string;
  provider: string;
  model: string;
  /** The group the deployment was chosen from. */
  group: string;
  /** Wall-clock start (`clock.now()`). */
  startedAt: number;
  /** Until the attempt answered or failed (for a stream: until it started); 0 for a skipped deployment. */
  durationMs: number;
  outcome: 'success' | 'error' | 'skipped';
  /** The GatewayError code of a failed attempt. */
  errorCode?: string;
  upstreamStatus?: number;
  retryAfterSeconds?: number;
  /** Undefined for the very first attempt of a request. */
  reason?: AttemptReason;
}

/** The retry defaults (they match what the official OpenAI/Anthropic SDKs do). */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 2,
  initialDelayMs: 250,
  maxDelayMs: 8000,
  jitter: 0.25,
  maxRetryAfterMs: 60_000,
};

/** The circuit breaker defaults. */
export const defaultBreakerPolicy: BreakerPolicy = {
  failureThreshold: 5,
  cooldownMs: 30_000,
  halfOpenProbes: 1,
};
