import { GatewayError } from '../../spec/index.js';
import type { AdminCall, AdminDependencies } from '../../governance/admin/admin-dependencies.js';
import { parseInput } from '../../governance/admin/admin-input.js';
import { resolveScope } from '../../governance/admin/admin-lookups.js';
import { runAdminRead, type AdminOperation } from '../../governance/admin/admin-operation.js';
import { overviewQuerySchema, resolveOverviewRange, type AnalyticsOverview, type AnalyticsScope } from './analytics-types.js';
import type { SqlAnalytics } from './sql-analytics.js';

/** What the analytics use cases need besides the governance stores. */
export interface AnalyticsAdminDependencies extends AdminDependencies {
  analytics: Pick<SqlAnalytics, 'overview'>;
}

/**
 * Whose requests the caller may see (`requests:read`): the workspace asked for, else everything for the master
 * key, the caller's organisation when its bindings reach the whole organisation, or its own workspace.
 */
export async function readableRequestScope(operation: AdminOperation, workspaceId: string | undefined): Promise<AnalyticsScope> {
  const target = { kind: 'requests', id: workspaceId ?? '*' };
  if (workspaceId !== undefined) {
    operation.authorise('requests:read', await resolveScope(operation.stores.identity, 'workspace', workspaceId), target);
    return { workspaceId };
  }
  const principal = operation.principal;
  if (principal.kind === 'master') return {};
  if (operation.may('requests:read', { organisationId: principal.organisationId })) return { organisationId: principal.organisationId };
  if (principal.workspaceId === undefined) operation.deny('Reading requests needs a workspace or an organisation-wide role.', { organisationId: principal.organisationId }, target);
  operation.authorise('requests:read', { organisationId: principal.organisationId, workspaceId: principal.workspaceId }, target);
  return { workspaceId: principal.workspaceId };
}

/** `GET /admin/v1/analytics/overview`: time series, breakdown and top spenders of the requests the caller may read. */
export async function analyticsOverview(dependencies: AnalyticsAdminDependencies, call: AdminCall, input: unknown): Promise<AnalyticsOverview> {
  const query = parseInput(overviewQuerySchema, input, 'query');
  const range = resolveOverviewRange(query, dependencies.now());
  if ('error' in range) throw new GatewayError('invalid_request', range.error, { param: range.param });
  const scope = await runAdminRead(dependencies, call, 'analytics.overview', (operation) => readableRequestScope(operation, query.workspaceId));
  return dependencies.analytics.overview({ since: range.since, until: range.until, bucketMs: range.bucketMs, groupBy: query.groupBy ?? 'model', scope }, range.source);
}
