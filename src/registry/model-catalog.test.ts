import { describe, expect, it } from 'vitest';
import { ModelCatalog } from './model-catalog.js';
import { modelNameCandidates } from './model-name-candidates.js';

const catalog = ModelCatalog.bundled();

describe('ModelCatalog', () => {
  it('loads the shipped catalog once', () => {
    expect(ModelCatalog.bundled()).toBe(catalog);
    expect(catalog.entries().length).toBeGreaterThan(400);
    expect(new Set(catalog.entries().map((entry) => entry.mode))).toEqual(new Set(['chat', 'embedding']));
  });

  it('finds native models with limits, capabilities and per-million prices', () => {
    const entry = catalog.lookup('openai', 'gpt-4o-mini');
    expect(entry).toMatchObject({
      key: 'gpt-4o-mini',
      provider: 'openai',
      model: 'gpt-4o-mini',
      mode: 'chat',
      maxInputTokens: 128000,
      maxOutputTokens: 16384,
      price: { inputPerMillion: 0.15, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 },
      capabilities: { functionCalling: true, vision: true, responseSchema: true },
    });
    expect(catalog.lookup('openai', 'text-embedding-3-small')).toMatchObject({
      mode: 'embedding',
      price: { inputPerMillion: 0.02, outputPerMillion: 0 },
    });
  });

  it('carries the cache-write price and the long-context tier', () => {
    expect(catalog.priceOf('anthropic', 'claude-sonnet-4-5')).toEqual({
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
      longContext: { threshold: 200_000, inputPerMillion: 6, outputPerMillion: 22.5, cacheReadPerMillion: 0.6, cacheWritePerMillion: 7.5 },
    });
  });

  it('resolves provider-prefixed keys with and without the prefix', () => {
    expect(catalog.lookup('gemini', 'gemini-2.5-pro')?.key).toBe('gemini/gemini-2.5-pro');
    expect(catalog.lookup('gemini', 'gemini/gemini-2.5-pro')?.key).toBe('gemini/gemini-2.5-pro');
    expect(catalog.lookup('gemini', 'models/gemini-2.5-pro')?.key).toBe('gemini/gemini-2.5-pro');
    expect(catalog.lookup('azure', 'gpt-4o')?.key).toBe('azure/gpt-4o');
    expect(catalog.lookup('mistral', 'mistral-large-latest')?.key).toBe('mistral/mistral-large-latest');
    expect(catalog.lookup('ollama', 'llama3')?.price).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
  });

  it('prices an unlisted dated snapshot like its alias, and prefers an exact dated key', () => {
    expect(catalog.lookup('anthropic', 'claude-sonnet-4-5-20250929')?.key).toBe('claude-sonnet-4-5-20250929');
    expect(catalog.lookup('anthropic', 'claude-sonnet-4-5-20991231')?.key).toBe('claude-sonnet-4-5');
    expect(catalog.lookup('openai', 'gpt-4o-mini-2099-01-01')?.key).toBe('gpt-4o-mini');
    expect(catalog.lookup('ollama', 'llama3:latest')?.key).toBe('ollama/llama3');
  });

  it('does not answer for another provider', () => {
    expect(catalog.lookup('anthropic', 'gpt-4o-mini')).toBeUndefined();
    expect(catalog.lookup('openai', 'no-such-model')).toBeUndefined();
    expect(catalog.lookup('no-such-provider', 'gpt-4o-mini')).toBeUndefined();
  });

  it('lists the providers of a bare model name, native listings first', () => {
    expect(catalog.providersFor('gpt-4o-mini')).toEqual(['openai', 'azure']);
    expect(catalog.providersFor('claude-sonnet-4-5')).toEqual(['anthropic']);
    expect(catalog.providersFor('claude-sonnet-4-5-20991231')).toEqual(['anthropic']);
    expect(catalog.providersFor('gemini-2.5-pro')).toEqual(['gemini']);
    expect(catalog.providersFor('no-such-model')).toEqual([]);
  });

  it('applies price overrides field by field, the most specific key winning', () => {
    const overridden = catalog.withOverrides({
      'gpt-4o-mini': { inputPerMillion: 1 },
      'azure/gpt-4o-mini': { inputPerMillion: 2, cacheReadPerMillion: 0.5 },
      'claude-sonnet-4-5': { cacheReadPerMillion: 0.25 },
    });
    expect(overridden.priceOf('openai', 'gpt-4o-mini')).toMatchObject({ inputPerMillion: 1, outputPerMillion: 0.6, cacheReadPerMillion: 0.075 });
    expect(overridden.priceOf('azure', 'gpt-4o-mini')).toMatchObject({ inputPerMillion: 2, cacheReadPerMillion: 0.5 });
    // Only the cache price changed, so the long-context tier still applies.
    expect(overridden.priceOf('anthropic', 'claude-sonnet-4-5')).toMatchObject({ cacheReadPerMillion: 0.25, longContext: { threshold: 200_000 } });
    // The original catalog is unchanged.
    expect(catalog.priceOf('openai', 'gpt-4o-mini')?.inputPerMillion).toBe(0.15);
  });

  it('creates an entry for an unlisted model when an override gives a full price', () => {
    const overridden = catalog.withOverrides({
      'vllm/my-finetune': { inputPerMillion: 0.1, outputPerMillion: 0.2 },
      'half-priced': { inputPerMillion: 1 },
    });
    expect(overridden.lookup('vllm', 'my-finetune')).toMatchObject({ provider: 'vllm', model: 'my-finetune', price: { inputPerMillion: 0.1, outputPerMillion: 0.2 } });
    expect(overridden.lookup('vllm', 'half-priced')).toBeUndefined();
  });
});

describe('modelNameCandidates', () => {
  it('tries the id, then without prefixes, date suffixes and tags', () => {
    expect(modelNameCandidates('claude-3-5-sonnet-20241022')).toEqual(['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet']);
    expect(modelNameCandidates('gpt-4o-2024-08-06')).toEqual(['gpt-4o-2024-08-06', 'gpt-4o']);
    expect(modelNameCandidates('claude-3-5-sonnet@20240620')).toEqual(['claude-3-5-sonnet@20240620', 'claude-3-5-sonnet']);
    expect(modelNameCandidates('models/gemini-2.0-flash')).toEqual(['models/gemini-2.0-flash', 'gemini-2.0-flash']);
    expect(modelNameCandidates('llama3.1:8b')).toEqual(['llama3.1:8b', 'llama3.1']);
    expect(modelNameCandidates('gpt-4o')).toEqual(['gpt-4o']);
  });
});
