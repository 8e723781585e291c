import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import type { CallOptions, UpstreamClient, UpstreamRequest, UpstreamResponse } from '../../spec/index.js';
import { GeminiAdapter } from './gemini-adapter.js';
import { geminiSettingsSchema } from './gemini-settings.js';

/** Answers each request with the next JSON body, recording what was sent. */
class ScriptedClient implements UpstreamClient {
  readonly requests: UpstreamRequest[] = [];
  constructor(private readonly answers: Array<{ status?: number; body: unknown }>) {}
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    this.requests.push(request);
    const answer = this.answers.shift() ?? { status: 500, body: {} };
    const text = JSON.stringify(answer.body);
    return {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
      body: {
        async *[Symbol.asyncIterator]() {
          yield new TextEncoder().encode(text);
        },
        text: async () => text,
        dump: async () => undefined,
      },
    };
  }
}

const call = (http: UpstreamClient): CallOptions => ({ signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger });
const adapter = (settings: Record<string, unknown> = {}) =>
  new GeminiAdapter('gemini', geminiSettingsSchema.parse({ apiKey: 'secret-key', ...settings }));
const hello = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }] };

describe('GeminiAdapter', () => {
  it('sends the key in x-goog-api-key only, with the configured headers, base URL and version', async () => {
    const client = new ScriptedClient([{ body: { candidates: [{ content: { parts: [{ text: 'Yo' }] }, finishReason: 'STOP' }] } }]);
    await adapter({ baseUrl: 'http://127.0.0.1:8080/proxy/', apiVersion: 'v1', headers: { 'x-proxy-token': 't' } }).doChat(hello, call(client));
    const sent = client.requests[0];
    expect(sent.url).toBe('http://127.0.0.1:8080/proxy/v1/models/gemini-2.5-flash:generateContent');
    expect(sent.headers).toMatchObject({ 'x-goog-api-key': 'secret-key', 'x-proxy-token': 't', 'content-type': 'application/json' });
    expect(sent.url).not.toContain('secret-key');
  });

  it('keeps a models/ or tunedModels/ prefix and refuses names that would escape the path', async () => {
    const client = new ScriptedClient([{ body: { candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }] } }]);
    await adapter().doChat({ ...hello, model: 'tunedModels/my-model' }, call(client));
    expect(client.requests[0].url).toBe('https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model:generateContent');
    for (const model of ['../admin', 'gemini?key=x', 'a b', '']) {
      await expect(adapter().doChat({ ...hello, model }, call(client))).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });

  it('treats a 200 without candidates or block reason as a bad response', async () => {
    const client = new ScriptedClient([{ body: { usageMetadata: { promptTokenCount: 1 } } }]);
    await expect(adapter().doChat(hello, call(client))).rejects.toMatchObject({ code: 'upstream_bad_response' });
  });

  it('keeps safety ratings in providerMetadata', async () => {
    const ratings = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'NEGLIGIBLE' }];
    const client = new ScriptedClient([{ body: { candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP', safetyRatings: ratings }] } }]);
    const result = await adapter().doChat(hello, call(client));
    expect(result.providerMetadata).toEqual({ gemini: { candidates: [{ safetyRatings: ratings }] } });
  });

  it('counts a prompt with a system instruction through generateContentRequest', async () => {
    const client = new ScriptedClient([{ body: { totalTokens: 12 } }]);
    const count = await adapter().countTokens(
      { ...hello, messages: [{ role: 'system', content: [{ type: 'text', text: 'Be kind.' }] }, ...hello.messages], temperature: 1 },
      call(client),
    );
    expect(count).toBe(12);
    expect(client.requests[0].url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens');
    expect(JSON.parse(client.requests[0].body ?? '')).toEqual({
      generateContentRequest: {
        model: 'models/gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
        systemInstruction: { parts: [{ text: 'Be kind.' }] },
      },
    });
  });

  it('follows nextPageToken when listing models', async () => {
    const client = new ScriptedClient([
      { body: { models: [{ name: 'models/a' }], nextPageToken: 'page 2' } },
      { body: { models: [{ name: 'models/b', inputTokenLimit: 10 }] } },
    ]);
    const models = await adapter().listModels(call(client));
    expect(models).toEqual([
      { id: 'a', ownedBy: 'google' },
      { id: 'b', ownedBy: 'google', contextWindow: 10 },
    ]);
    expect(client.requests.map((request) => [request.method, request.url])).toEqual([
      ['GET', 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000'],
      ['GET', 'https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=page%202'],
    ]);
    expect(client.requests[0].headers).not.toHaveProperty('content-type');
  });

  it('maps an error status on embeddings and checks the embedding count', async () => {
    const failing = new ScriptedClient([{ status: 429, body: { error: { code: 429, message: 'slow', status: 'RESOURCE_EXHAUSTED' } } }]);
    await expect(adapter().doEmbed({ model: 'gemini-embedding-001', input: ['a'] }, call(failing))).rejects.toMatchObject({ code: 'upstream_rate_limited' });
    const short = new ScriptedClient([{ body: { embeddings: [{ values: [1] }] } }]);
    await expect(adapter().doEmbed({ model: 'gemini-embedding-001', input: ['a', 'b'] }, call(short))).rejects.toMatchObject({
      code: 'upstream_bad_response',
    });
  });

  it('describes capabilities from the model name', () => {
    expect(adapter().capabilities('gemini-embedding-001')).toMatchObject({ chat: false, embeddings: true, tools: false });
    expect(adapter().capabilities('gemini-2.5-pro')).toMatchObject({ chat: true, embeddings: false, tools: true, images: true, jsonSchema: true, reasoning: true });
    expect(adapter().capabilities('gemini-2.0-flash').reasoning).toBe(false);
  });
});
