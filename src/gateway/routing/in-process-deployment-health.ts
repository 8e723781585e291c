import type { Clock } from '../../spec/index.js';
import type { BreakerPolicy, Deployment } from './deployment.js';
import type { Admission, Availability, BreakerState, CallLease, DeploymentHealth, DeploymentHealthView } from './deployment-health.js';

/** Weight of the newest sample in the latency average. */
export const latencySmoothing = 0.3;

interface HealthRecord {
  state: BreakerState;
  openUntil: number;
  inFlight: number;
  probesInFlight: number;
  consecutiveFailures: number;
  latencyMs?: number;
}

/** Options of {@link InProcessDeploymentHealth}. */
export interface InProcessDeploymentHealthOptions {
  breaker: BreakerPolicy;
  clock: Clock;
}

/** The embedded {@link DeploymentHealth}: exact, in this process's memory. */
export class InProcessDeploymentHealth implements DeploymentHealth {
  readonly #records = new Map<string, HealthRecord>();
  readonly #breaker: BreakerPolicy;
  readonly #clock: Clock;

  constructor(options: InProcessDeploymentHealthOptions) {
    this.#breaker = options.breaker;
    this.#clock = options.clock;
  }

  check(deployment: Deployment): Availability {
    const record = this.#records.get(deployment.id);
    if (record === undefined) return this.#capacity(deployment, 0);
    const state = this.#effectiveState(record);
    if (state === 'open') return { available: false, reason: 'breaker-open', retryAfterMs: Math.max(0, record.openUntil - this.#clock.now()) };
    // Half-open with every probe slot taken: the next chance comes when a probe ends, at an unknown time.
    if (state === 'half-open' && record.probesInFlight >= this.#breaker.halfOpenProbes) return { available: false, reason: 'breaker-open', retryAfterMs: 0 };
    return this.#capacity(deployment, record.inFlight);
  }

  admit(deployment: Deployment): Admission {
    const availability = this.check(deployment);
    if (!availability.available) return { ...availability, admitted: false };
    const record = this.#record(deployment.id);
    if (this.#effectiveState(record) === 'half-open') record.state = 'half-open';
    const probe = record.state === 'half-open';
    if (probe) record.probesInFlight += 1;
    record.inFlight += 1;
    return { admitted: true, lease: this.#lease(record, probe) };
  }

  view(deploymentId: string): DeploymentHealthView {
    const record = this.#records.get(deploymentId);
    if (record === undefined) return { deploymentId, state: 'closed', inFlight: 0, consecutiveFailures: 0 };
    const state = this.#effectiveState(record);
    return {
      deploymentId,
      state,
      inFlight: record.inFlight,
      latencyMs: record.latencyMs,
      consecutiveFailures: record.consecutiveFailures,
      openUntil: state === 'open' ? record.openUntil : undefined,
    };
  }

  /**
   * Applies a breaker change made on another replica (the scaled preset's shared breaker state). `open`: the
   * breaker refuses calls until `openUntil`, the same instant as on the replica that opened it; a breaker
   * already open for longer keeps its own end, and an instant already past is ignored, because a late message
   * must not turn a closed breaker half-open. `closed`: a call succeeded elsewhere, so the breaker closes and
   * the failure count starts again. Calls in flight and probe slots stay as they are.
   */
  applyRemoteState(deploymentId: string, state: 'open' | 'closed', openUntil = 0): void {
    if (state === 'closed') {
      const record = this.#records.get(deploymentId);
      if (record === undefined) return;
      record.state = 'closed';
      record.consecutiveFailures = 0;
      return;
    }
    if (openUntil <= this.#clock.now()) return;
    const record = this.#record(deploymentId);
    if (record.state === 'open' && record.openUntil >= openUntil) return;
    record.state = 'open';
    record.openUntil = openUntil;
  }

  #capacity(deployment: Deployment, inFlight: number): Availability {
    if (deployment.maxInFlight !== undefined && inFlight >= deployment.maxInFlight) return { available: false, reason: 'at-capacity' };
    return { available: true };
  }

  /** An open breaker whose cooldown is over is half-open; the stored state catches up on the next admission. */
  #effectiveState(record: HealthRecord): BreakerState {
    if (record.state === 'open' && this.#clock.now() >= record.openUntil) return 'half-open';
    return record.state;
  }

  #record(deploymentId: string): HealthRecord {
    let record = this.#records.get(deploymentId);
    if (record === undefined) {
      record = { state: 'closed', openUntil: 0, inFlight: 0, probesInFlight: 0, consecutiveFailures: 0 };
      this.#records.set(deploymentId, record);
    }
    return record;
  }

  #lease(record: HealthRecord, probe: boolean): CallLease {
    let holdsProbe = probe;
    let ended = false;
    const releaseProbe = () => {
      if (!holdsProbe) return;
      holdsProbe = false;
      record.probesInFlight = Math.max(0, record.probesInFlight - 1);
    };
    const end = () => {
      if (ended) return false;
      ended = true;
      releaseProbe();
      record.inFlight = Math.max(0, record.inFlight - 1);
      return true;
    };
    return {
      answered: () => {
        if (ended) return;
        releaseProbe();
        record.consecutiveFailures = 0;
        // A call that started before the breaker opened proves little; only a half-open breaker closes.
        if (this.#effectiveState(record) === 'half-open') record.state = 'closed';
      },
      failed: ({ countsTowardBreaker }) => {
        if (end() && countsTowardBreaker) this.#countFailure(record);
      },
      finished: ({ ok, durationMs, countsTowardBreaker }) => {
        if (!end()) return;
        if (ok) {
          record.latencyMs = record.latencyMs === undefined ? durationMs : latencySmoothing * durationMs + (1 - latencySmoothing) * record.latencyMs;
        } else if (countsTowardBreaker) {
          this.#countFailure(record);
        }
      },
    };
  }

  #countFailure(record: HealthRecord): void {
    record.consecutiveFailures += 1;
    const state = this.#effectiveState(record);
    if (state === 'half-open' || (state === 'closed' && record.consecutiveFailures >= this.#breaker.failureThreshold)) {
      record.state = 'open';
      record.openUntil = this.#clock.now() + this.#breaker.cooldownMs;
    }
  }
}
