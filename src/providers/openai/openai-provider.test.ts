import { describe, expect, it } from 'vitest';
import type { DiscoveryContext } from '../provider-definition.js';
import { openaiProvider } from './openai-provider.js';

function context(environment: Record<string, string | undefined>): DiscoveryContext {
  return { environment, probe: async () => false };
}

describe('openaiProvider', () => {
  it('is discovered from OPENAI_API_KEY, with OPENAI_BASE_URL when set', async () => {
    expect(await openaiProvider.discover(context({}))).toBeUndefined();
    expect(await openaiProvider.discover(context({ OPENAI_API_KEY: ' ' }))).toBeUndefined();
    expect(await openaiProvider.discover(context({ OPENAI_API_KEY: 'sk-1' }))).toEqual({ apiKey: 'sk-1', baseUrl: 'https://api.openai.com/v1' });
    expect(await openaiProvider.discover(context({ OPENAI_API_KEY: 'sk-1', OPENAI_BASE_URL: 'http://127.0.0.1:9000/v1' }))).toEqual({
      apiKey: 'sk-1',
      baseUrl: 'http://127.0.0.1:9000/v1',
    });
  });

  it('has strict settings with a default base URL', () => {
    expect(openaiProvider.settingsSchema.parse({})).toEqual({ baseUrl: 'https://api.openai.com/v1' });
    expect(openaiProvider.settingsSchema.safeParse({ apiKey: 'k', unknown: 1 }).success).toBe(false);
    expect(openaiProvider.settingsSchema.safeParse({ baseUrl: 'not a url' }).success).toBe(false);
  });

  it('creates an adapter of its kind, named as configured', () => {
    const adapter = openaiProvider.create('primary', openaiProvider.settingsSchema.parse({ apiKey: 'k' }));
    expect([adapter.kind, adapter.name, adapter.specVersion]).toEqual(['openai', 'primary', 'v1']);
    expect(openaiProvider.catalogProviders).toEqual(['openai']);
  });

  it('describes model capabilities by name', () => {
    const adapter = openaiProvider.create('openai', openaiProvider.settingsSchema.parse({ apiKey: 'k' }));
    expect(adapter.capabilities('text-embedding-3-small')).toMatchObject({ chat: false, embeddings: true });
    expect(adapter.capabilities('o3')).toMatchObject({ chat: true, reasoning: true, images: true });
    expect(adapter.capabilities('o3-mini')).toMatchObject({ reasoning: true, images: false });
    expect(adapter.capabilities('gpt-4o-mini')).toMatchObject({ chat: true, tools: true, images: true, jsonSchema: true, reasoning: false });
    expect(adapter.capabilities('gpt-5-chat-latest').reasoning).toBe(false);
  });
});
