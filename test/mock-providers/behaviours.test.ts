import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startAnthropicMock,
  startAzureOpenAIMock,
  startGeminiMock,
  startOllamaMock,
  startOpenAIMock,
} from './mock-provider.js';
import type { MockProvider } from './mock-provider.js';

/** How to send one streaming chat request to each mock, and how to count its content frames. */
interface ProviderCase {
  name: string;
  start: () => Promise<MockProvider>;
  streamRequest: (mock: MockProvider) => { url: string; headers: Record<string, string>; body: unknown };
  /** Number of content chunks in a raw body (text deltas). */
  contentCount: (raw: string) => number;
}

const openAIStream = (url: string, headers: Record<string, string>) => () => ({ url, headers, body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true } });

const cases: ProviderCase[] = [
  {
    name: 'openai',
    start: startOpenAIMock,
    streamRequest: (mock) => openAIStream(`${mock.baseUrl}/chat/completions`, { authorization: 'Bearer k' })(),
    contentCount: (raw) => (raw.match(/"delta":\{"content":/g) ?? []).length,
  },
  {
    name: 'azure-openai',
    start: startAzureOpenAIMock,
    streamRequest: (mock) => openAIStream(`${mock.baseUrl}/openai/deployments/d/chat/completions?api-version=2024-10-21`, { 'api-key': 'k' })(),
    contentCount: (raw) => (raw.match(/"delta":\{"content":/g) ?? []).length,
  },
  {
    name: 'anthropic',
    start: startAnthropicMock,
    streamRequest: (mock) => ({
      url: `${mock.baseUrl}/v1/messages`,
      headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true },
    }),
    contentCount: (raw) => (raw.match(/"text_delta"/g) ?? []).length,
  },
  {
    name: 'gemini',
    start: startGeminiMock,
    streamRequest: (mock) => ({
      url: `${mock.baseUrl}/v1beta/models/m:streamGenerateContent?alt=sse`,
      headers: { 'x-goog-api-key': 'k' },
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    }),
    contentCount: (raw) => (raw.match(/"text":/g) ?? []).length,
  },
  {
    name: 'ollama',
    start: startOllamaMock,
    streamRequest: (mock) => ({ url: `${mock.baseUrl}/api/chat`, headers: {}, body: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } }),
    contentCount: (raw) => (raw.match(/"done":false/g) ?? []).length,
  },
];

/** Reads a streamed body as far as it goes; reports whether the connection failed before the end. */
async function readPartial(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; raw: string; failed: boolean }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let raw = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
    }
    return { status: response.status, raw, failed: false };
  } catch {
    return { status: response.status, raw, failed: true };
  }
}

describe.each(cases)('$name mock: scripted behaviours', (providerCase) => {
  let mock: MockProvider;
  beforeAll(async () => {
    mock = await providerCase.start();
  });
  afterAll(() => mock.close());

  it('default text, then the queue in order, recording every request', async () => {
    mock.reset();
    mock.enqueue({ kind: 'text', chunks: ['one', ' two'] });
    const request = providerCase.streamRequest(mock);
    const first = await readPartial(request.url, request.headers, request.body);
    expect(first.raw).toContain('one');
    expect(providerCase.contentCount(first.raw)).toBe(2);
    const second = await readPartial(request.url, request.headers, request.body);
    expect(second.raw).toContain('mock');
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[0].method).toBe('POST');
  });

  it('a responder answers from the request it is given, in the provider\'s wire format', async () => {
    mock.reset();
    mock.enqueue((request) => ({ kind: 'text', chunks: [`echo ${JSON.stringify(request.body).length}`] }));
    const request = providerCase.streamRequest(mock);
    const result = await readPartial(request.url, request.headers, request.body);
    expect(result.raw).toContain(`echo ${JSON.stringify(request.body).length}`);
    expect(providerCase.contentCount(result.raw)).toBe(1);
  });

  it('reset-mid-stream delivers exactly afterChunks content chunks, then drops the connection', async () => {
    mock.enqueue({ kind: 'reset-mid-stream', afterChunks: 2 });
    const request = providerCase.streamRequest(mock);
    const result = await readPartial(request.url, request.headers, request.body);
    expect(result.status).toBe(200);
    expect(result.failed).toBe(true);
    expect(providerCase.contentCount(result.raw)).toBe(2);
  });

  it('error-mid-stream delivers afterChunks chunks then the error event and ends cleanly', async () => {
    mock.enqueue({ kind: 'error-mid-stream', afterChunks: 1, message: 'stream broke' });
    const request = providerCase.streamRequest(mock);
    const result = await readPartial(request.url, request.headers, request.body);
    expect(result.failed).toBe(false);
    expect(providerCase.contentCount(result.raw)).toBe(1);
    expect(result.raw).toContain('stream broke');
  });

  it('reset-before-response fails the request; garbage is sent verbatim', async () => {
    mock.enqueue({ kind: 'reset-before-response' }, { kind: 'garbage', status: 502, body: '<html>bad gateway</html>', contentType: 'text/html' });
    const request = providerCase.streamRequest(mock);
    await expect(fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body) })).rejects.toThrow();
    const garbage = await fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body) });
    expect(garbage.status).toBe(502);
    expect(garbage.headers.get('content-type')).toBe('text/html');
    expect(await garbage.text()).toBe('<html>bad gateway</html>');
  });

  it('firstChunkDelayMs holds the first frame back after the headers', async () => {
    mock.enqueue({ kind: 'text', chunks: ['late'], firstChunkDelayMs: 60 });
    const request = providerCase.streamRequest(mock);
    const started = performance.now();
    const response = await fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body) });
    const headersAt = performance.now() - started;
    const text = await response.text();
    const bodyAt = performance.now() - started;
    expect(text).toContain('late');
    expect(bodyAt).toBeGreaterThanOrEqual(55);
    expect(headersAt).toBeLessThan(bodyAt);
  });

  it('close() ends a hanging request', async () => {
    const other = await providerCase.start();
    other.enqueue({ kind: 'hang' });
    const request = providerCase.streamRequest(other);
    const pending = fetch(request.url, { method: 'POST', headers: { 'content-type': 'application/json', ...request.headers }, body: JSON.stringify(request.body) });
    while (other.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await other.close();
    await expect(pending).rejects.toThrow();
  });
});
