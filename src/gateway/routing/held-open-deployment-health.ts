import type { Deployment } from './deployment.js';
import type { Admission, Availability, DeploymentHealth, DeploymentHealthView } from './deployment-health.js';

/**
 * A {@link DeploymentHealth} that can hold a deployment's circuit open on purpose, whatever its own breaker
 * says (anomaly remediation opens it; releasing hands the deployment back to its breaker). Everything else
 * passes through to the wrapped health, so failures, latency and probes keep being counted as before.
 */
export class HeldOpenDeploymentHealth implements DeploymentHealth {
  readonly #inner: DeploymentHealth;
  readonly #held = new Set<string>();

  constructor(inner: DeploymentHealth) {
    this.#inner = inner;
  }

  /** Refuses calls to `deploymentId` until {@link release}. */
  hold(deploymentId: string): void {
    this.#held.add(deploymentId);
  }

  release(deploymentId: string): void {
    this.#held.delete(deploymentId);
  }

  isHeld(deploymentId: string): boolean {
    return this.#held.has(deploymentId);
  }

  check(deployment: Deployment): Availability {
    if (this.#held.has(deployment.id)) return { available: false, reason: 'breaker-open' };
    return this.#inner.check(deployment);
  }

  admit(deployment: Deployment): Admission {
    if (this.#held.has(deployment.id)) return { available: false, admitted: false, reason: 'breaker-open' };
    return this.#inner.admit(deployment);
  }

  view(deploymentId: string): DeploymentHealthView {
    const view = this.#inner.view(deploymentId);
    return this.#held.has(deploymentId) ? { ...view, state: 'open' } : view;
  }
}
