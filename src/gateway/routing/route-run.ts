import { errorCatalog, GatewayError, toGatewayError, type Clock } from '../../spec/index.js';
import { abortError } from '../../kit/abort.js';
import { backoffDelayMs, decideRetryAfter } from './backoff.js';
import type { AttemptReason, AttemptRecord, Deployment, ModelGroup, RetryPolicy } from './deployment.js';
import type { Availability, CallLease, DeploymentHealth } from './deployment-health.js';
import { attachAttempts, type RouteAttempt, type RouteOptions, type RouteOutcome, type SettleResult } from './route-types.js';
import { routingStrategies, type StrategyState } from './strategies/index.js';

/** What a routing run borrows from its router. */
export interface RouteRunContext {
  groups: ReadonlyMap<string, ModelGroup>;
  retry: RetryPolicy;
  clock: Clock;
  random: () => number;
  health: DeploymentHealth;
  nextTurn(group: string): number;
}

type GroupResult<T> = { kind: 'success'; outcome: RouteOutcome<T> } | { kind: 'exhausted' } | { kind: 'context-length-exceeded' };

interface PlannedGroup {
  name: string;
  reason?: AttemptReason;
}

/** The state of one `Router.route` call: which groups and deployments were tried, and what happened. */
export class RouteRun<T> {
  readonly #context: RouteRunContext;
  readonly #attempt: RouteAttempt<T>;
  readonly #signal?: AbortSignal;
  readonly #onAttempt?: (record: AttemptRecord) => void;
  readonly #attempts: AttemptRecord[] = [];
  #attemptNumber = 0;
  #lastError?: GatewayError;
  /** The soonest an open breaker among the skipped deployments half-opens, in ms from now. */
  #soonestRecoveryMs?: number;
  #sawCapacityLimit = false;

  constructor(context: RouteRunContext, attempt: RouteAttempt<T>, options: RouteOptions) {
    this.#context = context;
    this.#attempt = attempt;
    this.#signal = options.signal;
    this.#onAttempt = options.onAttempt;
  }

  async run(primary: ModelGroup): Promise<RouteOutcome<T>> {
    // Only the requested group's lists are followed (a fallback's own fallbacks are not), so no chain loops.
    let plan: PlannedGroup[] = [{ name: primary.name }, ...primary.fallbacks.map((name) => ({ name, reason: 'fallback' as const }))];
    let contextFallbackStarted = false;
    const triedGroups = new Set<string>();
    for (let index = 0; index < plan.length; index += 1) {
      const group = this.#context.groups.get(plan[index].name);
      if (group === undefined || triedGroups.has(group.name)) continue;
      triedGroups.add(group.name);
      const result = await this.#runGroup(group, plan[index].reason);
      if (result.kind === 'success') return result.outcome;
      if (result.kind === 'context-length-exceeded' && !contextFallbackStarted) {
        // The ordinary fallbacks would not help a prompt that is too long; only bigger windows will.
        contextFallbackStarted = true;
        plan = primary.contextWindowFallbacks.map((name) => ({ name, reason: 'context-window-fallback' as const }));
        index = -1;
      }
    }
    throw this.#finalError(primary.name);
  }

  async #runGroup(group: ModelGroup, entryReason: AttemptReason | undefined): Promise<GroupResult<T>> {
    const tried = new Set<string>();
    const skipped = new Set<string>();
    /** Deployments not to call again in this group: their retry-after is longer than we wait, or admission failed. */
    const excluded = new Set<string>();
    /** Wall-clock time before which a deployment asked not to be called again. */
    const notBefore = new Map<string, number>();
    const pick = routingStrategies[group.strategy];
    const state = this.#strategyState(group.name);
    let attemptsInGroup = 0;
    for (;;) {
      this.#throwIfAborted();
      const candidates: Deployment[] = [];
      for (const deployment of group.deployments) {
        if (excluded.has(deployment.id)) continue;
        const availability = this.#context.health.check(deployment);
        if (availability.available) candidates.push(deployment);
        else this.#recordSkip(group.name, deployment, availability, skipped);
      }
      if (candidates.length === 0) return { kind: 'exhausted' };
      const untried = candidates.filter((deployment) => !tried.has(deployment.id));
      const deployment = pick(untried.length > 0 ? untried : candidates, state, this.#context.random);
      if (tried.has(deployment.id)) await this.#wait(this.#retryDelayMs(notBefore.get(deployment.id), attemptsInGroup));

      const admission = this.#context.health.admit(deployment);
      if (!admission.admitted) {
        // It became unavailable while we waited (or a shared health store disagrees with its own check):
        // leave it out for the rest of this group so the loop cannot spin on it.
        excluded.add(deployment.id);
        this.#recordSkip(group.name, deployment, admission, skipped);
        continue;
      }
      attemptsInGroup += 1;
      this.#attemptNumber += 1;
      tried.add(deployment.id);
      const reason = attemptsInGroup === 1 ? entryReason : 'retry';
      const startedAt = this.#context.clock.now();
      const start = this.#context.clock.monotonic();
      const base = { deploymentId: deployment.id, provider: deployment.provider, model: deployment.model, group: group.name, startedAt, reason };
      let value: T;
      try {
        value = await this.#attempt(deployment, this.#attemptNumber);
      } catch (thrown) {
        const aborted = this.#signal?.aborted === true;
        const error = aborted ? abortError(this.#signal as AbortSignal) : toGatewayError(thrown);
        // An abort is the request's doing, not the deployment's, so it never counts toward the breaker.
        admission.lease.failed({ countsTowardBreaker: !aborted && error.retryable });
        this.#record({
          ...base,
          durationMs: this.#context.clock.monotonic() - start,
          outcome: 'error',
          errorCode: error.code,
          upstreamStatus: error.upstreamStatus,
          retryAfterSeconds: error.retryAfterSeconds,
        });
        this.#lastError = error;
        if (aborted) throw attachAttempts(error, this.#attempts);
        if (error.code === 'context_length_exceeded') return { kind: 'context-length-exceeded' };
        if (!error.retryable) throw attachAttempts(error, this.#attempts);
        const retryAfter = decideRetryAfter(this.#context.retry, error.retryAfterSeconds);
        if (retryAfter.kind === 'too-long') excluded.add(deployment.id);
        else if (retryAfter.kind === 'wait') notBefore.set(deployment.id, this.#context.clock.now() + retryAfter.ms);
        if (attemptsInGroup > this.#context.retry.maxRetries) return { kind: 'exhausted' };
        continue;
      }
      admission.lease.answered();
      this.#record({ ...base, durationMs: this.#context.clock.monotonic() - start, outcome: 'success' });
      return { kind: 'success', outcome: this.#outcome(value, deployment, group.name, admission.lease, start) };
    }
  }

  #outcome(value: T, deployment: Deployment, group: string, lease: CallLease, start: number): RouteOutcome<T> {
    let settled = false;
    return {
      value,
      deployment,
      group,
      attempts: [...this.#attempts],
      settle: (result: SettleResult) => {
        if (settled) return;
        settled = true;
        lease.finished({
          ok: result.ok,
          durationMs: this.#context.clock.monotonic() - start,
          countsTowardBreaker: !result.ok && isRetryableCode(result.errorCode),
        });
      },
    };
  }

  /** A provider's own retry-after wins over the backoff; once it has passed, no wait is needed. */
  #retryDelayMs(notBefore: number | undefined, retryNumber: number): number {
    if (notBefore !== undefined) return Math.max(0, notBefore - this.#context.clock.now());
    return backoffDelayMs(this.#context.retry, retryNumber, this.#context.random);
  }

  async #wait(ms: number): Promise<void> {
    if (ms <= 0) return;
    try {
      await this.#context.clock.sleep(ms, this.#signal);
    } catch (thrown) {
      if (this.#signal?.aborted) throw attachAttempts(abortError(this.#signal), this.#attempts);
      throw attachAttempts(toGatewayError(thrown), this.#attempts);
    }
  }

  #throwIfAborted(): void {
    if (this.#signal?.aborted) throw attachAttempts(abortError(this.#signal), this.#attempts);
  }

  #strategyState(group: string): StrategyState {
    const health = this.#context.health;
    return {
      group,
      inFlight: (deploymentId) => health.view(deploymentId).inFlight,
      latencyMs: (deploymentId) => health.view(deploymentId).latencyMs,
      nextTurn: () => this.#context.nextTurn(group),
    };
  }

  #recordSkip(group: string, deployment: Deployment, availability: Availability & { available: false }, skipped: Set<string>): void {
    if (availability.reason === 'breaker-open' && availability.retryAfterMs !== undefined) {
      this.#soonestRecoveryMs = Math.min(this.#soonestRecoveryMs ?? Infinity, availability.retryAfterMs);
    }
    if (availability.reason === 'at-capacity') this.#sawCapacityLimit = true;
    // One line per deployment and group visit, not one per retry round.
    if (skipped.has(deployment.id)) return;
    skipped.add(deployment.id);
    this.#record({
      deploymentId: deployment.id,
      provider: deployment.provider,
      model: deployment.model,
      group,
      startedAt: this.#context.clock.now(),
      durationMs: 0,
      outcome: 'skipped',
      reason: availability.reason,
    });
  }

  #record(record: AttemptRecord): void {
    this.#attempts.push(record);
    this.#onAttempt?.(record);
  }

  #finalError(groupName: string): GatewayError {
    if (this.#lastError !== undefined) return attachAttempts(this.#lastError, this.#attempts);
    // Nothing was even tried: every deployment is cooling down or full. Tell the client when to come back.
    let retryAfterSeconds: number | undefined;
    if (this.#soonestRecoveryMs !== undefined) retryAfterSeconds = Math.max(1, Math.ceil(this.#soonestRecoveryMs / 1000));
    else if (this.#sawCapacityLimit) retryAfterSeconds = 1;
    const error = new GatewayError('upstream_unavailable', `No deployment of model "${groupName}" or its fallbacks is available right now`, { retryAfterSeconds });
    return attachAttempts(error, this.#attempts);
  }
}

function isRetryableCode(code: string | undefined): boolean {
  return code !== undefined && Object.hasOwn(errorCatalog, code) && errorCatalog[code as keyof typeof errorCatalog].retryable;
}
