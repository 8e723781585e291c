import type { Deployment } from '../deployment.js';
import type { StrategyState } from './strategy.js';
import { pickWeightedRandom } from './weighted.js';

/**
 * `lowest-cost`: the cheapest deployment whose price is known (ties broken by weight). When no candidate has
 * a known price, a weighted choice among them.
 */
export function pickLowestCost(candidates: readonly Deployment[], _state: StrategyState, random: () => number): Deployment {
  const priced = candidates.filter((deployment) => deployment.costPerMillionTokens !== undefined);
  if (priced.length === 0) return pickWeightedRandom(candidates, random);
  const cheapest = Math.min(...priced.map((deployment) => deployment.costPerMillionTokens as number));
  return pickWeightedRandom(priced.filter((deployment) => deployment.costPerMillionTokens === cheapest), random);
}
