import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';

// Bad input and broken providers: each gets a clear error in the client's own dialect, with a request id,
// and the server keeps serving. Secrets never appear in what the client sees.

let upstream: MockProvider;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    server: { bodyLimitBytes: 4096 },
    providers: [{ name: 'openai', kind: 'openai', apiKey: 'sk-upstream-secret-value-123', baseUrl: upstream.baseUrl }],
    routing: { maxRetries: 0, timeouts: { firstTokenMs: 300, totalMs: 2_000 } },
  });
  client = new OpenAI({ apiKey: testMasterKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${testMasterKey}`, ...headers },
    body,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

describe('bad input', () => {
  it('answers invalid JSON with a 400 in the OpenAI shape', async () => {
    const response = await post('/v1/chat/completions', '{"model": "openai/gpt-4o-mini", "messages": [');
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error' });
    expect(Object.keys(response.body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    expect(response.headers.get('x-request-id')).toMatch(/\S+/);
  });

  it('names the field of a wrong type', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: 'hello' }));
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('messages');
  });

  it('answers an Anthropic client in the Anthropic shape', async () => {
    const response = await post('/v1/messages', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(response.body.error.message).toContain('max_tokens');
  });

  it('rejects a body over the size limit with 413', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }));
    expect(response.status).toBe(413);
    expect(response.body.error.type).toBe('invalid_request_error');
  });

  it('answers an unknown model with 404 (NotFoundError in the SDK)', async () => {
    const error = await client.chat.completions.create({ model: 'no-such-model-anywhere', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('answers a missing or wrong key with 401 in each dialect', async () => {
    const missing = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [] }), { authorization: '' });
    expect(missing.status).toBe(401);
    const wrong = new OpenAI({ apiKey: 'sk-wrong-key', baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const anthropic = new Anthropic({ apiKey: 'sk-wrong-key', baseURL: gateway.url, maxRetries: 0 });
    await expect(anthropic.messages.create({ model: 'openai/gpt-4o-mini', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('answers an unknown route with 404 in the OpenAI shape', async () => {
    const response = await post('/v1/nothing-here', '{}');
    expect(response.status).toBe(404);
    expect(response.body.error.message).toContain('/v1/nothing-here');
  });
});

describe('broken providers', () => {
  it('turns garbage from the provider into a 502', async () => {
    upstream.enqueue({ kind: 'garbage', status: 200, body: '<html>oops</html>', contentType: 'text/html' });
    const error = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('answers a provider that never answers with 504, not a hang', async () => {
    upstream.enqueue({ kind: 'hang' });
    const error = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
  });

  it('never shows the upstream key, even when the provider echoes it', async () => {
    upstream.enqueue({ kind: 'error', status: 401, message: 'Incorrect API key provided: sk-upstream-secret-value-123.', type: 'invalid_request_error' });
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }));
    expect(response.status).toBe(502);
    expect(JSON.stringify(response.body)).not.toContain('sk-upstream-secret-value-123');
    upstream.enqueue({ kind: 'error', status: 400, message: 'Bad thing with key sk-upstream-secret-value-123', type: 'invalid_request_error' });
    const echoed = await post('/v1/chat/completions', JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }));
    expect(JSON.stringify(echoed.body)).not.toContain('sk-upstream-secret-value-123');
  });

  it('keeps serving after all of the above', async () => {
    upstream.enqueue({ kind: 'text', text: 'still here' });
    const completion = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('still here');
  });

  it('records a ledger row for every request, failed ones included', async () => {
    const rows = await gateway.ledgerRows(100);
    const codes = rows.map((row) => row.errorCode).filter(Boolean);
    expect(codes).toEqual(expect.arrayContaining(['invalid_json', 'invalid_request', 'model_not_found', 'authentication_failed', 'upstream_bad_response', 'upstream_timeout']));
  });
});

describe('no provider at all', () => {
  it('starts, says how to add one, and answers chat with a clear 503', async () => {
    const empty = await startTestGateway({});
    try {
      expect(empty.output.join('\n')).toContain('No provider configured');
      const response = await fetch(`${empty.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testMasterKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('x-should-retry')).toBe('false');
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('OPENAI_API_KEY');
    } finally {
      await empty.stop();
    }
  });
});
