import type { Deployment } from '../deployment.js';
import type { StrategyState } from './strategy.js';
import { pickWeightedRandom } from './weighted.js';

/**
 * `lowest-latency`: the deployment with the lowest latency average. Deployments never measured go first, so
 * every deployment gets measured instead of the first fast one taking all the traffic.
 */
export function pickLowestLatency(candidates: readonly Deployment[], state: StrategyState, random: () => number): Deployment {
  const unmeasured = candidates.filter((deployment) => state.latencyMs(deployment.id) === undefined);
  if (unmeasured.length > 0) return pickWeightedRandom(unmeasured, random);
  let best = candidates[0];
  for (const deployment of candidates) {
    if ((state.latencyMs(deployment.id) as number) < (state.latencyMs(best.id) as number)) best = deployment;
  }
  return best;
}
