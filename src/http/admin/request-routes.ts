import * as requests from '../../observatory/payloads/request-explorer-admin.js';
import { listOf } from '../../governance/admin/admin-schemas.js';
import type { AdminRoute } from './admin-route.js';

/** The request explorer (`requests:read`; a workspace's viewers see its own requests, the master key all). */
export const requestRoutes: AdminRoute[] = [
  { method: 'GET', path: '/admin/v1/requests', operationId: 'listRequests', summary: 'Search requests (newest first; also metadata.<name>=<value>)', tag: 'requests', level: 'workspace', query: requests.listRequestsQuerySchema, response: requests.requestListSchema, successStatus: 200, handle: (d, call, input) => requests.listRequests(d, call, input.query) },
  { method: 'GET', path: '/admin/v1/requests/{requestId}', operationId: 'getRequest', summary: 'A request with its metadata and stored payload', tag: 'requests', level: 'workspace', response: requests.requestDetailSchema, successStatus: 200, handle: (d, call, input) => requests.getRequest(d, call, input.params.requestId) },
  { method: 'GET', path: '/admin/v1/usage/daily', operationId: 'usageDaily', summary: 'Daily usage by key, team, workspace, model or provider', tag: 'requests', level: 'workspace', query: requests.usageDailyQuerySchema, response: listOf(requests.usageRollupSchema), successStatus: 200, handle: (d, call, input) => requests.usageDaily(d, call, input.query) },
];
