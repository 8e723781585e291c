import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../kit/silent-logger.js';
import { systemClock } from '../../kit/system-clock.js';
import type { UpstreamRequest } from '../../spec/index.js';
import { openaiCompatibleProvider } from './openai-compatible-provider.js';

describe('openaiCompatibleProvider', () => {
  it('is never discovered and has no catalog provider', async () => {
    expect(await openaiCompatibleProvider.discover({ environment: { OPENAI_API_KEY: 'sk' }, probe: async () => true })).toBeUndefined();
    expect(openaiCompatibleProvider.catalogProviders).toEqual([]);
  });

  it('requires a base URL and rejects unknown settings', () => {
    expect(openaiCompatibleProvider.settingsSchema.safeParse({}).success).toBe(false);
    expect(openaiCompatibleProvider.settingsSchema.safeParse({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'x' }).success).toBe(false);
  });

  it('sends no authorization header without a key, and the configured extra headers', async () => {
    const adapter = openaiCompatibleProvider.create(
      'lm-studio',
      openaiCompatibleProvider.settingsSchema.parse({ baseUrl: 'http://127.0.0.1:1234/v1', headers: { 'http-referer': 'https://example.com' } }),
    );
    const requests: UpstreamRequest[] = [];
    const http = {
      async request(request: UpstreamRequest) {
        requests.push(request);
        return { status: 200, headers: {}, body: { async *[Symbol.asyncIterator]() {}, text: async () => '', dump: async () => undefined } };
      },
    };
    await adapter.passthrough!.forward({ model: 'qwen', messages: [] }, { signal: new AbortController().signal, http, clock: systemClock, logger: silentLogger });
    expect(requests[0].url).toBe('http://127.0.0.1:1234/v1/chat/completions');
    expect(requests[0].headers).toEqual({ 'http-referer': 'https://example.com', 'content-type': 'application/json' });
    expect(adapter.kind).toBe('openai-compatible');
    expect(adapter.capabilities('nomic-embed-text')).toMatchObject({ embeddings: true, chat: false });
  });
});
