import type { FastifyInstance } from 'fastify';
import { GatewayError, toGatewayError, type Clock } from '../spec/index.js';
import type { ChatDialect, EncodeContext } from '../dialects/dialect.js';
import type { Gateway } from '../gateway/gateway.js';
import { readPresentedKey } from '../governance/authenticator.js';
import { createRequestContext, type RequestContext } from '../gateway/request-context.js';
import { dialectErrorRenderer, sendError } from './error-response.js';
import { requestIdFor } from './request-id.js';
import { createAbortable } from '../kit/abortable.js';
import { writeByteStream, writeEventStream } from './write-event-stream.js';
import { lazyDecodedChatRequest } from '../dialects/lazy-decoded-chat-request.js';

/** What a chat route needs. */
export interface ChatRouteOptions {
  path: string;
  dialect: ChatDialect;
  gateway: Gateway;
  clock: Clock;
  /** The whole call's limit, retries included. */
  totalTimeoutMs: number;
  /** Take the fast path where the provider speaks this dialect. */
  passthrough: boolean;
}

/**
 * A chat endpoint in one dialect: decode -> gateway pipeline -> encode (JSON or SSE). A client that goes
 * away aborts the upstream call; the total timeout aborts it too.
 */
export function registerChatRoute(app: FastifyInstance, options: ChatRouteOptions): void {
  const { dialect, gateway, clock, totalTimeoutMs } = options;
  const fastPathDialect = options.passthrough && dialect.passthrough !== undefined ? dialect : undefined;
  const render = dialectErrorRenderer(dialect);
  app.post(options.path, { config: { dialect: dialect.id, operation: 'chat' } }, async (request, reply) => {
    const requestId = requestIdFor(request.headers['x-request-id']);
    const controller = createAbortable();
    const timer = setTimeout(() => controller.abort(new GatewayError('upstream_timeout', `The request took longer than ${totalTimeoutMs} ms`)), totalTimeoutMs);
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort(new GatewayError('client_closed_request', 'The client closed the connection'));
    });
    let context: RequestContext | undefined;
    try {
      const presentedKey = readPresentedKey(request.headers.authorization, request.headers['x-api-key']);
      context = createRequestContext({
        requestId,
        dialect: dialect.id,
        operation: 'chat',
        signal: controller.signal,
        presentedKey,
        requestedModel: modelOf(request.body),
        stream: false,
        startedAt: clock.now(),
        startedMonotonic: clock.monotonic(),
      });
      context.route = options.path;
      if (typeof request.headers.traceparent === 'string') context.traceparent = request.headers.traceparent;
      const body = request.body;
      context.body = body;
      context.bodySource = { value: body, text: request.jsonText };
      const peeked = fastPathDialect?.passthrough!.peek(body);
      // On the fast path the provider judges the body in this same dialect; the full decode waits until
      // something needs the canonical request.
      const decoded = await gateway.decode(context, () =>
        peeked !== undefined ? lazyDecodedChatRequest(peeked, () => dialect.decodeRequest(body)) : dialect.decodeRequest(body),
      );
      context.stream = decoded.stream;
      const fastPath = peeked !== undefined ? { dialect: fastPathDialect!, body: body as Record<string, unknown> } : undefined;
      const outcome = await gateway.chat(context, decoded, fastPath);
      if (context.responseHeaders !== undefined) reply.headers(context.responseHeaders);
      const encodeContext: EncodeContext = { requestId, model: decoded.model, created: Math.floor(context.startedAt / 1000), includeUsage: decoded.includeUsage };
      if (outcome.kind === 'result') {
        const warnings = [...decoded.warnings, ...outcome.result.warnings];
        if (warnings.length > 0) reply.header('x-switchyard-warnings', warnings.map((warning) => warning.message).join('; ').replace(/[^\x20-\x7e]/g, ' ').slice(0, 1024));
        return reply
          .header('x-request-id', requestId)
          .header('request-id', requestId)
          .type('application/json')
          .send(JSON.stringify(dialect.encodeResult(outcome.result, encodeContext)));
      }
      if (outcome.kind === 'passthrough-result') {
        return reply.header('x-request-id', requestId).header('request-id', requestId).type('application/json').send(outcome.body);
      }
      reply.hijack();
      if (outcome.kind === 'passthrough-stream') {
        await writeByteStream(reply.raw, outcome.chunks, { ...context.responseHeaders, 'x-request-id': requestId, 'request-id': requestId });
        return reply;
      }
      await writeEventStream(reply.raw, dialect, outcome.events, encodeContext, { ...context.responseHeaders, 'x-request-id': requestId, 'request-id': requestId });
      return reply;
    } catch (error) {
      return sendError(reply, render, toGatewayError(error), requestId);
    } finally {
      clearTimeout(timer);
    }
  });
}

/** The model named in a body, for the ledger of a request that fails before it is decoded. */
export function modelOf(body: unknown): string {
  const model = (body as { model?: unknown } | null | undefined)?.model;
  return typeof model === 'string' ? model.slice(0, 200) : '';
}
