import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { GatewayError } from '../../spec/index.js';
import type { ChatEvent } from '../../spec/index.js';
import { startLoopbackServer, type CannedResponse } from '../__fixtures__/loopback-server.js';
import { openaiChatDialect } from './openai-chat-dialect.js';

// The official openai SDK parses exactly the bytes this dialect produces, served from 127.0.0.1.
let next: CannedResponse = { status: 200, contentType: 'application/json', body: '{}' };
let server: Awaited<ReturnType<typeof startLoopbackServer>>;
let client: OpenAI;

beforeAll(async () => {
  server = await startLoopbackServer(() => next);
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${server.baseUrl}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());

const context = { requestId: 'req9', model: 'gpt-4o-mini', created: 1700000000, includeUsage: true };

function sse(events: ChatEvent[]): CannedResponse {
  const encoder = openaiChatDialect.createStreamEncoder(context);
  return { status: 200, contentType: 'text/event-stream', body: events.map((event) => encoder.encode(event)).join('') };
}

describe('openai SDK against the openai-chat dialect', () => {
  it('reads a completion with tool calls and usage', async () => {
    const response = openaiChatDialect.encodeResult(
      {
        choices: [{ index: 0, content: [{ type: 'text', text: 'Hi' }, { type: 'tool-call', id: 'c1', name: 'f', arguments: '{"a":1}' }], finishReason: { unified: 'tool-calls' } }],
        usage: { inputTokens: 3, cacheReadTokens: 2, outputTokens: 4 },
        warnings: [],
      },
      context,
    );
    next = { status: 200, contentType: 'application/json', body: JSON.stringify(response) };
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0].message.content).toBe('Hi');
    expect(completion.choices[0].message.tool_calls?.[0]).toEqual({ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } });
    expect(completion.usage).toEqual({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9, prompt_tokens_details: { cached_tokens: 2 } });
    expect(completion._request_id).toBe('req_test');
  });

  it('accumulates a streamed answer with tool calls into the final completion', async () => {
    next = sse([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', choice: 0, delta: 'Let me ' },
      { type: 'text-delta', choice: 0, delta: 'check.' },
      { type: 'tool-call-delta', choice: 0, index: 0, id: 'call_1', name: 'get_weather', argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: 'ty":"Oslo"}' },
      { type: 'finish', finishReason: { unified: 'tool-calls' }, usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 2 } },
    ]);
    const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe('Let me check.');
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } });
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.usage).toEqual({ prompt_tokens: 10, completion_tokens: 7, total_tokens: 17, completion_tokens_details: { reasoning_tokens: 2 } });
    expect(final.model).toBe('gpt-4o-mini');
  });

  it('raw chunk iteration ends at [DONE] with the usage chunk last', async () => {
    next = sse([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', choice: 0, delta: 'a' },
      { type: 'finish', finishReason: { unified: 'stop' }, usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    const chunks = [];
    for await (const chunk of await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true })) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([{ role: 'assistant', content: '', refusal: null }, { content: 'a' }, {}, undefined]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(2);
  });

  it('throws APIError on a mid-stream error event', async () => {
    next = sse([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', choice: 0, delta: 'a' },
      { type: 'error', error: new GatewayError('upstream_timeout', 'The provider timed out') },
    ]);
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const consume = async () => {
      for await (const _chunk of stream) void _chunk;
    };
    const error = await consume().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeUndefined();
    expect((error as Error).message).toContain('The provider timed out');
  });

  it.each([
    ['rate_limited', OpenAI.RateLimitError],
    ['authentication_failed', OpenAI.AuthenticationError],
    ['model_not_found', OpenAI.NotFoundError],
    ['invalid_request', OpenAI.BadRequestError],
    ['upstream_unavailable', OpenAI.InternalServerError],
  ] as const)('maps %s to the SDK error class', async (code, errorClass) => {
    const rendered = openaiChatDialect.renderError(new GatewayError(code, 'nope', { status: code === 'upstream_unavailable' ? 529 : undefined }), 'r');
    next = { status: rendered.status, contentType: 'application/json', body: JSON.stringify(rendered.body) };
    const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe((rendered.body.error as { code: string }).code);
  });
});
