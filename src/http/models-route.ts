import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, toGatewayError } from '../spec/index.js';
import { anthropicMessagesDialect, anthropicModelListEncoder } from '../dialects/anthropic-messages/index.js';
import { openaiChatDialect } from '../dialects/openai-chat/index.js';
import { openaiModelListEncoder } from '../dialects/openai-models/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { readPresentedKey } from '../governance/authenticator.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { requestIdFor } from './request-id.js';

/** The Anthropic SDK sends `anthropic-version` on every call; that is how one path serves both shapes. */
function speaksAnthropic(request: FastifyRequest): boolean {
  return request.headers['anthropic-version'] !== undefined;
}

/** `GET /v1/models` and `GET /v1/models/{id}` (ids may contain `/`), in OpenAI or Anthropic shape. */
export function registerModelsRoutes(app: FastifyInstance, options: { gateway: Gateway }): void {
  const { gateway } = options;
  const renderOpenAI = dialectErrorRenderer(openaiChatDialect);
  const renderAnthropic = dialectErrorRenderer(anthropicMessagesDialect);
  app.get('/v1/models', async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    const anthropic = speaksAnthropic(request);
    try {
      await gateway.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
      const models = await gateway.listModels();
      const body = (anthropic ? anthropicModelListEncoder : openaiModelListEncoder).encodeList(models);
      return reply.header('x-request-id', requestId).type('application/json').send(JSON.stringify(body));
    } catch (error) {
      return sendError(reply, anthropic ? renderAnthropic : renderOpenAI, toGatewayError(error), requestId);
    }
  });
  app.get('/v1/models/*', async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    const anthropic = speaksAnthropic(request);
    try {
      await gateway.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
      const id = decodeURIComponent((request.params as { '*': string })['*']);
      const model = await gateway.models.find(id);
      if (model === undefined) throw new GatewayError('model_not_found', `The model "${id}" does not exist`, { param: 'model' });
      const body = (anthropic ? anthropicModelListEncoder : openaiModelListEncoder).encodeModel(model);
      return reply.header('x-request-id', requestId).type('application/json').send(JSON.stringify(body));
    } catch (error) {
      return sendError(reply, anthropic ? renderAnthropic : renderOpenAI, toGatewayError(error), requestId);
    }
  });
}
