import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminCall } from '../../governance/admin/admin-dependencies.js';
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

/** Runs one trace call (see {@link answerAdminCall}). */
export function answerTraceCall<Result>(
  request: FastifyRequest,
  reply: FastifyReply,
  dependencies: TraceRouteDependencies,
  run: (call: AdminCall) => Promise<Result>,
  statusOf?: (result: Result) => number,
  encode?: (result: Result) => { type: string; body: string | Uint8Array },
): Promise<FastifyReply> {
  return answerAdminCall(request, reply, (key) => dependencies.authenticate(key), run, statusOf, encode);
}

/** Registers a scope whose framework errors leave in the OpenAI error shape (see {@link registerAdminScope}). */
export const registerTraceScope = registerAdminScope;

/**
 * Mounts the trace reads and scores of the admin API: `GET /admin/v1/traces` (`traces:read`; a list of
 * trace summaries with `nextCursor`), `GET /admin/v1/traces/{traceId}` (spans and scores) and
 * `POST /admin/v1/scores` (`traces:write`; from the API or the dashboard). A key sees its workspace's traces.
 */
export function registerTraceAdminRoutes(app: FastifyInstance, dependencies: TraceRouteDependencies): void {
  registerTraceScope(app, (scope) => {
    const common = { tag: 'traces', level: 'workspace' } as const;
    const list = documented({ ...common, method: 'GET', path: '/admin/v1/traces', operationId: 'listTraces', summary: 'List traces, newest first (gateway requests and applications\' observations)', query: listTracesQuerySchema, response: z.object({ object: z.literal('list'), data: z.array(traceSummarySchema), nextCursor: z.string().optional() }), successStatus: 200 });
    scope.get('/admin/v1/traces', list, (request, reply) =>
      answerTraceCall(request, reply, dependencies, async (call) => {
        const page = await listTraces(dependencies, call, request.query ?? {});
        return { object: 'list', data: page.traces, ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
      }),
    );
    const one = documented({ ...common, method: 'GET', path: '/admin/v1/traces/{traceId}', operationId: 'getTrace', summary: 'Get a trace with its spans and scores', response: storedTraceSchema, successStatus: 200 });
    scope.get('/admin/v1/traces/:traceId', one, (request, reply) =>
      answerTraceCall(request, reply, dependencies, (call) => getTrace(dependencies, call, (request.params as { traceId: string }).traceId)),
    );
    const score = documented({ ...common, method: 'POST', path: '/admin/v1/scores', operationId: 'createScore', summary: 'Score a trace or one of its spans (numeric, categorical or boolean)', body: scoreInputSchema, response: traceScoreSchema, successStatus: 201 });
    scope.post('/admin/v1/scores', score, (request, reply) => answerTraceCall(request, reply, dependencies, (call) => createScore(dependencies, call, request.body ?? {}), () => 201));
  });
}
