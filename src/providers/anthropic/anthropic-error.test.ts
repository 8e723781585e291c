import { describe, expect, it } from 'vitest';
import { anthropicStreamError, parseAnthropicErrorText } from './anthropic-error.js';

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_1' });

describe('anthropicStreamError', () => {
  it.each([
    ['overloaded_error', 'upstream_unavailable', true],
    ['rate_limit_error', 'upstream_rate_limited', true],
    ['api_error', 'upstream_error', true],
    ['timeout_error', 'upstream_timeout', true],
    ['authentication_error', 'upstream_authentication_failed', false],
    ['permission_error', 'upstream_authentication_failed', false],
    ['not_found_error', 'model_not_found', false],
    ['request_too_large', 'request_too_large', false],
    ['invalid_request_error', 'upstream_rejected', false],
    ['billing_error', 'upstream_rejected', false],
    ['brand_new_error', 'upstream_error', true],
  ])('maps %s to %s', (type, code, retryable) => {
    const error = anthropicStreamError('anthropic', body(type, 'boom'));
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.upstreamCode).toBe(type);
    expect(error.message.startsWith('anthropic: ')).toBe(true);
  });

  it("passes the provider's message on", () => {
    expect(anthropicStreamError('anthropic', body('overloaded_error', 'Overloaded')).message).toBe('anthropic: Overloaded');
  });

  it('recognises a prompt that is too long', () => {
    expect(anthropicStreamError('anthropic', body('invalid_request_error', 'prompt is too long: 300000 tokens > 200000 maximum')).code).toBe('context_length_exceeded');
  });

  it('survives data that is not an Anthropic error', () => {
    const error = anthropicStreamError('anthropic', 'not json');
    expect(error.code).toBe('upstream_error');
    expect(error.message).toBe('anthropic: not json');
  });
});

describe('parseAnthropicErrorText', () => {
  it('reads type and message from the error body', () => {
    expect(parseAnthropicErrorText(body('rate_limit_error', 'slow down'))).toEqual({ message: 'slow down', upstreamCode: 'rate_limit_error' });
  });

  it('passes a bounded excerpt of a non-JSON body on, and names an empty one', () => {
    expect(parseAnthropicErrorText('x'.repeat(2000)).message).toHaveLength(500);
    expect(parseAnthropicErrorText('   ')).toEqual({ message: 'no error message' });
    expect(parseAnthropicErrorText('{"error":"other shape"}').upstreamCode).toBeUndefined();
  });
});
