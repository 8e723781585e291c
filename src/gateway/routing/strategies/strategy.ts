import type { Deployment } from '../deployment.js';

/** What a strategy may read about the deployments it chooses among. */
export interface StrategyState {
  /** The group being routed. */
  readonly group: string;
  /** Calls running on the deployment now. */
  inFlight(deploymentId: string): number;
  /** The deployment's latency (EWMA, ms); undefined until one call has been measured. */
  latencyMs(deploymentId: string): number | undefined;
  /** A counter for the group that grows by one per call, for round robin. */
  nextTurn(): number;
}

/**
 * Chooses one deployment among `candidates` (never empty: the router has already removed the unavailable
 * ones). `random` returns numbers in [0, 1) and is injected so tests are deterministic.
 */
export type PickDeployment = (candidates: readonly Deployment[], state: StrategyState, random: () => number) => Deployment;
