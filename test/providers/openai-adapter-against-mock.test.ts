import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureOpenAIMock, startOpenAIMock, type MockProvider } from '../mock-providers/mock-provider.js';
import { silentLogger } from '../../src/kit/silent-logger.js';
import { systemClock } from '../../src/kit/system-clock.js';
import { UpstreamHttpClient } from '../../src/kit/upstream-http-client.js';
import type { CallOptions, ChatEvent, ChatRequest, ProviderAdapter } from '../../src/spec/index.js';
import { azureOpenaiProvider } from '../../src/providers/azure-openai/azure-openai-provider.js';
import { openaiProvider } from '../../src/providers/openai/openai-provider.js';

// Real sockets on 127.0.0.1: the adapters against the shared mock providers, through the production client.
const http = new UpstreamHttpClient({ connectTimeoutMs: 2_000, headersTimeoutMs: 5_000, idleTimeoutMs: 5_000 });
const call = (signal = new AbortController().signal): CallOptions => ({ signal, http, clock: systemClock, logger: silentLogger });
const hello: ChatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there' }] }] };

async function collect(stream: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const mocks: MockProvider[] = [];
const adapters: Array<{ name: string; mock: () => MockProvider; adapter: () => ProviderAdapter }> = [];
let openaiMock: MockProvider;
let azureMock: MockProvider;
let openaiAdapter: ProviderAdapter;
let azureAdapter: ProviderAdapter;
adapters.push({ name: 'openai', mock: () => openaiMock, adapter: () => openaiAdapter }, { name: 'azure-openai', mock: () => azureMock, adapter: () => azureAdapter });

beforeAll(async () => {
  [openaiMock, azureMock] = await Promise.all([startOpenAIMock(), startAzureOpenAIMock()]);
  mocks.push(openaiMock, azureMock);
  openaiAdapter = openaiProvider.create('openai', openaiProvider.settingsSchema.parse({ apiKey: 'sk-mock', baseUrl: openaiMock.baseUrl }));
  azureAdapter = azureOpenaiProvider.create('azure', azureOpenaiProvider.settingsSchema.parse({ apiKey: 'azure-key', endpoint: azureMock.baseUrl }));
});

afterAll(async () => {
  await Promise.all(mocks.map((mock) => mock.close()));
  await http.close();
});

for (const entry of adapters) {
  describe(`${entry.name} adapter against its mock provider`, () => {
    it('chats and reports exact usage', async () => {
      entry.mock().reset();
      entry.mock().enqueue({ kind: 'text', text: 'Hi!', usage: { input: 5, output: 2, cacheRead: 3, reasoning: 1 } });
      const result = await entry.adapter().doChat(hello, call());
      expect(result.choices[0].content).toEqual([{ type: 'text', text: 'Hi!' }]);
      expect(result.usage).toMatchObject({ inputTokens: 5, cacheReadTokens: 3, outputTokens: 2, reasoningTokens: 1 });
    });

    it('streams text and tool calls to exactly one finish with usage', async () => {
      entry.mock().reset();
      entry.mock().enqueue(
        { kind: 'text', chunks: ['One', ' two'], usage: { input: 4, output: 2 } },
        { kind: 'tool-calls', calls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }] },
      );
      const text = await collect(await entry.adapter().doChatStream(hello, call()));
      expect(text.filter((event) => event.type === 'text-delta').map((event) => (event as { delta: string }).delta).join('')).toBe('One two');
      const finish = text.at(-1);
      expect(finish?.type).toBe('finish');
      if (finish?.type === 'finish') expect(finish.usage).toMatchObject({ inputTokens: 4, outputTokens: 2 });
      const tools = await collect(await entry.adapter().doChatStream(hello, call()));
      const fragments = tools.filter((event) => event.type === 'tool-call-delta');
      expect(fragments[0]).toMatchObject({ id: 'call_1', name: 'lookup' });
      expect(JSON.parse(fragments.map((event) => (event as { argumentsDelta: string }).argumentsDelta).join(''))).toEqual({ q: 'x' });
      expect(tools.at(-1)).toMatchObject({ type: 'finish', finishReason: { unified: 'tool-calls' } });
    });

    it('ends a stream reset mid-way, or failing mid-way, with one error event', async () => {
      entry.mock().reset();
      entry.mock().enqueue({ kind: 'reset-mid-stream', afterChunks: 1 }, { kind: 'error-mid-stream', afterChunks: 1, message: 'boom' });
      const reset = await collect(await entry.adapter().doChatStream(hello, call()));
      expect(reset.filter((event) => event.type === 'error' || event.type === 'finish')).toHaveLength(1);
      expect(reset.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_connection_error' } });
      const failed = await collect(await entry.adapter().doChatStream(hello, call()));
      expect(failed.at(-1)?.type).toBe('error');
    });

    it('rejects before streaming on a 429, with the retry hint', async () => {
      entry.mock().reset();
      entry.mock().enqueue({ kind: 'error', status: 429, message: 'slow down', headers: { 'retry-after': '3' } });
      await expect(entry.adapter().doChatStream(hello, call())).rejects.toMatchObject({ code: 'upstream_rate_limited', retryAfterSeconds: 3 });
    });

    it('stops a stream when the call aborts', async () => {
      entry.mock().reset();
      entry.mock().enqueue({ kind: 'text', chunks: ['a', 'b', 'c', 'd', 'e'], chunkDelayMs: 50 });
      const controller = new AbortController();
      const events: ChatEvent[] = [];
      for await (const event of await entry.adapter().doChatStream(hello, call(controller.signal))) {
        events.push(event);
        if (event.type === 'text-delta') controller.abort();
      }
      expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'client_closed_request' } });
      expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(1);
    });

    it('embeds as floats', async () => {
      entry.mock().reset();
      const result = await entry.adapter().doEmbed!({ model: 'text-embedding-3-small', input: ['a', 'b'] }, call());
      expect(result.embeddings).toHaveLength(2);
      expect(typeof result.embeddings[0][0]).toBe('number');
      expect(entry.mock().requests.at(-1)?.body).toMatchObject({ encoding_format: 'float' });
    });
  });
}

describe('openai adapter against its mock provider: models and the fast path', () => {
  it('lists models', async () => {
    const models = await openaiAdapter.listModels!(call());
    expect(models.map((model) => model.id)).toContain('gpt-4o-mini');
  });

  it('forwards a body untouched and reads usage from the answer', async () => {
    openaiMock.reset();
    openaiMock.enqueue({ kind: 'text', text: 'fast', usage: { input: 7, output: 1 } });
    const response = await openaiAdapter.passthrough!.forward({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, call());
    expect(response.status).toBe(200);
    const json = JSON.parse(await response.body.text()) as Record<string, unknown>;
    expect(openaiAdapter.passthrough!.readUsage(json)).toMatchObject({ inputTokens: 7, outputTokens: 1 });
  });
});
