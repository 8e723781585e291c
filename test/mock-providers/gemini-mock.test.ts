import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, GoogleGenAI } from '@google/genai';
import { startGeminiMock } from './gemini-mock.js';
import type { MockProvider } from './mock-provider.js';
import { parseSse, postJson } from './wire-reader.js';

describe('Gemini mock against @google/genai', () => {
  let mock: MockProvider;
  let client: GoogleGenAI;
  beforeAll(async () => {
    mock = await startGeminiMock();
    client = new GoogleGenAI({ apiKey: 'gemini-key', httpOptions: { baseUrl: mock.baseUrl } });
  });
  afterAll(() => mock.close());
  beforeEach(() => mock.reset());

  it('generateContent returns text and usageMetadata in Gemini semantics', async () => {
    mock.enqueue({ kind: 'text', text: 'Hola', usage: { input: 4, cacheRead: 6, output: 2, reasoning: 3 } });
    const response = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(response.text).toBe('Hola');
    expect(response.usageMetadata).toMatchObject({ promptTokenCount: 10, cachedContentTokenCount: 6, candidatesTokenCount: 2, thoughtsTokenCount: 3, totalTokenCount: 15 });
    expect(response.candidates?.[0].finishReason).toBe('STOP');
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    const request = mock.requests[0];
    expect(request.path).toMatch(/^\/v1(beta)?\/models\/gemini-2\.5-flash:generateContent$/);
    expect(request.headers['x-goog-api-key']).toBe('gemini-key');
  });

  it('generateContentStream yields chunks with cumulative usage; the last is authoritative', async () => {
    mock.enqueue({ kind: 'text', chunks: ['a', 'b', 'c', 'd'], usage: { input: 5, output: 4 } });
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    const texts: string[] = [];
    const candidateCounts: number[] = [];
    for await (const chunk of stream) {
      texts.push(chunk.text ?? '');
      candidateCounts.push(chunk.usageMetadata?.candidatesTokenCount ?? -1);
    }
    expect(texts).toEqual(['a', 'b', 'c', 'd']);
    expect(candidateCounts).toEqual([1, 2, 3, 4]);
    expect(mock.requests[0].path).toMatch(/:streamGenerateContent\?alt=sse$/);
  });

  it('function calls arrive whole with args as an object; candidateCount is honoured', async () => {
    mock.enqueue({ kind: 'tool-calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const response = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'weather?', config: { candidateCount: 2 } });
    expect(response.functionCalls).toEqual([{ name: 'get_weather', args: { city: 'Paris' } }]);
    expect(response.candidates).toHaveLength(2);
  });

  it('embedContent (batchEmbedContents under the hood) and models.list', async () => {
    const result = await client.models.embedContent({ model: 'gemini-embedding-001', contents: ['one', 'two'] });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings?.[0].values).toHaveLength(8);
    const pager = await client.models.list();
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toContain('models/gemini-2.5-flash');
  });

  it('a 429 is google.rpc.Status with RetryInfo and raises ApiError', async () => {
    mock.enqueue({ kind: 'error', status: 429, headers: { 'retry-after': '21' } });
    const error = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(429);
    const raw = await (async () => {
      mock.enqueue({ kind: 'error', status: 429 });
      return postJson(`${mock.baseUrl}/v1beta/models/m:generateContent`, { contents: [] }, { 'x-goog-api-key': 'k' });
    })();
    const body = JSON.parse(raw.text);
    expect(body.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
    expect(body.error.details).toContainEqual({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' });
  });

  it('an in-stream error object raises ApiError', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1 });
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    const consume = async (): Promise<void> => {
      for await (const _chunk of stream) {
        // drain
      }
    };
    const error = await consume().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
  });

  it('raw wire: SSE frames end with CRLF CRLF, a missing key is refused, countTokens answers', async () => {
    const { text } = await postJson(`${mock.baseUrl}/v1beta/models/m:streamGenerateContent?alt=sse`, { contents: [{ role: 'user', parts: [{ text: 'abcd' }] }] }, { 'x-goog-api-key': 'k' });
    expect(text.endsWith('}\r\n\r\n')).toBe(true);
    const frames = parseSse(text).map((frame) => JSON.parse(frame.data));
    expect(frames.every((frame) => frame.usageMetadata.promptTokenCount === 1)).toBe(true);
    expect(frames.at(-1).candidates[0].finishReason).toBe('STOP');
    const refused = await postJson(`${mock.baseUrl}/v1beta/models/m:generateContent`, { contents: [] });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).error.status).toBe('PERMISSION_DENIED');
    const count = await client.models.countTokens({ model: 'gemini-2.5-flash', contents: 'abcdefgh' });
    expect(count.totalTokens).toBe(2);
  });
});
