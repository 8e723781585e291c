import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openaiChatDialect } from '../../dialects/openai-chat/index.js';
import type { AdminCall } from '../../governance/admin/admin-dependencies.js';
import { runAdminRead } from '../../governance/admin/admin-operation.js';
import { authoriseRoute } from '../../governance/access/route-allowed.js';
import { readPresentedKey } from '../../governance/authenticator.js';
import type { Principal } from '../../governance/principal.js';
import { analyticsOverview, analyticsOverviewSchema, deploymentStatusSchema, overviewQuerySchema, readableRequestScope, type AnalyticsAdminDependencies, type DeploymentStatus } from '../../observatory/analytics/index.js';
import { listOf } from '../../governance/admin/admin-schemas.js';
import { documented } from './admin-route.js';
import { toGatewayError } from '../../spec/index.js';
import { dialectErrorRenderer, sendError } from '../error-response.js';
import { toCatalogError } from '../framework-error.js';
import { requestIdFor } from '../request-id.js';

/** What the dashboard's data routes need from the composition root. */
export interface AnalyticsRouteDependencies extends AnalyticsAdminDependencies {
  /** The caller's principal, as for the rest of the admin API (a GatewayError when refused). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
  /** The router's deployments and their health, read when asked. */
  deployments(): DeploymentStatus[];
}

const render = dialectErrorRenderer(openaiChatDialect);

/**
 * Mounts the dashboard's data routes of the admin API: `GET /admin/v1/analytics/overview` (time series,
 * breakdown and top spenders; `requests:read`, scoped to what the caller may read) and
 * `GET /admin/v1/deployments` (every deployment with its circuit state; anyone who may read requests).
 */
export function registerAnalyticsRoutes(app: FastifyInstance, dependencies: AnalyticsRouteDependencies): void {
  void app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendError(reply, render, toCatalogError(error), requestIdFor(request.headers['x-request-id'])));
    const overview = documented({ method: 'GET', path: '/admin/v1/analytics/overview', operationId: 'getAnalyticsOverview', summary: 'Requests, errors, latency, tokens and cost over time, broken down, with the top spenders', tag: 'analytics', level: 'workspace', query: overviewQuerySchema, response: analyticsOverviewSchema, successStatus: 200 });
    scope.get('/admin/v1/analytics/overview', overview, (request, reply) => answer(request, reply, dependencies, (call) => analyticsOverview(dependencies, call, request.query ?? {})));
    const deployments = documented({ method: 'GET', path: '/admin/v1/deployments', operationId: 'listDeployments', summary: 'Every deployment with its routing groups, weight and circuit state', tag: 'deployments', level: 'organisation', response: listOf(deploymentStatusSchema), successStatus: 200 });
    scope.get('/admin/v1/deployments', deployments, (request, reply) =>
      answer(request, reply, dependencies, async (call) => {
        await runAdminRead(dependencies, call, 'deployments.list', (operation) => readableRequestScope(operation, undefined));
        return dependencies.deployments();
      }),
    );
  });
}

async function answer(request: FastifyRequest, reply: FastifyReply, dependencies: AnalyticsRouteDependencies, run: (call: AdminCall) => Promise<unknown>): Promise<FastifyReply> {
  const requestId = requestIdFor(request.headers['x-request-id']);
  try {
    const principal = await dependencies.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
    authoriseRoute(principal, request.url.split('?')[0]);
    const result = await run({ principal, requestId });
    const body = Array.isArray(result) ? { object: 'list', data: result } : result;
    return reply.code(200).header('x-request-id', requestId).type('application/json').send(JSON.stringify(body));
  } catch (error) {
    return sendError(reply, render, toGatewayError(error), requestId);
  }
}
