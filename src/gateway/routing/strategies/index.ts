import type { RoutingStrategy } from '../deployment.js';
import { pickLeastBusy } from './least-busy.js';
import { pickLowestCost } from './lowest-cost.js';
import { pickLowestLatency } from './lowest-latency.js';
import { pickRoundRobin } from './round-robin.js';
import type { PickDeployment } from './strategy.js';
import { pickWeighted } from './weighted.js';

export type { PickDeployment, StrategyState } from './strategy.js';
export { pickLeastBusy, pickLowestCost, pickLowestLatency, pickRoundRobin, pickWeighted };
export { pickWeightedRandom } from './weighted.js';

/** The one list of routing strategies. */
export const routingStrategies: Readonly<Record<RoutingStrategy, PickDeployment>> = {
  weighted: pickWeighted,
  'round-robin': pickRoundRobin,
  'least-busy': pickLeastBusy,
  'lowest-latency': pickLowestLatency,
  'lowest-cost': pickLowestCost,
};
