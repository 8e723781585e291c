import type { Deployment } from '../deployment.js';
import type { StrategyState } from './strategy.js';
import { pickWeightedRandom } from './weighted.js';

/** `least-busy`: the deployment with the fewest calls in flight; ties are broken by weight. */
export function pickLeastBusy(candidates: readonly Deployment[], state: StrategyState, random: () => number): Deployment {
  const fewest = Math.min(...candidates.map((deployment) => state.inFlight(deployment.id)));
  return pickWeightedRandom(candidates.filter((deployment) => state.inFlight(deployment.id) === fewest), random);
}
