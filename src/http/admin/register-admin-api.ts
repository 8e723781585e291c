import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openaiChatDialect } from '../../dialects/openai-chat/index.js';
import type { AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { readPresentedKey } from '../../governance/authenticator.js';
import type { Principal } from '../../governance/principal.js';
import { GatewayError, toGatewayError } from '../../spec/index.js';
import { dialectErrorRenderer, sendError } from '../error-response.js';
import { requestIdFor } from '../request-id.js';
import { toCatalogError } from '../framework-error.js';
import { authoriseRoute } from '../../governance/access/route-allowed.js';
import { buildAdminOpenApiDocument } from './admin-openapi.js';
import { adminRoutes } from './admin-routes.js';
import { pathParameterNames, toFastifyPath, type AdminRoute, type AdminRouteDocument } from './admin-route.js';

/** What the admin API needs from the composition root. */
export interface AdminApiDependencies extends AdminDependencies {
  /** The caller's principal (master key, virtual key, agent token), or a GatewayError (401, 503). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
  /** The gateway's version, shown in the OpenAPI document. */
  version: string;
}

const render = dialectErrorRenderer(openaiChatDialect);

/**
 * Mounts the admin REST API under `/admin/v1` and its OpenAPI 3.1 document at `/admin/openapi.json`. Errors
 * leave in the OpenAI error shape. The routes live in their own encapsulated context, so their error handler
 * does not replace the server's.
 */
export function registerAdminApi(app: FastifyInstance, dependencies: AdminApiDependencies): void {
  // Routes mounted elsewhere (providers, the dashboard's data, traces) document themselves in their route
  // options; they are collected as they are registered, and the document is built once, when first asked
  // for (by then every route is registered: the server is listening).
  const documentedElsewhere: AdminRouteDocument[] = [];
  app.addHook('onRoute', (options) => {
    const openapi = (options.config as { openapi?: AdminRouteDocument } | undefined)?.openapi;
    if (openapi !== undefined && options.method !== 'HEAD') documentedElsewhere.push(openapi);
  });
  let document: string | undefined;
  app.get('/admin/openapi.json', async (_request, reply) => {
    document ??= JSON.stringify(buildAdminOpenApiDocument([...adminRoutes, ...documentedElsewhere], dependencies.version));
    return reply.type('application/json').send(document);
  });
  void app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendError(reply, render, toCatalogError(error), requestIdFor(request.headers['x-request-id'])));
    for (const route of adminRoutes) registerRoute(scope, route, dependencies);
  });
}

function registerRoute(app: FastifyInstance, route: AdminRoute, dependencies: AdminApiDependencies): void {
  const parameterNames = pathParameterNames(route.path);
  app.route({
    method: route.method,
    url: toFastifyPath(route.path),
    handler: async (request, reply) => {
      const requestId = requestIdFor(request.headers['x-request-id']);
      try {
        const principal = await dependencies.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
        authoriseRoute(principal, request.url.split('?')[0]);
        const params = request.params as Record<string, string>;
        for (const name of parameterNames) {
          if (params[name] === undefined || params[name].trim() === '') throw new GatewayError('invalid_request', `${name}: must not be empty`, { param: name });
        }
        const result = await route.handle(dependencies, { principal, requestId }, { params, query: request.query ?? {}, body: request.body ?? {} });
        const body = Array.isArray(result) ? { object: 'list', data: result } : result;
        return reply.code(route.successStatus).header('x-request-id', requestId).type('application/json').send(JSON.stringify(body));
      } catch (error) {
        return sendError(reply, render, toGatewayError(error), requestId);
      }
    },
  });
}
