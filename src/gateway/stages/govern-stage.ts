import type { Clock } from '../../spec/index.js';
import { roughTokenCount } from '../governance/rough-token-count.js';
import type { ChatOutcome } from '../chat-outcome.js';
import type { RequestGovernor } from '../governance/request-governor.js';
import type { Stage } from '../pipeline.js';

/**
 * Governance between authentication and routing: hierarchy defaults, allowed models, policies, rate limits
 * and the budget reservation (see {@link RequestGovernor}). Reads the canonical request only when a rule needs
 * it, so an ungoverned request keeps the fast path's lazy decode.
 */
export function createGovernStage(governor: RequestGovernor, clock?: Clock): Stage<ChatOutcome> {
  return async (context, next) => {
    const principal = context.principal;
    if (principal !== undefined && principal.kind !== 'master') {
      const decoded = context.chat!;
      await governor.admit(context, {
        operation: 'chat',
        route: context.route ?? '',
        get maxOutputTokens() {
          return decoded.peeked !== undefined ? decoded.peeked.maxOutputTokens : decoded.request.maxOutputTokens;
        },
        get metadata() {
          return decoded.request.metadata;
        },
        estimateInputTokens: () => roughTokenCount(context.body ?? decoded.request.messages),
        applyDefaults(defaults) {
          const request = decoded.request;
          let changed = false;
          if (defaults.temperature !== undefined && request.temperature === undefined) {
            request.temperature = defaults.temperature;
            changed = true;
          }
          if (defaults.maxTokens !== undefined && request.maxOutputTokens === undefined) {
            request.maxOutputTokens = defaults.maxTokens;
            changed = true;
          }
          // The fast path forwards the client's own body, which lacks the defaults: convert instead.
          if (changed) context.fastPath = undefined;
        },
      });
    }
    if (clock !== undefined) context.governedMonotonic = clock.monotonic();
    return next();
  };
}
