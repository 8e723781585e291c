import { GatewayError, type Clock } from '../../spec/index.js';
import type { BreakerPolicy, ModelGroup, RetryPolicy } from './deployment.js';
import type { BreakerState, DeploymentHealth } from './deployment-health.js';
import { InProcessDeploymentHealth } from './in-process-deployment-health.js';
import { RouteRun } from './route-run.js';
import type { RouteAttempt, RouteOptions, RouteOutcome } from './route-types.js';

/** What a {@link Router} is built from. */
export interface RouterOptions {
  /** Model groups by public name. */
  groups: ReadonlyMap<string, ModelGroup>;
  retry: RetryPolicy;
  /** Used to build the default in-process health; ignored when `health` is given. */
  breaker: BreakerPolicy;
  clock: Clock;
  /** Numbers in [0, 1) for weighted choices and jitter; Math.random by default. */
  random?: () => number;
  /** Where deployment health lives; an {@link InProcessDeploymentHealth} by default. */
  health?: DeploymentHealth;
}

/** One line of {@link Router.snapshot}. */
export interface DeploymentSnapshot {
  deploymentId: string;
  state: BreakerState;
  inFlight: number;
  latencyMs?: number;
  consecutiveFailures: number;
}

/**
 * Chooses deployments for public model names, provider-agnostic: it only calls the `attempt` function it is
 * given. It retries retryable failures (on another deployment of the group when one is available, else the
 * same one after a backoff or the provider's retry-after), falls back to other groups, skips deployments whose
 * breaker is open or that are at capacity, and records every attempt.
 *
 * Errors: `route` rejects with a GatewayError: a non-retryable one at once, the last one when everything
 * failed, `upstream_unavailable` (with `retryAfterSeconds`) when nothing could even be tried, or the abort
 * reason. The attempts that led to it are passed to `onAttempt` as they happen and can also be read back with
 * `attemptsOf(error)`.
 */
export class Router {
  readonly #groups: ReadonlyMap<string, ModelGroup>;
  readonly #retry: RetryPolicy;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #health: DeploymentHealth;
  readonly #turns = new Map<string, number>();

  constructor(options: RouterOptions) {
    this.#groups = options.groups;
    this.#retry = options.retry;
    this.#clock = options.clock;
    this.#random = options.random ?? Math.random;
    this.#health = options.health ?? new InProcessDeploymentHealth({ breaker: options.breaker, clock: options.clock });
  }

  /** True when `name` is a configured model group. */
  hasGroup(name: string): boolean {
    return this.#groups.has(name);
  }

  /** The health store the router reads and writes. */
  get health(): DeploymentHealth {
    return this.#health;
  }

  /**
   * Runs `attempt` on deployments of `group` chosen by its strategy until one succeeds (see the class
   * comment). Retries per group are bounded by `retry.maxRetries`; then the group's `fallbacks` are tried in
   * order (only the requested group's lists are followed). `context_length_exceeded` switches to its
   * `contextWindowFallbacks`. The caller must `settle` the outcome once the work is really over.
   */
  async route<T>(group: string, attempt: RouteAttempt<T>, options: RouteOptions = {}): Promise<RouteOutcome<T>> {
    const primary = this.#groups.get(group);
    if (primary === undefined) throw new GatewayError('model_not_found', `No model group named "${group}"`);
    const context = {
      groups: this.#groups,
      retry: this.#retry,
      clock: this.#clock,
      random: this.#random,
      health: this.#health,
      nextTurn: (name: string) => this.#nextTurn(name),
    };
    return new RouteRun(context, attempt, options).run(primary);
  }

  /** The health of every deployment of every group (each id once), for the admin API and metrics. */
  snapshot(): DeploymentSnapshot[] {
    const seen = new Set<string>();
    const lines: DeploymentSnapshot[] = [];
    for (const group of this.#groups.values()) {
      for (const deployment of group.deployments) {
        if (seen.has(deployment.id)) continue;
        seen.add(deployment.id);
        const view = this.#health.view(deployment.id);
        lines.push({ deploymentId: view.deploymentId, state: view.state, inFlight: view.inFlight, latencyMs: view.latencyMs, consecutiveFailures: view.consecutiveFailures });
      }
    }
    return lines;
  }

  #nextTurn(group: string): number {
    const turn = this.#turns.get(group) ?? 0;
    this.#turns.set(group, turn + 1);
    return turn;
  }
}
