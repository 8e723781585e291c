import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../governance/principal.js';
import { createScore, getTrace, listTraces, listTracesQuerySchema, scoreInputSchema, storedTraceSchema, traceScoreSchema, traceSummarySchema, type TraceAdminDependencies } from '../../observatory/tracing/index.js';
import { documented } from './admin-route.js';
import { z } from 'zod';
import { answerAdminCall, registerAdminScope } from './admin-call-answer.js';

/** What the trace routes need from the composition root. */
export interface TraceRouteDependencies extends TraceAdminDependencies {
  /** The caller's principal, as for the rest of the admin API (a GatewayError when refused). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
}

/**
 * Mounts the trace reads and scores of the admin API: `GET /admin/v1/traces` (`traces:read`; a list of
 * trace summaries with `nextCursor`), `GET /admin/v1/traces/{traceId}` (spans and scores) and
 * `POST /admin/v1/scores` (`traces:write`; from the API or the dashboard). A key sees its workspace's traces.
 */
export function registerTraceAdminRoutes(app: FastifyInstance, dependencies: TraceRouteDependencies): void {
  const authenticate = (key: string | undefined) => dependencies.authenticate(key);
  registerAdminScope(app, (scope) => {
    const common = { tag: 'traces', level: 'workspace' } as const;
    const list = documented({ ...common, method: 'GET', path: '/admin/v1/traces', operationId: 'listTraces', summary: 'List traces, newest first (gateway requests and applications\' observations)', query: listTracesQuerySchema, response: z.object({ object: z.literal('list'), data: z.array(traceSummarySchema), nextCursor: z.string().optional() }), successStatus: 200 });
    scope.get('/admin/v1/traces', list, (request, reply) =>
      answerAdminCall(request, reply, authenticate, async (call) => {
        const page = await listTraces(dependencies, call, request.query ?? {});
        return { object: 'list', data: page.traces, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
      }),
    );
    const one = documented({ ...common, method: 'GET', path: '/admin/v1/traces/{traceId}', operationId: 'getTrace', summary: 'Get a trace with its spans and scores', response: storedTraceSchema, successStatus: 200 });
    scope.get('/admin/v1/traces/:traceId', one, (request, reply) =>
      answerAdminCall(request, reply, authenticate, (call) => getTrace(dependencies, call, (request.params as { traceId: string }).traceId)),
    );
    const score = documented({ ...common, method: 'POST', path: '/admin/v1/scores', operationId: 'createScore', summary: 'Score a trace or one of its spans (numeric, categorical or boolean)', body: scoreInputSchema, response: traceScoreSchema, successStatus: 201 });
    scope.post('/admin/v1/scores', score, (request, reply) => answerAdminCall(request, reply, authenticate, (call) => createScore(dependencies, call, request.body ?? {}), () => 201));
  });
}
