import type { Deployment } from '../deployment.js';
import type { StrategyState } from './strategy.js';

/** `round-robin`: the group's calls cycle through its available deployments in their configured order. */
export function pickRoundRobin(candidates: readonly Deployment[], state: StrategyState): Deployment {
  return candidates[state.nextTurn() % candidates.length];
}
