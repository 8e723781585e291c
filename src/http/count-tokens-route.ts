import type { FastifyInstance } from 'fastify';
import { toGatewayError, type Clock } from '../spec/index.js';
import { anthropicMessagesDialect, decodeAnthropicCountTokensRequest, encodeAnthropicCountTokens } from '../dialects/anthropic-messages/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { readPresentedKey } from '../governance/authenticator.js';
import { createRequestContext } from '../gateway/request-context.js';
import { modelOf } from './chat-route.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { requestIdFor } from './request-id.js';

/** `POST /v1/messages/count_tokens` (Anthropic shape), for any provider. */
export function registerCountTokensRoute(app: FastifyInstance, options: { gateway: Gateway; clock: Clock }): void {
  const { gateway, clock } = options;
  const render = dialectErrorRenderer(anthropicMessagesDialect);
  app.post('/v1/messages/count_tokens', { config: { dialect: anthropicMessagesDialect.id, operation: 'count_tokens' } }, async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    try {
      const context = createRequestContext({
        requestId,
        dialect: anthropicMessagesDialect.id,
        operation: 'count_tokens',
        signal: AbortSignal.timeout(30_000),
        presentedKey: readPresentedKey(request.headers.authorization, request.headers['x-api-key']),
        requestedModel: modelOf(request.body),
        stream: false,
        startedAt: clock.now(),
        startedMonotonic: clock.monotonic(),
      });
      const decoded = await gateway.decode(context, () => decodeAnthropicCountTokensRequest(request.body));
      const count = await gateway.countTokens(context, decoded);
      return reply.header('request-id', requestId).header('x-request-id', requestId).type('application/json').send(JSON.stringify(encodeAnthropicCountTokens(count)));
    } catch (error) {
      return sendError(reply, render, toGatewayError(error), requestId);
    }
  });
}
