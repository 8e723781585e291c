import { describe, expect, it } from 'vitest';
import type { DiscoveryContext } from '../provider-definition.js';
import { guessOllamaCapabilities } from './ollama-capabilities.js';
import { ollamaProvider } from './ollama-provider.js';

function context(environment: Record<string, string | undefined>, answers = false): DiscoveryContext & { probed: string[] } {
  const probed: string[] = [];
  return {
    environment,
    probed,
    probe: async (url) => {
      probed.push(url);
      return answers;
    },
  };
}

describe('ollamaProvider', () => {
  it('validates settings strictly, with the default host', () => {
    expect(ollamaProvider.settingsSchema.parse({})).toEqual({ host: 'http://127.0.0.1:11434' });
    expect(ollamaProvider.settingsSchema.parse({ host: 'gpu:11434', apiKey: 'k', headers: { 'x-a': 'b' }, keepAlive: '30m' })).toEqual({
      host: 'gpu:11434',
      apiKey: 'k',
      headers: { 'x-a': 'b' },
      keepAlive: '30m',
    });
    expect(ollamaProvider.settingsSchema.safeParse({ baseUrl: 'http://x' }).success).toBe(false);
    expect(ollamaProvider.settingsSchema.safeParse({ host: 'http://exa mple' }).success).toBe(false);
    expect(ollamaProvider.settingsSchema.safeParse({ keepAlive: 5 }).success).toBe(false);
  });

  it('discovers OLLAMA_HOST, normalised, without probing', async () => {
    const found = context({ OLLAMA_HOST: '0.0.0.0:11434' }, false);
    expect(await ollamaProvider.discover(found)).toEqual({ host: 'http://127.0.0.1:11434' });
    expect(found.probed).toEqual([]);
    expect(await ollamaProvider.discover(context({ OLLAMA_HOST: 'gpu-box' }))).toEqual({ host: 'http://gpu-box:11434' });
  });

  it('takes OLLAMA_API_KEY only for ollama.com, as the official client does', async () => {
    expect(await ollamaProvider.discover(context({ OLLAMA_HOST: 'https://ollama.com', OLLAMA_API_KEY: 'k' }))).toEqual({ host: 'https://ollama.com:443', apiKey: 'k' });
    expect(await ollamaProvider.discover(context({ OLLAMA_HOST: 'gpu-box', OLLAMA_API_KEY: 'k' }))).toEqual({ host: 'http://gpu-box:11434' });
  });

  it('probes the local default when OLLAMA_HOST is not set', async () => {
    const running = context({}, true);
    expect(await ollamaProvider.discover(running)).toEqual({ host: 'http://127.0.0.1:11434' });
    expect(running.probed).toEqual(['http://127.0.0.1:11434/api/version']);
    expect(await ollamaProvider.discover(context({ OLLAMA_HOST: '' }, false))).toBeUndefined();
  });

  it('creates a named adapter of kind ollama and lists its catalog names', () => {
    const adapter = ollamaProvider.create('local', ollamaProvider.settingsSchema.parse({}));
    expect(adapter).toMatchObject({ kind: 'ollama', name: 'local', specVersion: 'v1' });
    expect(ollamaProvider.catalogProviders).toEqual(['ollama', 'ollama_chat']);
    expect(ollamaProvider.environmentVariables).toContain('OLLAMA_HOST');
  });
});

describe('guessOllamaCapabilities', () => {
  it('tells embedding, vision and thinking models apart by name', () => {
    expect(guessOllamaCapabilities('nomic-embed-text')).toMatchObject({ chat: false, embeddings: true, tools: false });
    expect(guessOllamaCapabilities('llava:13b')).toMatchObject({ chat: true, images: true, reasoning: false });
    expect(guessOllamaCapabilities('deepseek-r1:8b')).toMatchObject({ chat: true, reasoning: true, images: false });
    expect(guessOllamaCapabilities('llama3.2')).toEqual({ chat: true, embeddings: false, tools: true, images: false, jsonSchema: true, reasoning: false });
  });
});
