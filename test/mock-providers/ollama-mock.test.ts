import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Ollama } from 'ollama';
import { validateOllamaSchema } from '../support/openapi-schemas.js';
import { startOllamaMock } from './ollama-mock.js';
import type { MockProvider } from './mock-provider.js';
import { parseNdjson, postJson } from './wire-reader.js';

describe('Ollama mock against the ollama client', () => {
  let mock: MockProvider;
  let client: Ollama;
  beforeAll(async () => {
    mock = await startOllamaMock();
    client = new Ollama({ host: mock.baseUrl });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('chat (non-stream) returns the message and usage counts', async () => {
    mock.enqueue({ kind: 'text', text: 'Salut', usage: { input: 3, output: 2 } });
    const response = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: false });
    expect(response.message).toMatchObject({ role: 'assistant', content: 'Salut' });
    expect(response).toMatchObject({ done: true, done_reason: 'stop', prompt_eval_count: 3, eval_count: 2, model: 'llama3.2' });
  });

  it('chat stream yields NDJSON parts and a final done line', async () => {
    mock.enqueue({ kind: 'text', chunks: ['x', 'y', 'z'] });
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'abcdefgh' }], stream: true });
    const parts: string[] = [];
    let last: { done: boolean; prompt_eval_count?: number; eval_count?: number } | undefined;
    for await (const part of stream) {
      parts.push(part.message.content);
      last = part;
    }
    expect(parts.join('')).toBe('xyz');
    expect(last).toMatchObject({ done: true, prompt_eval_count: 2, eval_count: 3 });
  });

  it('tool calls arrive whole with arguments as an object', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const response = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'weather?' }], stream: false });
    expect(response.message.tool_calls?.[0].function).toMatchObject({ name: 'get_weather', arguments: { city: 'Paris' } });
  });

  it('embed and list', async () => {
    const embedded = await client.embed({ model: 'nomic-embed-text', input: ['a', 'b'] });
    expect(embedded.embeddings).toHaveLength(2);
    const list = await client.list();
    expect(list.models.map((model) => model.name)).toContain('llama3.2:latest');
  });

  it('an error status throws ResponseError with status_code; an in-stream error line throws', async () => {
    mock.enqueue({ kind: 'error', status: 404 });
    const error = await client.chat({ model: 'missing', messages: [], stream: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ResponseError', status_code: 404 });
    expect((error as Error).message).toContain('not found');
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1, message: 'model crashed' });
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'x' }], stream: true });
    const consume = async (): Promise<void> => {
      for await (const _part of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow('model crashed');
  });
});

describe('Ollama mock outputs validate against the Ollama OpenAPI schemas', () => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await startOllamaMock();
  });
  afterAll(() => mock.close());

  it('chat stream lines are ChatStreamEvent, the last also a ChatResponse', async () => {
    mock.enqueue({ kind: 'tool-calls', text: 'checking', calls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }] });
    const { text, headers } = await postJson(`${mock.baseUrl}/api/chat`, { model: 'llama3.2', messages: [{ role: 'user', content: 'x' }] });
    expect(headers.get('content-type')).toBe('application/x-ndjson');
    const lines = parseNdjson(text);
    for (const line of lines) expect(validateOllamaSchema('ChatStreamEvent', line)).toEqual([]);
    expect(validateOllamaSchema('ChatResponse', lines.at(-1))).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ done: true });
  });

  it('non-stream chat, embed, tags, version and errors validate', async () => {
    const chat = await postJson(`${mock.baseUrl}/api/chat`, { model: 'llama3.2', messages: [{ role: 'user', content: 'x' }], stream: false });
    expect(validateOllamaSchema('ChatResponse', JSON.parse(chat.text))).toEqual([]);
    const embed = await postJson(`${mock.baseUrl}/api/embed`, { model: 'nomic-embed-text', input: 'x' });
    expect(validateOllamaSchema('EmbedResponse', JSON.parse(embed.text))).toEqual([]);
    const tags = await (await fetch(`${mock.baseUrl}/api/tags`)).json();
    expect(validateOllamaSchema('ListResponse', tags)).toEqual([]);
    const version = await (await fetch(`${mock.baseUrl}/api/version`)).json();
    expect(validateOllamaSchema('VersionResponse', version)).toEqual([]);
    mock.enqueue({ kind: 'error', status: 500 });
    const failed = await postJson(`${mock.baseUrl}/api/chat`, { model: 'llama3.2', messages: [] });
    expect(failed.status).toBe(500);
    expect(validateOllamaSchema('ErrorResponse', JSON.parse(failed.text))).toEqual([]);
  });
});

describe('Ollama mock: POST /api/pull', () => {
  let mock: MockProvider;
  let client: Ollama;
  beforeAll(async () => {
    mock = await startOllamaMock();
    client = new Ollama({ host: mock.baseUrl });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('streams StatusEvent lines the ollama client reads, bytes growing to the total, ending in success', async () => {
    const stream = await client.pull({ model: 'llama3:8b', stream: true });
    const events: Array<{ status: string; digest?: string; total?: number; completed?: number }> = [];
    for await (const event of stream) events.push(event);
    expect(events[0]).toEqual({ status: 'pulling manifest' });
    expect(events.at(-1)).toEqual({ status: 'success' });
    const layer = events.filter((event) => event.digest === events[1].digest);
    expect(layer.map((event) => event.completed)).toEqual([0, layer[0].total! / 4, layer[0].total! / 2, layer[0].total]);
    expect(events.map((event) => event.status)).toContain('verifying sha256 digest');
    const tags = await client.list();
    expect(tags.models.map((model) => model.name)).toContain('llama3:8b');
  });

  it('validates against the OpenAPI StatusEvent and StatusResponse schemas', async () => {
    const streamed = await postJson(`${mock.baseUrl}/api/pull`, { model: 'llama3:8b' });
    expect(streamed.headers.get('content-type')).toBe('application/x-ndjson');
    for (const line of parseNdjson(streamed.text)) expect(validateOllamaSchema('StatusEvent', line)).toEqual([]);
    const whole = await postJson(`${mock.baseUrl}/api/pull`, { model: 'llama3:8b', stream: false });
    expect(JSON.parse(whole.text)).toEqual({ status: 'success' });
    expect(validateOllamaSchema('StatusResponse', JSON.parse(whole.text))).toEqual([]);
  });

  it('reports a failed pull as an error line with status 200, which the client throws', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 2, message: 'pull model manifest: file does not exist' });
    const stream = await client.pull({ model: 'no-such-model', stream: true });
    const statuses: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const event of stream) statuses.push(event.status);
    };
    await expect(consume()).rejects.toThrow('file does not exist');
    expect(statuses).toHaveLength(3);
    expect((await client.list()).models.map((model) => model.name)).not.toContain('no-such-model');
  });

  it('refuses a pull without a model with 400', async () => {
    const answer = await postJson(`${mock.baseUrl}/api/pull`, {});
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ error: 'model is required' });
  });
});
