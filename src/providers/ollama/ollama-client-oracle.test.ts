import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Ollama, type ChatRequest as OllamaClientChatRequest } from 'ollama';
import type { CallOptions, ChatEvent, ChatRequest } from '../../spec/index.js';
import { UpstreamHttpClient } from '../../kit/upstream-http-client.js';
import { systemClock } from '../../kit/system-clock.js';
import { silentLogger } from '../../kit/silent-logger.js';
import { fixtureBodyText, loadWireFixtures } from '../contract/wire-fixture.js';
import { createOllamaAdapter } from './ollama-adapter.js';

// The official `ollama` client (0.6.4) is the oracle for the wire: what it sends for a request written
// against its own types is what the adapter must send, and the fixture streams must satisfy it.

interface Recorded {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const fixtures = loadWireFixtures(fileURLToPath(new URL('./__fixtures__', import.meta.url)));
const fixtureNamed = (name: string) => {
  const fixture = fixtures.find((candidate) => candidate.name === name);
  if (fixture === undefined) throw new Error(`no fixture ${name}`);
  return fixture;
};

let server: Server;
let host: string;
const recorded: Recorded[] = [];
let reply: { status: number; contentType: string; body: string } = { status: 200, contentType: 'application/json', body: '{}' };
const http = new UpstreamHttpClient({ connectTimeoutMs: 2000, headersTimeoutMs: 5000, idleTimeoutMs: 5000 });

beforeAll(async () => {
  server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      recorded.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: text === '' ? undefined : JSON.parse(text) });
      response.writeHead(reply.status, { 'content-type': reply.contentType });
      response.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function call(): CallOptions {
  return { signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger };
}

function serveStream(name: string): void {
  reply = { status: 200, contentType: 'application/x-ndjson', body: fixtureBodyText(fixtureNamed(name)) };
}

async function collect(stream: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const pixel = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const weatherParameters = { type: 'object', properties: { city: { type: 'string', description: 'City name' } }, required: ['city'] };

describe('the official ollama client as an oracle', () => {
  it('sends the same /api/chat body for an equivalent request', async () => {
    const clientRequest: OllamaClientChatRequest & { stream: true } = {
      model: 'qwen3',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is in this picture, and the weather in Paris?', images: [pixel] },
        { role: 'assistant', content: '', thinking: 'Need the weather.', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: '{"temperature":21}', tool_name: 'get_weather' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: weatherParameters } }],
      format: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
      options: { temperature: 0.5, top_p: 0.8, top_k: 20, num_predict: 100, stop: ['END'], seed: 3, presence_penalty: 0.2, frequency_penalty: 0.4 },
      think: 'medium',
      keep_alive: '5m',
      stream: true,
    };
    const canonical: ChatRequest = {
      model: 'qwen3',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'What is in this picture, and the weather in Paris?' }, { type: 'image', url: `data:image/png;base64,${pixel}` }] },
        { role: 'assistant', content: [{ type: 'reasoning', text: 'Need the weather.' }, { type: 'tool-call', id: 'call_0', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'call_0', content: [{ type: 'text', text: '{"temperature":21}' }] }] },
      ],
      tools: [{ name: 'get_weather', description: 'Current weather', parameters: weatherParameters }],
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] } },
      temperature: 0.5,
      topP: 0.8,
      topK: 20,
      maxOutputTokens: 100,
      stopSequences: ['END'],
      seed: 3,
      presencePenalty: 0.2,
      frequencyPenalty: 0.4,
      reasoningEffort: 'medium',
    };

    serveStream('stream-text');
    recorded.length = 0;
    const client = new Ollama({ host, headers: { Authorization: 'Bearer oracle-key' } });
    const parts = [];
    for await (const part of await client.chat(clientRequest)) parts.push(part);
    expect(parts.at(-1)?.done).toBe(true);

    const adapter = createOllamaAdapter('ollama', { host, apiKey: 'oracle-key', keepAlive: '5m' });
    const events = await collect(await adapter.doChatStream(canonical, call()));
    expect(events.at(-1)?.type).toBe('finish');

    expect(recorded).toHaveLength(2);
    const [fromClient, fromAdapter] = recorded;
    expect(fromAdapter.method).toBe(fromClient.method);
    expect(fromAdapter.path).toBe(fromClient.path);
    expect(fromAdapter.headers['content-type']).toBe(fromClient.headers['content-type']);
    expect(fromAdapter.headers.authorization).toBe(fromClient.headers.authorization);
    expect(fromAdapter.body).toEqual(fromClient.body);
  });

  it('sends the same /api/embed body', async () => {
    reply = { status: 200, contentType: 'application/json', body: JSON.stringify(fixtureNamed('embed').upstream.response.body) };
    recorded.length = 0;
    const client = new Ollama({ host });
    const fromClient = await client.embed({ model: 'embeddinggemma', input: ['a', 'b'], dimensions: 4, truncate: false, keep_alive: '5m' });
    const adapter = createOllamaAdapter('ollama', { host, keepAlive: '5m' });
    const result = await adapter.doEmbed({ model: 'embeddinggemma', input: ['a', 'b'], dimensions: 4, providerOptions: { ollama: { truncate: false } } }, call());
    expect(result.embeddings).toEqual(fromClient.embeddings);
    expect(recorded[1].path).toBe(recorded[0].path);
    expect(recorded[1].body).toEqual(recorded[0].body);
  });

  it('reads /api/tags like the client', async () => {
    reply = { status: 200, contentType: 'application/json', body: JSON.stringify(fixtureNamed('list-models').upstream.response.body) };
    const fromClient = await new Ollama({ host }).list();
    const models = await createOllamaAdapter('ollama', { host }).listModels(call());
    expect(models.map((model) => model.id)).toEqual(fromClient.models.map((model) => model.name));
  });

  const goodStreams = ['stream-text', 'stream-thinking', 'stream-tool-calls'];
  for (const name of goodStreams) {
    it(`the client accepts ${name} and reads the same content as the adapter`, async () => {
      serveStream(name);
      const client = new Ollama({ host });
      let content = '';
      let thinking = '';
      const toolCalls: string[] = [];
      let last: { done: boolean; eval_count?: number; prompt_eval_count?: number } | undefined;
      for await (const part of await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
        content += part.message.content;
        thinking += part.message.thinking ?? '';
        for (const toolCall of part.message.tool_calls ?? []) toolCalls.push(JSON.stringify(toolCall.function.arguments));
        last = part;
      }
      expect(last?.done).toBe(true);

      const events = await collect(await createOllamaAdapter('ollama', { host }).doChatStream({ model: 'llama3.2', messages: [] }, call()));
      const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
      const reasoning = events.flatMap((event) => (event.type === 'reasoning-delta' ? [event.delta] : [])).join('');
      const calls = events.flatMap((event) => (event.type === 'tool-call-delta' ? [event.argumentsDelta] : []));
      expect(text).toBe(content);
      expect(reasoning).toBe(thinking);
      expect(calls).toEqual(toolCalls);
      const finish = events.at(-1);
      expect(finish?.type).toBe('finish');
      if (finish?.type === 'finish') {
        expect(finish.usage.outputTokens).toBe(last?.eval_count);
        expect(finish.usage.inputTokens).toBe(last?.prompt_eval_count);
      }
    });
  }

  it('the client also fails the streams the adapter ends with an error', async () => {
    serveStream('stream-error-line');
    const client = new Ollama({ host });
    await expect(async () => {
      for await (const _part of await client.chat({ model: 'llama3.2', messages: [], stream: true })) void _part;
    }).rejects.toThrow(/out of memory/);
    serveStream('stream-cut-without-done');
    await expect(async () => {
      for await (const _part of await client.chat({ model: 'llama3.2', messages: [], stream: true })) void _part;
    }).rejects.toThrow(/Did not receive done/);
  });

  it('where the client skips a non-JSON line, the adapter reports upstream_bad_response', async () => {
    // The client only warns on a bad line and carries on; the gateway must not bill or cache a stream it
    // could not fully read, so it stops there.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    serveStream('stream-garbage-line');
    const parts = [];
    for await (const part of await new Ollama({ host }).chat({ model: 'llama3.2', messages: [], stream: true })) parts.push(part);
    expect(parts.at(-1)?.done).toBe(true);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
    const events = await collect(await createOllamaAdapter('ollama', { host }).doChatStream({ model: 'llama3.2', messages: [] }, call()));
    const last = events.at(-1);
    expect(last?.type === 'error' ? last.error.code : last?.type).toBe('upstream_bad_response');
  });

  it('a 404 is a ResponseError for the client and model_not_found for the adapter', async () => {
    reply = { status: 404, contentType: 'application/json', body: JSON.stringify(fixtureNamed('chat-model-not-found').upstream.response.body) };
    await expect(new Ollama({ host }).chat({ model: 'llama9', messages: [] })).rejects.toMatchObject({ status_code: 404 });
    await expect(createOllamaAdapter('ollama', { host }).doChat({ model: 'llama9', messages: [] }, call())).rejects.toMatchObject({ code: 'model_not_found', status: 404 });
  });
});
