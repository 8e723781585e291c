import type { Deployment } from '../deployment.js';
import type { StrategyState } from './strategy.js';

/**
 * A weighted random choice. Deployments with a weight of 0 or less are chosen only when every candidate has
 * such a weight, and then uniformly.
 */
export function pickWeightedRandom(candidates: readonly Deployment[], random: () => number): Deployment {
  const weighted = candidates.filter((deployment) => deployment.weight > 0);
  if (weighted.length === 0) return candidates[Math.min(candidates.length - 1, Math.floor(random() * candidates.length))];
  const total = weighted.reduce((sum, deployment) => sum + deployment.weight, 0);
  let remaining = random() * total;
  for (const deployment of weighted) {
    remaining -= deployment.weight;
    if (remaining < 0) return deployment;
  }
  // Only reached through floating-point rounding when random() is close to 1.
  return weighted[weighted.length - 1];
}

/** `weighted`: each deployment gets a share of calls in proportion to its weight. */
export function pickWeighted(candidates: readonly Deployment[], _state: StrategyState, random: () => number): Deployment {
  return pickWeightedRandom(candidates, random);
}
