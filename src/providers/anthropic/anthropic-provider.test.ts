import { describe, expect, it } from 'vitest';
import { anthropicProvider } from './anthropic-provider.js';

const context = (environment: Record<string, string | undefined>) => ({ environment, probe: async () => false });

describe('anthropicProvider', () => {
  it('fills the defaults', () => {
    expect(anthropicProvider.settingsSchema.parse({ apiKey: 'k' })).toEqual({
      apiKey: 'k',
      baseUrl: 'https://api.anthropic.com',
      version: '2023-06-01',
      defaultMaxTokens: 4096,
    });
  });

  it('rejects unknown keys, a missing key and a bad max token default', () => {
    expect(anthropicProvider.settingsSchema.safeParse({ apiKey: 'k', region: 'eu' }).success).toBe(false);
    expect(anthropicProvider.settingsSchema.safeParse({}).success).toBe(false);
    expect(anthropicProvider.settingsSchema.safeParse({ apiKey: 'k', defaultMaxTokens: 0 }).success).toBe(false);
    expect(anthropicProvider.settingsSchema.safeParse({ apiKey: 'k', beta: 'not-a-list' }).success).toBe(false);
  });

  it('is discovered from ANTHROPIC_API_KEY, with ANTHROPIC_BASE_URL when set', async () => {
    expect(await anthropicProvider.discover(context({}))).toBeUndefined();
    expect(await anthropicProvider.discover(context({ ANTHROPIC_API_KEY: ' ' }))).toBeUndefined();
    expect(await anthropicProvider.discover(context({ ANTHROPIC_API_KEY: 'k' }))).toMatchObject({ apiKey: 'k', baseUrl: 'https://api.anthropic.com' });
    expect(await anthropicProvider.discover(context({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8080' }))).toMatchObject({ baseUrl: 'http://127.0.0.1:8080' });
  });

  it('declares its kind, catalog names and variables, and creates a named adapter', () => {
    expect(anthropicProvider.kind).toBe('anthropic');
    expect(anthropicProvider.catalogProviders).toEqual(['anthropic']);
    expect(anthropicProvider.environmentVariables).toEqual(['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL']);
    const adapter = anthropicProvider.create('claude-eu', anthropicProvider.settingsSchema.parse({ apiKey: 'k' }));
    expect(adapter).toMatchObject({ kind: 'anthropic', name: 'claude-eu', specVersion: 'v1' });
  });
});
