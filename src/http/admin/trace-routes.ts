import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { openaiChatDialect } from '../../dialects/openai-chat/index.js';
import type { AdminCall } from '../../governance/admin/admin-dependencies.js';
import { authoriseRoute } from '../../governance/access/route-allowed.js';
import { readPresentedKey } from '../../governance/authenticator.js';
import type { Principal } from '../../governance/principal.js';
import { createScore, getTrace, listTraces, listTracesQuerySchema, scoreInputSchema, storedTraceSchema, traceScoreSchema, traceSummarySchema, type TraceAdminDependencies } from '../../observatory/tracing/index.js';
import { documented } from './admin-route.js';
import { z } from 'zod';
import { toGatewayError } from '../../spec/index.js';
import { dialectErrorRenderer, sendError } from '../error-response.js';
import { toCatalogError } from '../framework-error.js';
import { requestIdFor } from '../request-id.js';

/** What the trace routes need from the composition root. */
export interface TraceRouteDependencies extends TraceAdminDependencies {
  /** The caller's principal, as for the rest of the admin API (a GatewayError when refused). */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
}

const render = dialectErrorRenderer(openaiChatDialect);

/**
 * Runs one trace call: authenticates the key (`Authorization: Bearer` or `x-api-key`), holds a key to its
 * allowed routes, and answers with the status `statusOf` picks (200 by default), as JSON unless `encode`
 * says otherwise. Errors leave in the OpenAI error shape.
 */
export async function answerTraceCall<Result>(
  request: FastifyRequest,
  reply: FastifyReply,
  dependencies: TraceRouteDependencies,
  run: (call: AdminCall) => Promise<Result>,
  statusOf: (result: Result) => number = () => 200,
  encode: (result: Result) => { type: string; body: string | Uint8Array } = (result) => ({ type: 'application/json', body: JSON.stringify(result) }),
): Promise<FastifyReply> {
  const requestId = requestIdFor(request.headers['x-request-id']);
  try {
    const principal = await dependencies.authenticate(readPresentedKey(request.headers.authorization, request.headers['x-api-key']));
    authoriseRoute(principal, request.url.split('?')[0]);
    const result = await run({ principal, requestId });
    const { type, body } = encode(result);
    return reply.code(statusOf(result)).header('x-request-id', requestId).type(type).send(body);
  } catch (error) {
    return sendError(reply, render, toGatewayError(error), requestId);
  }
}

/** Registers a scope whose framework errors (bad JSON, wrong media type) leave in the OpenAI error shape. */
export function registerTraceScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendError(reply, render, toCatalogError(error), requestIdFor(request.headers['x-request-id'])));
    routes(scope);
  });
}

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
