import type { Deployment } from './deployment.js';

/** A circuit breaker's state: `closed` lets calls through, `open` refuses them, `half-open` lets probes through. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** What is known about one deployment's health. */
export interface DeploymentHealthView {
  deploymentId: string;
  state: BreakerState;
  inFlight: number;
  /** Latency average (EWMA, ms) of finished successful calls; undefined until one was measured. */
  latencyMs?: number;
  consecutiveFailures: number;
  /** While open: wall-clock ms (`clock.now()`) at which the breaker half-opens. */
  openUntil?: number;
}

/** Whether a call may start on a deployment now. */
export type Availability =
  | { available: true }
  | {
      available: false;
      reason: 'breaker-open' | 'at-capacity';
      /** How long until the deployment may take calls again, when known (an open breaker's cooldown). */
      retryAfterMs?: number;
    };

/** The result of asking to start a call: a lease to end exactly once, or the reason the call may not start. */
export type Admission = { admitted: true; lease: CallLease } | (Availability & { available: false; admitted: false });

/**
 * One call running on a deployment. It counts as in flight from admission until `failed` or `finished`.
 * Calling more than one ending method (or one twice) has no further effect.
 */
export interface CallLease {
  /**
   * The deployment accepted the call (for a stream: the stream started). A success closes a half-open breaker
   * and clears the failure count; the call stays in flight until `finished`.
   */
  answered(): void;
  /**
   * The call failed before `answered`. A failure that `countsTowardBreaker` (a retryable one: 429, 5xx,
   * timeouts, connection errors) adds to the consecutive failures and may open the breaker; a client error
   * (4xx) does not.
   */
  failed(options: { countsTowardBreaker: boolean }): void;
  /**
   * The work is really over (for a stream: it ended). A successful call feeds the latency average with
   * `durationMs`; a failure that `countsTowardBreaker` (a stream that died mid-way) counts like `failed`.
   */
  finished(result: { ok: boolean; durationMs: number; countsTowardBreaker: boolean }): void;
}

/**
 * The port that keeps deployment health for routing: calls in flight, the latency average, consecutive
 * failures and the circuit breaker (closed -> open after `failureThreshold` consecutive retryable failures ->
 * half-open after `cooldownMs`, letting `halfOpenProbes` calls through -> closed on a success, open again with
 * a fresh cooldown on a retryable failure).
 *
 * It is synchronous on purpose: the router reads it on every call, on the hot path. The embedded preset uses
 * {@link InProcessDeploymentHealth}; a shared (Redis) implementation keeps a local mirror that it refreshes
 * in the background and pushes its changes asynchronously, so replicas converge within a short interval.
 */
export interface DeploymentHealth {
  /** Whether a call may start on `deployment` now, without changing anything. */
  check(deployment: Deployment): Availability;
  /**
   * Starts a call on `deployment` if it may start (moving an open breaker whose cooldown is over to
   * half-open and taking a probe slot); the in-flight count includes it from now on.
   */
  admit(deployment: Deployment): Admission;
  /** The health of one deployment (a deployment never seen is closed, idle and unmeasured). */
  view(deploymentId: string): DeploymentHealthView;
}
