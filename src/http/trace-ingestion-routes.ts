import type { FastifyInstance } from 'fastify';
import { encodeExportTraceServiceResponse, ingestObservations, ingestOtlpProtobuf, ingestOtlpTraces } from '../observatory/tracing/index.js';
import { answerAdminCall, registerAdminScope } from './admin/admin-call-answer.js';
import type { TraceRouteDependencies } from './admin/trace-routes.js';

/**
 * Mounts the ingestion of applications' own observations, authenticated with a gateway key that has
 * `traces:write`: `POST /v1/observations` (the gateway's batch format; 200 when every item was accepted,
 * 207 with per-item errors otherwise) and `POST /v1/traces` (OTLP/HTTP, JSON or protobuf encoding; the
 * answer is in the request's encoding).
 */
export function registerTraceIngestionRoutes(app: FastifyInstance, dependencies: TraceRouteDependencies): void {
  const authenticate = (key: string | undefined) => dependencies.authenticate(key);
  registerAdminScope(app, (scope) => {
    scope.post('/v1/observations', (request, reply) =>
      answerAdminCall(request, reply, authenticate, (call) => ingestObservations(dependencies, call, request.body ?? {}), (result) => (result.errors.length === 0 ? 200 : 207)),
    );
    // Protobuf bodies arrive as bytes (only in this scope); JSON ones as parsed by the server.
    scope.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post('/v1/traces', (request, reply) => {
      const body = request.body;
      if (!Buffer.isBuffer(body)) return answerAdminCall(request, reply, authenticate, (call) => ingestOtlpTraces(dependencies, call, body ?? {}));
      return answerAdminCall(request, reply, authenticate,
        (call) => ingestOtlpProtobuf(dependencies, call, body),
        () => 200,
        (result) => ({ type: 'application/x-protobuf', body: encodeExportTraceServiceResponse(result.partialSuccess) }),
      );
    });
  });
}
