import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, type Clock, type Logger } from '../spec/index.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/index.js';
import { openaiChatDialect } from '../dialects/openai-chat/index.js';
import type { Gateway } from '../gateway/gateway.js';
import type { GatewayMetrics, UsageLedger } from '../observatory/index.js';
import { registerAdminRoutes } from './admin-routes.js';
import { toCatalogError } from './framework-error.js';
import { registerAdminApi, type AdminApiDependencies } from './admin/register-admin-api.js';
import { registerChatRoute } from './chat-route.js';
import { registerCountTokensRoute } from './count-tokens-route.js';
import { registerEmbeddingsRoute } from './embeddings-route.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { registerModelsRoutes } from './models-route.js';
import { requestIdFor } from './request-id.js';
import { readPresentedKey } from '../governance/authenticator.js';
import { createRequestContext, type GatewayOperation } from '../gateway/request-context.js';

/** What the HTTP server serves. */
export interface HttpServerOptions {
  gateway: Gateway;
  /** Serves `/metrics`; absent when `metrics.enabled` is false (the route is then not there: 404). */
  metrics?: GatewayMetrics;
  /** The ledger, read by the admin API. */
  ledger: UsageLedger;
  clock: Clock;
  logger: Logger;
  bodyLimitBytes: number;
  totalTimeoutMs: number;
  /** Take the fast path where client and provider speak the same wire. */
  passthrough: boolean;
  /** Extra facts for `GET /health` (provider count, preset). */
  health: () => Record<string, unknown>;
  /** The governance admin API under /admin/v1 (mounted only when the composition root wires it). */
  adminApi?: AdminApiDependencies;
}

const renderOpenAI = dialectErrorRenderer(openaiChatDialect);
const renderAnthropic = dialectErrorRenderer(anthropicMessagesDialect);

/** Picks the error shape by the route's dialect, else by path (Anthropic paths start with /v1/messages). */
function rendererFor(request: FastifyRequest) {
  const dialect = (request.routeOptions.config as { dialect?: string } | undefined)?.dialect;
  if (dialect === anthropicMessagesDialect.id || request.url.startsWith('/v1/messages') || request.headers['anthropic-version'] !== undefined) return renderAnthropic;
  return renderOpenAI;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's JSON text as the client sent it ('' before parsing), kept for payload capture. */
    jsonText: string;
  }
}

/** Fastify's own errors (body too large, bad content type...) in the catalog's terms. */

/** Parses every body as JSON (clients are not always careful with content-type); invalid JSON is a 400. */
function parseJsonBody(request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void): void {
  if (body.length === 0) {
    done(new GatewayError('invalid_json', 'The request body is empty; expected a JSON object'));
    return;
  }
  try {
    const value: unknown = JSON.parse(body);
    request.jsonText = body;
    done(null, value);
  } catch (error) {
    done(new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`));
  }
}

/**
 * The running HTTP server as the rest of the program sees it. The composition root keeps it under this name
 * so that only `http/` imports the web framework.
 */
export type HttpServer = FastifyInstance;

/**
 * The HTTP server: the only place that knows the web framework. Routes decode with a dialect, call the
 * gateway, and encode; every failure leaves as an error in the client's dialect, and the server goes on.
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    keepAliveTimeout: 75_000,
    // Long streams are the norm: the gateway's own timeouts govern upstream time.
    requestTimeout: 0,
    connectionTimeout: 0,
  });
  // Declared up front (Fastify's way): every request object then has the same shape.
  app.decorateRequest('jsonText', '');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimitBytes }, parseJsonBody);

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const gatewayError = toCatalogError(error);
    if (gatewayError.code === 'internal_error') options.logger.error({ error: error.message, stack: error.stack, url: request.url }, 'unhandled error');
    const requestId = requestIdFor(request.headers['x-request-id']);
    const route = request.routeOptions.config as { dialect?: string; operation?: GatewayOperation } | undefined;
    if (route?.dialect !== undefined && route.operation !== undefined) {
      // The body never reached the route (bad JSON, too large): the ledger still gets its row.
      const now = options.clock.now();
      void options.gateway.recordRejected(
        createRequestContext({
          requestId,
          dialect: route.dialect,
          operation: route.operation,
          signal: new AbortController().signal,
          presentedKey: readPresentedKey(request.headers.authorization, request.headers['x-api-key']),
          requestedModel: '',
          stream: false,
          startedAt: now,
          startedMonotonic: options.clock.monotonic(),
        }),
        gatewayError,
      );
    }
    return sendError(reply, rendererFor(request), gatewayError, requestId);
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new GatewayError('not_found', `No route for ${request.method} ${request.url.split('?')[0]}`);
    return sendError(reply, rendererFor(request), error, requestIdFor(request.headers['x-request-id']));
  });

  const { gateway, clock, totalTimeoutMs, passthrough } = options;
  registerChatRoute(app, { path: '/v1/chat/completions', dialect: openaiChatDialect, gateway, clock, totalTimeoutMs, passthrough });
  registerChatRoute(app, { path: '/chat/completions', dialect: openaiChatDialect, gateway, clock, totalTimeoutMs, passthrough });
  registerChatRoute(app, { path: '/v1/messages', dialect: anthropicMessagesDialect, gateway, clock, totalTimeoutMs, passthrough });
  registerCountTokensRoute(app, { gateway, clock });
  registerEmbeddingsRoute(app, { gateway, clock, totalTimeoutMs, errorDialect: openaiChatDialect });
  registerModelsRoutes(app, { gateway });
  registerAdminRoutes(app, { gateway, ledger: options.ledger });
  if (options.adminApi !== undefined) registerAdminApi(app, options.adminApi);

  app.get('/health', async (_request, reply) => reply.type('application/json').send(JSON.stringify({ status: 'ok', ...options.health() })));
  const metrics = options.metrics;
  if (metrics !== undefined) {
    app.get('/metrics', async (_request, reply) => {
      const text = await metrics.render();
      return reply.type(metrics.contentType).send(text);
    });
  }
  return app;
}
