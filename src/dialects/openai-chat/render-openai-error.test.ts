import { describe, expect, it } from 'vitest';
import { GatewayError, errorCatalog, type ErrorCode } from '../../spec/index.js';
import { validateOpenAISchema } from '../../../test/support/openapi-schemas.js';
import { encodeOpenAIStreamError, renderOpenAIError } from './render-openai-error.js';

describe('renderOpenAIError', () => {
  it('renders all four keys with the catalog type and code', () => {
    const rendered = renderOpenAIError(new GatewayError('invalid_request', 'messages[0].content: bad', { param: 'messages[0].content' }), 'r1');
    expect(rendered).toEqual({
      status: 400,
      body: { error: { message: 'messages[0].content: bad', type: 'invalid_request_error', param: 'messages[0].content', code: 'invalid_request' } },
    });
  });

  it.each([
    ['rate_limited', 429, 'requests', 'rate_limit_exceeded'],
    ['upstream_rate_limited', 429, 'requests', 'rate_limit_exceeded'],
    ['budget_exceeded', 429, 'insufficient_quota', 'insufficient_quota'],
    ['authentication_failed', 401, 'invalid_request_error', 'invalid_api_key'],
    ['context_length_exceeded', 400, 'invalid_request_error', 'context_length_exceeded'],
    ['model_not_found', 404, 'invalid_request_error', 'model_not_found'],
    ['permission_denied', 403, 'permission_error', 'permission_denied'],
    ['upstream_timeout', 504, 'server_error', 'upstream_timeout'],
  ] as const)('%s -> %i %s/%s', (code, status, type, openAICode) => {
    const rendered = renderOpenAIError(new GatewayError(code, 'm'), 'r');
    expect(rendered.status).toBe(status);
    expect(rendered.body).toEqual({ error: { message: 'm', type, param: null, code: openAICode } });
  });

  it('never leaks Anthropic 529: it becomes 503', () => {
    expect(renderOpenAIError(new GatewayError('upstream_unavailable', 'Overloaded', { status: 529 }), 'r').status).toBe(503);
    expect(renderOpenAIError(new GatewayError('upstream_rejected', 'bad', { status: 422 }), 'r').status).toBe(422);
  });

  it('matches the OpenAPI ErrorResponse schema for every catalog code', () => {
    for (const code of Object.keys(errorCatalog) as ErrorCode[]) {
      const rendered = renderOpenAIError(new GatewayError(code, 'x'), 'r');
      expect(validateOpenAISchema('ErrorResponse', rendered.body), code).toEqual([]);
    }
  });

  it('encodes a mid-stream error as one data event without [DONE]', () => {
    const text = encodeOpenAIStreamError(new GatewayError('upstream_error', 'boom'), 'r');
    expect(text).toBe('data: {"error":{"message":"boom","type":"server_error","param":null,"code":"upstream_error"}}\n\n');
  });
});
