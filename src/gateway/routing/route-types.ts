import type { GatewayError } from '../../spec/index.js';
import type { AttemptRecord, Deployment } from './deployment.js';

/** One try of the work on one deployment; `attemptNumber` counts real calls of this request from 1. */
export type RouteAttempt<T> = (deployment: Deployment, attemptNumber: number) => Promise<T>;

/** Per-request options of `Router.route`. */
export interface RouteOptions {
  /** Aborting stops the routing (also while it waits between retries). */
  signal?: AbortSignal;
  /** Called for every attempt as it ends (success, error) or is skipped; must not throw. */
  onAttempt?: (record: AttemptRecord) => void;
}

/** How the work ended, reported through `RouteOutcome.settle`. */
export interface SettleResult {
  ok: boolean;
  /** The GatewayError code when it failed (e.g. a stream that broke mid-way). */
  errorCode?: string;
}

/** A successful routing: the value of the attempt that succeeded and how it was reached. */
export interface RouteOutcome<T> {
  value: T;
  deployment: Deployment;
  /** The group the deployment came from (a fallback group's name when the request fell back). */
  group: string;
  /** Every attempt, in order: skipped deployments, failures, then the success. */
  attempts: AttemptRecord[];
  /**
   * Call once when the work is really over (for a stream: when it ends). It ends the deployment's in-flight
   * call and feeds its latency average; a failure with a retryable code counts toward its breaker. Later
   * calls are ignored.
   */
  settle(result: SettleResult): void;
}

const attemptsByError = new WeakMap<GatewayError, readonly AttemptRecord[]>();

/** Remembers the attempts that led to `error` (the router does this for every error it throws). */
export function attachAttempts(error: GatewayError, attempts: readonly AttemptRecord[]): GatewayError {
  attemptsByError.set(error, [...attempts]);
  return error;
}

/** The attempts that led to an error thrown by `Router.route`, for the ledger; undefined for other errors. */
export function attemptsOf(error: unknown): readonly AttemptRecord[] | undefined {
  return typeof error === 'object' && error !== null ? attemptsByError.get(error as GatewayError) : undefined;
}
