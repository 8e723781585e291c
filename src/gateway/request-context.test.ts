import { describe, expect, it } from 'vitest';
import { createRequestContext, sourceTextOf } from './request-context.js';

function context() {
  return createRequestContext({ requestId: 'r1', dialect: 'openai-chat', operation: 'chat', signal: new AbortController().signal, presentedKey: undefined, requestedModel: 'gpt-4o', stream: false, startedAt: 0, startedMonotonic: 0 });
}

describe('sourceTextOf', () => {
  it('gives the client text while the body is the value parsed from it', () => {
    const request = context();
    const text = '{"model": "gpt-4o", "messages": [{"role": "user", "content": "mail ann@example.com"}]}';
    request.body = JSON.parse(text) as unknown;
    request.bodySource = { value: request.body, text };
    expect(sourceTextOf(request)).toBe(text);
  });

  it('gives nothing once a stage replaced the body (masking), so the stored payload is the masked one', () => {
    const request = context();
    const text = '{"messages": [{"role": "user", "content": "mail ann@example.com"}]}';
    request.body = JSON.parse(text) as unknown;
    request.bodySource = { value: request.body, text };
    request.body = { messages: [{ role: 'user', content: 'mail [EMAIL_1]' }] };
    expect(sourceTextOf(request)).toBeUndefined();
  });

  it('gives nothing when the body never came from a text', () => {
    expect(sourceTextOf(context())).toBeUndefined();
  });
});
