import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startAnthropicMock } from './anthropic-mock.js';
import type { MockProvider } from './mock-provider.js';
import { parseSse, postJson } from './wire-reader.js';

const HEADERS = { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };

describe('Anthropic mock against @anthropic-ai/sdk', () => {
  let mock: MockProvider;
  let client: Anthropic;
  beforeAll(async () => {
    mock = await startAnthropicMock();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: mock.baseUrl, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('messages.create returns text, usage in Anthropic semantics and the request id', async () => {
    mock.enqueue({ kind: 'text', text: 'Bonjour', usage: { input: 10, cacheRead: 5, cacheWrite: 2, output: 3, reasoning: 4 } });
    const message = await client.messages.create({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Bonjour' }]);
    expect(message.model).toBe('claude-test');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 10, cache_read_input_tokens: 5, cache_creation_input_tokens: 2, output_tokens: 7 });
    expect(message._request_id).toMatch(/^req_/);
    expect(mock.requests[0].headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('messages.stream().finalMessage() merges message_start and message_delta usage', async () => {
    mock.enqueue({ kind: 'text', chunks: ['a', 'b', 'c'] });
    const stream = client.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'abcdefgh' }] });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toEqual(['a', 'b', 'c']);
    expect(message.content).toEqual([{ type: 'text', text: 'abc', citations: undefined }].map(({ type, text }) => expect.objectContaining({ type, text })));
    expect(message.usage).toMatchObject({ input_tokens: 2, output_tokens: 3 });
  });

  it('tool_use streams input_json_delta fragments that the SDK reassembles', async () => {
    mock.enqueue({ kind: 'tool-calls', text: 'Let me check.', calls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris', days: 2 } }] });
    const stream = client.messages.stream({
      model: 'claude-test',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    const fragments: string[] = [];
    stream.on('inputJson', (partial) => fragments.push(partial));
    const message = await stream.finalMessage();
    expect(fragments.length).toBeGreaterThan(1);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[1]).toMatchObject({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: 2 } });
  });

  it('tool_use non-stream, then a tool_result round trip', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ name: 'lookup', arguments: { q: 'x' } }] }, { kind: 'text', text: 'done' });
    const first = await client.messages.create({ model: 'claude-test', max_tokens: 10, messages: [{ role: 'user', content: 'go' }] });
    const toolUse = first.content.find((block) => block.type === 'tool_use');
    expect(toolUse).toMatchObject({ name: 'lookup', input: { q: 'x' } });
    const second = await client.messages.create({
      model: 'claude-test',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse!.type === 'tool_use' ? toolUse!.id : '', content: '42' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'done' });
  });

  it('countTokens and models.list', async () => {
    const count = await client.messages.countTokens({ model: 'claude-test', messages: [{ role: 'user', content: 'abcdefgh' }] });
    expect(count.input_tokens).toBe(2);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-sonnet-4-5', 'claude-haiku-4-5']);
  });

  it('529 raises OverloadedError with the error body and request id', async () => {
    mock.enqueue({ kind: 'error', status: 529 });
    const error = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(529);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect((error as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^req_/);
  });

  it.each([
    [400, Anthropic.BadRequestError],
    [401, Anthropic.AuthenticationError],
    [403, Anthropic.PermissionDeniedError],
    [404, Anthropic.NotFoundError],
    [429, Anthropic.RateLimitError],
    [500, Anthropic.InternalServerError],
  ])('status %i raises the matching error class', async (status, errorClass) => {
    mock.enqueue({ kind: 'error', status });
    const error = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
  });

  it('in-stream error event raises APIError without status', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1 });
    const stream = client.messages.stream({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] });
    const error = await stream.finalMessage().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
    expect((error as Error).message).toContain('overloaded_error');
  });

  it('raw SSE: event order with ping, and the missing-header errors', async () => {
    const { text } = await postJson(`${mock.baseUrl}/v1/messages`, { model: 'm', max_tokens: 5, messages: [], stream: true }, HEADERS);
    const events = parseSse(text).map((frame) => frame.event);
    expect(events).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const noVersion = await postJson(`${mock.baseUrl}/v1/messages`, { model: 'm', max_tokens: 5, messages: [] }, { 'x-api-key': 'k' });
    expect(noVersion.status).toBe(400);
    const noKey = await postJson(`${mock.baseUrl}/v1/messages`, { model: 'm', max_tokens: 5, messages: [] }, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(JSON.parse(noKey.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });
});
