import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError, toGatewayError } from '../spec/index.js';
import { openaiChatDialect } from '../dialects/openai-chat/index.js';
import type { Gateway } from '../gateway/gateway.js';
import { readPresentedKey } from '../governance/authenticator.js';
import type { UsageLedger } from '../observatory/index.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { requestIdFor } from './request-id.js';

const requestsQuerySchema = z.strictObject({
  since: z.coerce.number().int().nonnegative().optional(),
  until: z.coerce.number().int().nonnegative().optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  status: z.enum(['ok', 'error']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  after: z.string().min(1).optional(),
});

/** The admin API (master key only): today the request ledger, read by `switchyard logs`. */
export function registerAdminRoutes(app: FastifyInstance, options: { gateway: Gateway; ledger: UsageLedger }): void {
  const render = dialectErrorRenderer(openaiChatDialect);
  app.get('/admin/requests', async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    try {
      await options.gateway.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
      const parsed = requestsQuerySchema.safeParse(request.query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new GatewayError('invalid_request', `${issue.path.join('.') || 'query'}: ${issue.message}`, { param: String(issue.path[0] ?? '') });
      }
      const query = parsed.data;
      const rows = await options.ledger.query({
        since: query.since,
        until: query.until,
        model: query.model,
        provider: query.provider,
        keyId: query.key,
        status: query.status,
        limit: query.limit,
        afterId: query.after,
      });
      return reply.type('application/json').send(JSON.stringify({ object: 'list', data: rows }));
    } catch (error) {
      return sendError(reply, render, toGatewayError(error), requestId);
    }
  });
}
