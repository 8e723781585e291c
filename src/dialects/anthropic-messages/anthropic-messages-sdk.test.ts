import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { GatewayError } from '../../spec/index.js';
import type { ChatEvent } from '../../spec/index.js';
import { startLoopbackServer, type CannedResponse } from '../__fixtures__/loopback-server.js';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';

// The official @anthropic-ai/sdk parses exactly the bytes this dialect produces, served from 127.0.0.1.
let next: CannedResponse = { status: 200, contentType: 'application/json', body: '{}' };
let server: Awaited<ReturnType<typeof startLoopbackServer>>;
let client: Anthropic;

beforeAll(async () => {
  server = await startLoopbackServer(() => next);
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseUrl, maxRetries: 0 });
});
afterAll(() => server.close());

const context = { requestId: 'req9', model: 'claude-sonnet-4-5', created: 1700000000, includeUsage: true };
const params = { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user' as const, content: 'x' }] };

function sse(events: ChatEvent[]): CannedResponse {
  const encoder = anthropicMessagesDialect.createStreamEncoder(context);
  return { status: 200, contentType: 'text/event-stream', body: events.map((event) => encoder.encode(event)).join('') };
}

describe('@anthropic-ai/sdk against the anthropic-messages dialect', () => {
  it('reads a message with thinking and tool_use', async () => {
    const body = anthropicMessagesDialect.encodeResult(
      {
        id: 'msg_1',
        choices: [
          {
            index: 0,
            content: [{ type: 'reasoning', text: 'hm', signature: 's' }, { type: 'text', text: 'Hi' }, { type: 'tool-call', id: 'toolu_1', name: 'f', arguments: '{"a":1}' }],
            finishReason: { unified: 'tool-calls' },
          },
        ],
        usage: { inputTokens: 3, cacheWriteTokens: 2, outputTokens: 4, reasoningTokens: 1 },
        warnings: [],
      },
      context,
    );
    next = { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
    const message = await client.messages.create(params);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'hm', signature: 's' },
      { type: 'text', text: 'Hi' },
      { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({ input_tokens: 3, output_tokens: 5, cache_creation_input_tokens: 2, cache_read_input_tokens: null });
    expect(message._request_id).toBe('req_test');
  });

  it('accumulates a stream into the final message, merging message_delta usage', async () => {
    next = sse([
      { type: 'stream-start', id: 'msg_s', warnings: [] },
      { type: 'reasoning-delta', choice: 0, delta: 'Let me think.' },
      { type: 'reasoning-delta', choice: 0, delta: '', signature: 'sig' },
      { type: 'text-delta', choice: 0, delta: 'Checking ' },
      { type: 'text-delta', choice: 0, delta: 'now.' },
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'toolu_a', name: 'get_weather', argumentsDelta: '{"city":' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '"Oslo"}' },
      { type: 'tool-call-delta', choice: 0, index: 1, id: 'toolu_b', name: 'now', argumentsDelta: '' },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: { inputTokens: 25, cacheReadTokens: 1000, cacheWriteTokens: 0, outputTokens: 40, reasoningTokens: 10 } },
    ]);
    const message = await client.messages.stream(params).finalMessage();
    expect(message.id).toBe('msg_s');
    expect(message.model).toBe('claude-sonnet-4-5');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig' },
      { type: 'text', text: 'Checking now.' },
      { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Oslo' } },
      { type: 'tool_use', id: 'toolu_b', name: 'now', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 25, output_tokens: 50, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0 });
  });

  it('throws APIError with no status on a mid-stream error event', async () => {
    next = sse([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', choice: 0, delta: 'a' },
      { type: 'error', error: new GatewayError('upstream_unavailable', 'Overloaded', { status: 529 }) },
    ]);
    const error = await client.messages.stream(params).finalMessage().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
    expect((error as Error).message).toContain('overloaded_error');
  });

  it.each([
    ['upstream_unavailable', 529, Anthropic.InternalServerError, 'overloaded_error'],
    ['rate_limited', undefined, Anthropic.RateLimitError, 'rate_limit_error'],
    ['authentication_failed', undefined, Anthropic.AuthenticationError, 'authentication_error'],
    ['model_not_found', undefined, Anthropic.NotFoundError, 'not_found_error'],
    ['invalid_request', undefined, Anthropic.BadRequestError, 'invalid_request_error'],
    ['permission_denied', undefined, Anthropic.PermissionDeniedError, 'permission_error'],
  ] as const)('maps %s to the SDK error class', async (code, status, errorClass, type) => {
    const rendered = anthropicMessagesDialect.renderError(new GatewayError(code, 'nope', { status }), 'req_x');
    expect(rendered.body).toEqual({ type: 'error', error: { type, message: 'nope' }, request_id: 'req_x' });
    next = { status: rendered.status, contentType: 'application/json', body: JSON.stringify(rendered.body) };
    const error = await client.messages.create(params).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(status ?? new GatewayError(code, '').status);
    if (status === 529) expect(error).toBeInstanceOf(Anthropic.OverloadedError);
  });

  it('renders a mid-stream error as an error event', () => {
    expect(anthropicMessagesDialect.encodeStreamError(new GatewayError('upstream_timeout', 'slow'), 'req_1')).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"slow"},"request_id":"req_1"}\n\n',
    );
  });
});
