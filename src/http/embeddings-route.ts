import type { FastifyInstance } from 'fastify';
import { GatewayError, toGatewayError, type Clock } from '../spec/index.js';
import type { ChatDialect } from '../dialects/dialect.js';
import { decodeOpenAIEmbedRequest, encodeOpenAIEmbedResult } from '../dialects/openai-embeddings/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { readPresentedKey } from '../governance/authenticator.js';
import { createRequestContext } from '../gateway/request-context.js';
import { modelOf } from './chat-route.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { requestIdFor } from './request-id.js';
import { createAbortable } from '../kit/abortable.js';

/** `POST /v1/embeddings` (OpenAI shape; float or base64 as the client asks). */
export function registerEmbeddingsRoute(app: FastifyInstance, options: { gateway: Gateway; clock: Clock; totalTimeoutMs: number; errorDialect: ChatDialect }): void {
  const { gateway, clock, totalTimeoutMs } = options;
  const render = dialectErrorRenderer(options.errorDialect);
  app.post('/v1/embeddings', { config: { dialect: 'openai-embeddings', operation: 'embeddings' } }, async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    const controller = createAbortable();
    const timer = setTimeout(() => controller.abort(new GatewayError('upstream_timeout', `The request took longer than ${totalTimeoutMs} ms`)), totalTimeoutMs);
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new GatewayError('client_closed_request', 'The client closed the connection'));
    });
    try {
      const context = createRequestContext({
        requestId,
        dialect: 'openai-embeddings',
        operation: 'embeddings',
        signal: controller.signal,
        presentedKey: readPresentedKey(request.headers.authorization, request.headers['x-api-key']),
        requestedModel: modelOf(request.body),
        stream: false,
        startedAt: clock.now(),
        startedMonotonic: clock.monotonic(),
      });
      context.route = '/v1/embeddings';
      if (typeof request.headers.traceparent === 'string') context.traceparent = request.headers.traceparent;
      const decoded = await gateway.decode(context, () => decodeOpenAIEmbedRequest(request.body));
      const result = await gateway.embed(context, decoded);
      const body = encodeOpenAIEmbedResult(result, { model: decoded.model, encodingFormat: decoded.encodingFormat });
      if (context.responseHeaders !== undefined) reply.headers(context.responseHeaders);
      return reply.header('x-request-id', requestId).type('application/json').send(JSON.stringify(body));
    } catch (error) {
      return sendError(reply, render, toGatewayError(error), requestId);
    } finally {
      clearTimeout(timer);
    }
  });
}
