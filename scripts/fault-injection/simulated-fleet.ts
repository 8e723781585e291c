import type { RemediationActions } from '../../src/sentinel/anomaly/remediation-actions.js';
import type { SeededRandom } from './seeded-random.js';

/** A simulated deployment: how it behaves normally. */
export interface SimulatedDeployment {
  id: string;
  group: string;
  provider: string;
  model: string;
  weight: number;
  /** Median latency of a successful request, ms. */
  latencyMs: number;
  /** Probability that a request fails, normally. */
  errorRate: number;
}

/**
 * The gateway's routing and limiting as the fault-injection suite sees them: weighted choice among the
 * deployments of a group whose circuit is not held open, per-key request caps per minute. It is the suite's
 * implementation of the remediation port, so the engine acts on it exactly as it acts on the live router.
 */
export class SimulatedFleet implements RemediationActions {
  readonly deployments: ReadonlyArray<SimulatedDeployment>;
  readonly #weights = new Map<string, number>();
  readonly #open = new Set<string>();
  readonly #throttles = new Map<string, number>();
  readonly #usedThisMinute = new Map<string, { minute: number; count: number }>();

  constructor(deployments: ReadonlyArray<SimulatedDeployment>) {
    this.deployments = deployments;
  }

  /** A deployment for a request to `group`; undefined when every one is held open. */
  route(group: string, random: SeededRandom): SimulatedDeployment | undefined {
    const candidates = this.deployments.filter((deployment) => deployment.group === group && !this.#open.has(deployment.id));
    if (candidates.length === 0) return undefined;
    const weighted = candidates.map((deployment) => [deployment, deployment.weight * (this.#weights.get(deployment.id) ?? 1)] as const);
    const positive = weighted.filter(([, weight]) => weight > 0);
    return random.pick(positive.length > 0 ? positive : candidates.map((deployment) => [deployment, 1] as const));
  }

  /** Counts a request of `keyId` at `atMs` against its throttle; false when the cap refuses it. */
  admit(keyId: string, atMs: number): boolean {
    const cap = this.#throttles.get(keyId);
    if (cap === undefined) return true;
    const minute = Math.floor(atMs / 60_000);
    const used = this.#usedThisMinute.get(keyId);
    const count = used?.minute === minute ? used.count : 0;
    if (count >= cap) return false;
    this.#usedThisMinute.set(keyId, { minute, count: count + 1 });
    return true;
  }

  /** What remediation currently holds: for the report's "was everything undone" check. */
  heldActions(): string[] {
    return [
      ...[...this.#open].map((id) => `circuit open: ${id}`),
      ...[...this.#weights].map(([id, factor]) => `weight x${factor}: ${id}`),
      ...[...this.#throttles].map(([id, cap]) => `throttle ${cap}/min: ${id}`),
    ];
  }

  async openCircuit(deploymentId: string): Promise<void> {
    this.#open.add(deploymentId);
  }

  async closeCircuit(deploymentId: string): Promise<void> {
    this.#open.delete(deploymentId);
  }

  async shiftWeight(deploymentId: string, factor: number): Promise<void> {
    this.#weights.set(deploymentId, factor);
  }

  async restoreWeight(deploymentId: string): Promise<void> {
    this.#weights.delete(deploymentId);
  }

  async throttleKey(keyId: string, requestsPerMinute: number): Promise<void> {
    this.#throttles.set(keyId, requestsPerMinute);
  }

  async releaseKey(keyId: string): Promise<void> {
    this.#throttles.delete(keyId);
    this.#usedThisMinute.delete(keyId);
  }

  alternativesOf(deploymentId: string): number {
    const group = this.deployments.find((deployment) => deployment.id === deploymentId)?.group;
    return this.deployments.filter((deployment) => deployment.group === group && deployment.id !== deploymentId && !this.#open.has(deployment.id)).length;
  }
}
