import { describe, expect, it } from 'vitest';
import { openaiErrorFromText, openaiStreamError, parseOpenAIErrorText } from './openai-error.js';

describe('OpenAI error bodies', () => {
  it('reads the documented error object', () => {
    const details = parseOpenAIErrorText(JSON.stringify({ error: { message: 'Bad temperature', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } }));
    expect(details).toMatchObject({ message: 'Bad temperature', upstreamCode: 'invalid_value', status: 400 });
  });

  it('recognises Azure content filtering by code or inner error', () => {
    expect(parseOpenAIErrorText(JSON.stringify({ error: { message: 'filtered', code: 'content_filter' } })).contentFiltered).toBe(true);
    expect(parseOpenAIErrorText(JSON.stringify({ error: { message: 'filtered', innererror: { code: 'ResponsibleAIPolicyViolation' } } })).contentFiltered).toBe(true);
  });

  it('reads bare-string errors and non-JSON bodies, bounded', () => {
    expect(parseOpenAIErrorText('{"error":"model not loaded"}').message).toBe('model not loaded');
    expect(parseOpenAIErrorText('x'.repeat(2000)).message).toHaveLength(500);
    expect(parseOpenAIErrorText('').message).toBe('no error message');
  });

  it('maps a 413 with a context message and a 422 to the catalog', () => {
    expect(openaiErrorFromText('vllm', 413, {}, '{"error":{"message":"prompt is too long"}}').code).toBe('context_length_exceeded');
    const unprocessable = openaiErrorFromText('openai', 422, {}, '{"error":{"message":"nope"}}');
    expect([unprocessable.code, unprocessable.status]).toEqual(['upstream_rejected', 422]);
  });

  it('gives mid-stream errors the status their type or numeric code implies', () => {
    expect(openaiStreamError('openai', { message: 'slow down', type: 'requests', code: 'rate_limit_exceeded' }).code).toBe('upstream_rate_limited');
    expect(openaiStreamError('vllm', { message: 'bad', type: 'BadRequestError', code: 400 }).code).toBe('upstream_rejected');
    expect(openaiStreamError('x', 'boom').code).toBe('upstream_error');
    expect(openaiStreamError('openai', { message: 'too long', code: 'context_length_exceeded' }).code).toBe('context_length_exceeded');
  });

  it('keeps the request key out of the message', () => {
    const error = openaiErrorFromText('openai', 401, {}, '{"error":{"message":"Incorrect API key provided: sk-abc***xyz.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}');
    expect(error.code).toBe('upstream_authentication_failed');
    expect(error.message).not.toContain('sk-abc');
  });
});
