import { GatewayError, type CallOptions, type EmbedResult } from '../spec/index.js';
import type { DecodedEmbedRequest } from '../dialects/dialect.js';
import { createAttemptSignal } from './attempt-signal.js';
import type { ChatRouteDependencies } from './chat-route-handler.js';
import type { RequestContext } from './request-context.js';

/** The innermost embeddings stage: routed like chat (retries, fallbacks, breakers), without streaming. */
export function createEmbedRouteHandler(dependencies: ChatRouteDependencies) {
  const { router, resolver, providers, http, clock, logger, firstTokenMs, tracing } = dependencies;
  return async (context: RequestContext, decoded: DecodedEmbedRequest): Promise<EmbedResult> => {
    const group = resolver.resolve(context.requestedModel);
    const outcome = await router.route(
      group,
      async (deployment, attemptNumber) => {
        const adapter = providers.get(deployment.provider)?.adapter;
        if (adapter?.doEmbed === undefined) {
          throw new GatewayError('unsupported_parameter', `The provider "${deployment.provider}" offers no embeddings`, { param: 'model' });
        }
        const attempt = createAttemptSignal(context.signal, firstTokenMs);
        const call: CallOptions = { signal: attempt.signal, http: tracing === undefined ? http : tracing.upstreamClient(http, context, attemptNumber), clock, logger };
        try {
          return await adapter.doEmbed({ ...decoded.request, model: deployment.model }, call);
        } finally {
          attempt.dispose();
        }
      },
      { signal: context.signal, onAttempt: (record) => context.attempts.push(record) },
    );
    outcome.settle({ ok: true });
    context.served = { provider: outcome.deployment.provider, model: outcome.deployment.model, deploymentId: outcome.deployment.id };
    return outcome.value;
  };
}
