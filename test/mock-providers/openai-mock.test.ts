import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { validateOpenAISchema } from '../support/openapi-schemas.js';
import { startOpenAIMock } from './openai-mock.js';
import type { MockProvider } from './mock-provider.js';
import { parseSse, postJson } from './wire-reader.js';

const AUTH = { authorization: 'Bearer sk-test' };

describe('OpenAI mock: wire output validates against the OpenAPI schemas', () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startOpenAIMock();
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('non-stream completion is a CreateChatCompletionResponse with derived usage', async () => {
    const { status, text } = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'abcdefgh' }] }, AUTH);
    expect(status).toBe(200);
    const body = JSON.parse(text);
    expect(validateOpenAISchema('CreateChatCompletionResponse', body)).toEqual([]);
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.choices[0].message.content).toBe('Hello from openai mock');
    expect(body.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 4, total_tokens: 6 });
    expect(mock.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o-mini' } });
  });

  it('every stream chunk is a CreateChatCompletionStreamResponse, usage chunk last with choices []', async () => {
    mock.enqueue({ kind: 'text', chunks: ['He', 'llo'], usage: { input: 7, output: 2, cacheRead: 3, reasoning: 1 } });
    const { text, headers } = await postJson(
      `${mock.baseUrl}/chat/completions`,
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, n: 2 },
      AUTH,
    );
    expect(headers.get('content-type')).toMatch(/^text\/event-stream/);
    const frames = parseSse(text);
    expect(frames.at(-1)?.data).toBe('[DONE]');
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.data));
    for (const chunk of chunks) expect(validateOpenAISchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(chunks[0].choices).toHaveLength(2);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({
      prompt_tokens: 10,
      completion_tokens: 3,
      total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 3 },
      completion_tokens_details: { reasoning_tokens: 1 },
    });
    expect(chunks.at(-2).choices[1]).toMatchObject({ index: 1, finish_reason: 'stop' });
  });

  it('error bodies are ErrorResponse, with the given headers', async () => {
    mock.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '2' } });
    const { status, text, headers } = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [] }, AUTH);
    expect(status).toBe(429);
    expect(headers.get('retry-after')).toBe('2');
    const body = JSON.parse(text);
    expect(validateOpenAISchema('ErrorResponse', body)).toEqual([]);
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
  });

  it('a request without a key is a 401 ErrorResponse and consumes no behaviour', async () => {
    mock.enqueue({ kind: 'text', text: 'kept' });
    const unauthorised = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [] });
    expect(unauthorised.status).toBe(401);
    expect(validateOpenAISchema('ErrorResponse', JSON.parse(unauthorised.text))).toEqual([]);
    const ok = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [] }, AUTH);
    expect(JSON.parse(ok.text).choices[0].message.content).toBe('kept');
  });

  it('in-stream error is a data: {"error":…} frame without [DONE]', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1, message: 'boom' });
    const { text } = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [], stream: true }, AUTH);
    const frames = parseSse(text);
    const last = JSON.parse(frames.at(-1)!.data);
    expect(validateOpenAISchema('ErrorResponse', last)).toEqual([]);
    expect(last.error.message).toBe('boom');
    expect(frames.some((frame) => frame.data === '[DONE]')).toBe(false);
  });

  it('embeddings (float) and model list validate', async () => {
    const embeddings = await postJson(`${mock.baseUrl}/embeddings`, { model: 'text-embedding-3-small', input: ['a', 'bb'], encoding_format: 'float' }, AUTH);
    const body = JSON.parse(embeddings.text);
    expect(validateOpenAISchema('CreateEmbeddingResponse', body)).toEqual([]);
    expect(body.data).toHaveLength(2);
    const models = await fetch(`${mock.baseUrl}/models`, { headers: AUTH });
    expect(validateOpenAISchema('ListModelsResponse', await models.json())).toEqual([]);
    const model = await fetch(`${mock.baseUrl}/models/gpt-4o`, { headers: AUTH });
    expect(validateOpenAISchema('Model', await model.json())).toEqual([]);
  });

  it('non-stream tool calls and n=2 choices validate', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_a', name: 'f', arguments: { x: 1 } }] });
    const tools = JSON.parse((await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [] }, AUTH)).text);
    expect(validateOpenAISchema('CreateChatCompletionResponse', tools)).toEqual([]);
    expect(tools.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }] } });
    const two = JSON.parse((await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [], n: 2 }, AUTH)).text);
    expect(validateOpenAISchema('CreateChatCompletionResponse', two)).toEqual([]);
    expect(two.choices.map((choice: { index: number }) => choice.index)).toEqual([0, 1]);
  });

  it('a quota denial is 429 with insufficient_quota as type and code', async () => {
    mock.enqueue({ kind: 'error', status: 429, type: 'insufficient_quota', headers: { 'x-should-retry': 'false' } });
    const { status, text } = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [] }, AUTH);
    expect(status).toBe(429);
    expect(JSON.parse(text).error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
  });

  it('tool-call stream fragments arguments by index and validates', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } }, { name: 'b', arguments: {} }] });
    const { text } = await postJson(`${mock.baseUrl}/chat/completions`, { model: 'm', messages: [], stream: true }, AUTH);
    const chunks = parseSse(text).slice(0, -1).map((frame) => JSON.parse(frame.data));
    for (const chunk of chunks) expect(validateOpenAISchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []).filter((call: { index: number }) => call.index === 0);
    expect(fragments.length).toBeGreaterThan(2);
    expect(fragments.map((call: { function: { arguments: string } }) => call.function.arguments).join('')).toBe('{"city":"Paris","unit":"c"}');
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');
  });
});

describe('OpenAI mock: the official openai SDK works against it', () => {
  let mock: MockProvider;
  let client: OpenAI;
  beforeAll(async () => {
    mock = await startOpenAIMock();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseUrl, maxRetries: 0 });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('chat.completions.create', async () => {
    mock.enqueue({ kind: 'text', text: 'Bonjour' });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Bonjour');
    expect(completion._request_id).toMatch(/^req_/);
  });

  it('stream with include_usage', async () => {
    mock.enqueue({ kind: 'text', chunks: ['a', 'b', 'c'] });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('abc');
    expect(usage?.completion_tokens).toBe(3);
  });

  it('tools stream reassembles through the SDK helper', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    const runner = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    const completion = await runner.finalChatCompletion();
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
  });

  it('embeddings with the default base64 encoding', async () => {
    const response = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['one', 'two'] });
    expect((mock.requests[0].body as { encoding_format: string }).encoding_format).toBe('base64');
    expect(response.data).toHaveLength(2);
    expect(response.data[0].embedding).toHaveLength(8);
    expect(response.data[0].embedding[0]).toBeCloseTo(Math.round((('o'.charCodeAt(0) * 1) % 97) / 97 * 1e6) / 1e6, 5);
  });

  it('models.list', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o-mini');
  });

  it.each([
    [400, OpenAI.BadRequestError],
    [401, OpenAI.AuthenticationError],
    [403, OpenAI.PermissionDeniedError],
    [404, OpenAI.NotFoundError],
    [409, OpenAI.ConflictError],
    [422, OpenAI.UnprocessableEntityError],
    [429, OpenAI.RateLimitError],
    [500, OpenAI.InternalServerError],
    [503, OpenAI.InternalServerError],
  ])('status %i raises the matching error class', async (status, errorClass) => {
    mock.enqueue({ kind: 'error', status, message: `failure ${status}` });
    const error = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((error as Error).message).toContain(`failure ${status}`);
  });

  it('retries a 429 honouring retry-after', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseUrl, maxRetries: 1 });
    mock.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '10', 'retry-after': '0' } }, { kind: 'text', text: 'second' });
    const completion = await retrying.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0].message.content).toBe('second');
    expect(mock.requests).toHaveLength(2);
  });

  it('does not retry when the 429 says x-should-retry: false', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-test', baseURL: mock.baseUrl, maxRetries: 2 });
    mock.enqueue({ kind: 'error', status: 429, type: 'insufficient_quota', headers: { 'x-should-retry': 'false' } });
    const error = await retrying.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('insufficient_quota');
    expect(mock.requests).toHaveLength(1);
  });

  it('in-stream error throws APIError without status', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 2, message: 'overloaded mid-way' });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    const error = await consume().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeUndefined();
    expect((error as Error).message).toContain('overloaded mid-way');
  });

  it('reset-before-response surfaces as a connection error, hang is ended by close()', async () => {
    mock.enqueue({ kind: 'reset-before-response' });
    const error = await client.chat.completions.create({ model: 'm', messages: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    const other = await startOpenAIMock();
    other.enqueue({ kind: 'hang' });
    const hanging = fetch(`${other.baseUrl}/chat/completions`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{"model":"m","messages":[]}' });
    await waitFor(() => other.requests.length === 1);
    await other.close();
    await expect(hanging).rejects.toThrow();
  });
});

/** Polls a condition on the event loop (no wall-clock sleeps): resolves once it holds. */
async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
