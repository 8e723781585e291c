import { describe, expect, it } from 'vitest';
import { geminiError, geminiStreamError, parseGeminiErrorText } from './gemini-error.js';

const status = (code: number, statusName: string, message: string, details: unknown[] = []) =>
  JSON.stringify({ error: { code, message, status: statusName, details } });

describe('gemini errors', () => {
  it('reads the retry delay from RetryInfo', () => {
    const details = parseGeminiErrorText(
      status(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded', [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1.5s' }]),
    );
    const error = geminiError('gemini', 429, {}, details);
    expect(error.code).toBe('upstream_rate_limited');
    expect(error.retryAfterSeconds).toBe(1.5);
    expect(error.upstreamCode).toBe('RESOURCE_EXHAUSTED');
    expect(error.upstreamStatus).toBe(429);
  });

  it('turns API_KEY_INVALID into upstream_authentication_failed without the key', () => {
    const details = parseGeminiErrorText(
      status(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]),
    );
    const error = geminiError('gemini', 400, {}, details);
    expect(error.code).toBe('upstream_authentication_failed');
    expect(error.upstreamCode).toBe('API_KEY_INVALID');
    expect(error.retryable).toBe(false);
  });

  it('keeps other 400s as upstream_rejected with the message passed on', () => {
    const error = geminiError('gemini', 400, {}, parseGeminiErrorText(status(400, 'INVALID_ARGUMENT', 'Invalid value at contents[0]')));
    expect(error.code).toBe('upstream_rejected');
    expect(error.message).toContain('Invalid value at contents[0]');
  });

  it('recognises a prompt over the token limit', () => {
    const details = parseGeminiErrorText(status(400, 'INVALID_ARGUMENT', 'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).'));
    expect(geminiError('gemini', 400, {}, details).code).toBe('context_length_exceeded');
  });

  it('maps 403, 404, 500, 503 and 504', () => {
    const code = (httpStatus: number, name: string) => geminiError('gemini', httpStatus, {}, parseGeminiErrorText(status(httpStatus, name, 'x'))).code;
    expect(code(403, 'PERMISSION_DENIED')).toBe('upstream_authentication_failed');
    expect(code(404, 'NOT_FOUND')).toBe('model_not_found');
    expect(code(500, 'INTERNAL')).toBe('upstream_error');
    expect(code(503, 'UNAVAILABLE')).toBe('upstream_unavailable');
    expect(code(504, 'DEADLINE_EXCEEDED')).toBe('upstream_timeout');
  });

  it('tolerates bodies that are not a Status, passing on a bounded excerpt', () => {
    expect(parseGeminiErrorText('').message).toBe('no error message');
    expect(parseGeminiErrorText('x'.repeat(2000)).message.length).toBe(500);
    expect(parseGeminiErrorText(`[${status(500, 'INTERNAL', 'wrapped')}]`).message).toBe('wrapped');
  });

  it('maps a Status received mid-stream by its own code', () => {
    const error = geminiStreamError('gemini', { error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } });
    expect(error.code).toBe('upstream_rate_limited');
    expect(geminiStreamError('gemini', { error: { message: 'boom' } }).code).toBe('upstream_error');
  });
});
