import { deletedSchema, listOf } from '../../governance/admin/admin-schemas.js';
import * as limits from '../../governance/admin/limit-admin.js';
import type { AdminRoute } from './admin-route.js';

const base = '/admin/v1/limits';

/** Rate-limit definitions (the counters themselves are in the rate limiter). */
export const limitRoutes: AdminRoute[] = [
  { method: 'GET', path: base, operationId: 'listLimits', summary: 'List rate limits', tag: 'limits', level: 'workspace', query: limits.listLimitsQuerySchema, response: listOf(limits.limitSchema), successStatus: 200, handle: (d, call, input) => limits.listLimits(d, call, input.query) },
  { method: 'POST', path: base, operationId: 'createLimit', summary: 'Create a rate limit (requests, tokens or concurrent requests)', tag: 'limits', level: 'workspace', body: limits.createLimitSchema, response: limits.limitSchema, successStatus: 201, handle: (d, call, input) => limits.createLimit(d, call, input.body) },
  { method: 'GET', path: `${base}/{limitId}`, operationId: 'getLimit', summary: 'Get a rate limit', tag: 'limits', level: 'workspace', response: limits.limitSchema, successStatus: 200, handle: (d, call, input) => limits.getLimit(d, call, input.params.limitId) },
  { method: 'PATCH', path: `${base}/{limitId}`, operationId: 'updateLimit', summary: 'Change a rate limit', tag: 'limits', level: 'workspace', body: limits.updateLimitSchema, response: limits.limitSchema, successStatus: 200, handle: (d, call, input) => limits.updateLimit(d, call, input.params.limitId, input.body) },
  { method: 'DELETE', path: `${base}/{limitId}`, operationId: 'deleteLimit', summary: 'Delete a rate limit', tag: 'limits', level: 'workspace', response: deletedSchema, successStatus: 200, handle: (d, call, input) => limits.deleteLimit(d, call, input.params.limitId) },
];
