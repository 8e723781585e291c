import type { FastifyInstance } from 'fastify';
import { runAdminRead } from '../../governance/admin/admin-operation.js';
import type { Principal } from '../../governance/principal.js';
import { analyticsOverview, analyticsOverviewSchema, deploymentStatusSchema, overviewQuerySchema, readableRequestScope, type AnalyticsAdminDependencies, type DeploymentStatus } from '../../observatory/analytics/index.js';
import { listOf } from '../../governance/admin/admin-schemas.js';
import { documented } from './admin-route.js';
import { answerAdminCall, registerAdminScope } from './admin-call-answer.js';

/** What the dashboard's data routes need from the composition root. */
export interface AnalyticsRouteDependencies extends AnalyticsAdminDependencies {
  /** The caller's principal, as for the rest of the admin API (a GatewayError when refused). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
  /** The router's deployments and their health, read when asked. */
  deployments(): DeploymentStatus[];
}

/**
 * Mounts the dashboard's data routes of the admin API: `GET /admin/v1/analytics/overview` (time series,
 * breakdown and top spenders; `requests:read`, scoped to what the caller may read) and
 * `GET /admin/v1/deployments` (every deployment with its circuit state; anyone who may read requests).
 */
export function registerAnalyticsRoutes(app: FastifyInstance, dependencies: AnalyticsRouteDependencies): void {
  registerAdminScope(app, (scope) => {
    const overview = documented({ method: 'GET', path: '/admin/v1/analytics/overview', operationId: 'getAnalyticsOverview', summary: 'Requests, errors, latency, tokens and cost over time, broken down, with the top spenders', tag: 'analytics', level: 'workspace', query: overviewQuerySchema, response: analyticsOverviewSchema, successStatus: 200 });
    scope.get('/admin/v1/analytics/overview', overview, (request, reply) => answerAdminCall(request, reply, (key) => dependencies.authenticate(key), (call) => analyticsOverview(dependencies, call, request.query ?? {})));
    const deployments = documented({ method: 'GET', path: '/admin/v1/deployments', operationId: 'listDeployments', summary: 'Every deployment with its routing groups, weight and circuit state', tag: 'deployments', level: 'organisation', response: listOf(deploymentStatusSchema), successStatus: 200 });
    scope.get('/admin/v1/deployments', deployments, (request, reply) =>
      answerAdminCall(request, reply, (key) => dependencies.authenticate(key), async (call) => {
        await runAdminRead(dependencies, call, 'deployments.list', (operation) => readableRequestScope(operation, undefined));
        return dependencies.deployments();
      }),
    );
  });
}

