import type { HeldOpenDeploymentHealth } from './gateway/routing/held-open-deployment-health.js';
import type { ModelGroup } from './gateway/routing/index.js';
import type { LimitStore } from './governance/limits/limit-store.js';
import type { RemediationActions } from './sentinel/anomaly/remediation-actions.js';

/** What the live remediation acts on. */
export interface LiveRemediationOptions {
  /** The router's model groups (their deployments' weights are changed in place and restored). */
  groups: ReadonlyMap<string, ModelGroup>;
  /** The router's health, wrapped so circuits can be held open. */
  health: HeldOpenDeploymentHealth;
  /** Stored rate limits: a throttle is a per-key requests-per-minute limit of its own. */
  limits: LimitStore;
  /** Tells every replica that limits changed (the governance snapshot reloads them). */
  onLimitsChanged: (limitId: string) => Promise<void>;
}

/** The id prefix of the stored limits that throttle keys. */
export const throttleLimitPrefix = 'lim_anomaly_';

/** The id of the stored limit that throttles a key. */
export function throttleLimitId(keyId: string): string {
  return `${throttleLimitPrefix}${keyId}`;
}

/**
 * The remediation port against the running gateway: circuits held open in the router's health, routing
 * weights scaled in the model groups (this replica), key throttles as stored rate limits (every replica,
 * through the change bus).
 */
export class LiveRemediationActions implements RemediationActions {
  readonly #options: LiveRemediationOptions;
  /** Original weights of shifted deployments (one entry per group the deployment is in), by deployment id. */
  readonly #originalWeights = new Map<string, Array<{ deployment: ModelGroup['deployments'][number]; weight: number }>>();

  constructor(options: LiveRemediationOptions) {
    this.#options = options;
  }

  async openCircuit(deploymentId: string): Promise<void> {
    this.#options.health.hold(deploymentId);
  }

  async closeCircuit(deploymentId: string): Promise<void> {
    this.#options.health.release(deploymentId);
  }

  async shiftWeight(deploymentId: string, factor: number): Promise<void> {
    let originals = this.#originalWeights.get(deploymentId);
    if (originals === undefined) {
      originals = this.#deploymentsOf(deploymentId).map((deployment) => ({ deployment, weight: deployment.weight }));
      this.#originalWeights.set(deploymentId, originals);
    }
    for (const { deployment, weight } of originals) deployment.weight = weight * factor;
  }

  async restoreWeight(deploymentId: string): Promise<void> {
    for (const { deployment, weight } of this.#originalWeights.get(deploymentId) ?? []) deployment.weight = weight;
    this.#originalWeights.delete(deploymentId);
  }

  async throttleKey(keyId: string, requestsPerMinute: number): Promise<void> {
    const id = throttleLimitId(keyId);
    const { limits } = this.#options;
    if ((await limits.get(id)) === undefined) await limits.create({ id, scope: 'key', scopeId: keyId, metric: 'requests', limit: requestsPerMinute, windowMs: 60_000 });
    else await limits.update(id, { limit: requestsPerMinute });
    await this.#options.onLimitsChanged(id);
  }

  async releaseKey(keyId: string): Promise<void> {
    const id = throttleLimitId(keyId);
    if (await this.#options.limits.delete(id)) await this.#options.onLimitsChanged(id);
  }

  alternativesOf(deploymentId: string): number {
    const others = new Set<string>();
    for (const group of this.#options.groups.values()) {
      if (!group.deployments.some((deployment) => deployment.id === deploymentId)) continue;
      for (const deployment of group.deployments) if (deployment.id !== deploymentId && !this.#options.health.isHeld(deployment.id)) others.add(deployment.id);
    }
    return others.size;
  }

  #deploymentsOf(deploymentId: string): Array<ModelGroup['deployments'][number]> {
    return [...this.#options.groups.values()].flatMap((group) => group.deployments.filter((deployment) => deployment.id === deploymentId));
  }
}
