import type { FastifyReply } from 'fastify';
import { GatewayError } from '../spec/index.js';
import { redactSecrets } from '../kit/redact-secrets.js';
import type { ChatDialect, RenderedError } from '../dialects/dialect.js';

/** Renders an error through a dialect's error renderer. */
export type ErrorRenderer = (error: GatewayError, requestId: string) => RenderedError;

/** The render function of a chat dialect. */
export function dialectErrorRenderer(dialect: ChatDialect): ErrorRenderer {
  return (error, requestId) => dialect.renderError(error, requestId);
}

/**
 * The headers the official SDKs act on: `retry-after` / `retry-after-ms` where waiting helps (LangChain throws
 * a 429 without one at once), `x-should-retry` so quota and configuration errors are not retried.
 */
export function errorHeaders(error: GatewayError): Record<string, string> {
  const headers: Record<string, string> = { ...error.headers, 'x-should-retry': error.retryable ? 'true' : 'false' };
  let seconds = error.retryAfterSeconds;
  if (seconds === undefined && error.retryable && error.status === 429) seconds = 1;
  if (seconds !== undefined && error.retryable) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(seconds)));
    headers['retry-after-ms'] = String(Math.max(0, Math.round(seconds * 1000)));
  }
  return headers;
}

/** Sends an error answer in the client's dialect. */
export function sendError(reply: FastifyReply, render: ErrorRenderer, error: GatewayError, requestId: string): FastifyReply {
  const rendered = render(withoutSecrets(error), requestId);
  return reply
    .code(rendered.status)
    .headers(errorHeaders(error))
    .header('x-request-id', requestId)
    .header('request-id', requestId)
    .type('application/json')
    .send(JSON.stringify(rendered.body));
}

/** The same error with any key-shaped text in its message replaced. */
export function withoutSecrets(error: GatewayError): GatewayError {
  const message = redactSecrets(error.message);
  if (message === error.message) return error;
  return new GatewayError(error.code, message, {
    status: error.status,
    retryable: error.retryable,
    retryAfterSeconds: error.retryAfterSeconds,
    param: error.param,
    upstreamStatus: error.upstreamStatus,
    upstreamCode: error.upstreamCode,
    headers: error.headers,
  });
}
