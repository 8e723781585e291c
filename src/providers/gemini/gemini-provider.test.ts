import { describe, expect, it } from 'vitest';
import type { DiscoveryContext } from '../provider-definition.js';
import { geminiProvider } from './gemini-provider.js';

const context = (environment: Record<string, string | undefined>): DiscoveryContext => ({ environment, probe: async () => false });

describe('geminiProvider', () => {
  it('discovers GEMINI_API_KEY with the default base URL and version', async () => {
    expect(await geminiProvider.discover(context({ GEMINI_API_KEY: 'k1' }))).toEqual({
      apiKey: 'k1',
      baseUrl: 'https://generativelanguage.googleapis.com',
      apiVersion: 'v1beta',
    });
  });

  it('prefers GOOGLE_API_KEY as @google/genai does, and reads GOOGLE_GEMINI_BASE_URL', async () => {
    const settings = await geminiProvider.discover(
      context({ GEMINI_API_KEY: 'k1', GOOGLE_API_KEY: 'k2', GOOGLE_GEMINI_BASE_URL: 'http://127.0.0.1:9999' }),
    );
    expect(settings).toMatchObject({ apiKey: 'k2', baseUrl: 'http://127.0.0.1:9999' });
  });

  it('is not configured without a key', async () => {
    expect(await geminiProvider.discover(context({ GEMINI_API_KEY: '  ' }))).toBeUndefined();
  });

  it('validates settings strictly', () => {
    expect(geminiProvider.settingsSchema.safeParse({ apiKey: 'k', extra: 1 }).success).toBe(false);
    expect(geminiProvider.settingsSchema.safeParse({ apiKey: '' }).success).toBe(false);
    expect(geminiProvider.settingsSchema.safeParse({ apiKey: 'k', apiVersion: '../v1' }).success).toBe(false);
  });

  it('creates a named adapter of kind gemini', () => {
    const adapter = geminiProvider.create('my-gemini', geminiProvider.settingsSchema.parse({ apiKey: 'k' }));
    expect(adapter.kind).toBe('gemini');
    expect(adapter.name).toBe('my-gemini');
    expect(geminiProvider.catalogProviders).toEqual(['gemini']);
  });
});
