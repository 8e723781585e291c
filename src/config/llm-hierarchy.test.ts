import { describe, expect, it } from 'vitest';
import { checkModelAllowed, llmLayers, resolveLlmSettings, routedModelName, type LlmHierarchyInput } from './llm-hierarchy.js';

// The example configuration.
const config: NonNullable<LlmHierarchyInput['config']> = {
  llm_config: { provider: 'ollama', model: 'llama3:8b', temperature: 0.7, maxTokens: 4096 },
  workspaces: {
    production: { llm_override: { provider: 'openai', model: 'gpt-4o', temperature: 0.3 } },
    development: { llm_override: { provider: 'ollama', model: 'codellama:13b' } },
  },
};

function resolve(input: LlmHierarchyInput) {
  return resolveLlmSettings(llmLayers(input));
}

describe('llmLayers', () => {
  it('orders the layers config, organisation, config workspace, workspace, key, request, each named', () => {
    const layers = llmLayers({
      config,
      organisation: { id: 'org_1', llm: { temperature: 0.5 } },
      workspace: { name: 'production', llm: { maxTokens: 2000 } },
      key: { prefix: 'sk-sy-AbCd', llm: { temperature: 0.1 }, allowedModels: ['gpt-4o*'] },
      request: { model: 'gpt-4o-mini', temperature: 0.9, maxTokens: 100 },
    });
    expect(layers.map((layer) => layer.source)).toEqual([
      'config:llm_config',
      'organisation org_1',
      'config:workspaces.production',
      'workspace production',
      'key sk-sy-AbCd',
      'key sk-sy-AbCd',
      'request',
    ]);
    expect(layers.at(-1)).toEqual({ source: 'request', settings: { model: 'gpt-4o-mini', temperature: 0.9, maxTokens: 100 }, fromRequest: true });
  });

  it('skips levels that are absent, and a workspace the config file does not name', () => {
    const layers = llmLayers({ config, workspace: { name: 'staging' }, key: { prefix: 'sk-sy-X', allowedModels: [] } });
    expect(layers.map((layer) => layer.source)).toEqual(['config:llm_config']);
  });

  it('does not take a workspace named like an object property from the prototype', () => {
    const layers = llmLayers({ config, workspace: { name: 'constructor' } });
    expect(layers.map((layer) => layer.source)).toEqual(['config:llm_config']);
  });

  it('lets the request set only model, temperature and max_tokens; "default" and null leave them to the hierarchy', () => {
    const sneaky = { model: 'default', temperature: null, maxTokens: null, provider: 'openai', allowedModels: ['*'] } as LlmHierarchyInput['request'];
    expect(llmLayers({ request: sneaky })).toEqual([{ source: 'request', settings: {}, fromRequest: true }]);
    expect(llmLayers({ request: { model: '' } })[0].settings).toEqual({});
  });
});

describe('resolveLlmSettings', () => {
  it('gives the config file defaults with their source when nothing else is set', () => {
    expect(resolve({ config })).toEqual({
      provider: { value: 'ollama', source: 'config:llm_config' },
      model: { value: 'llama3:8b', source: 'config:llm_config' },
      temperature: { value: 0.7, source: 'config:llm_config' },
      maxTokens: { value: 4096, source: 'config:llm_config' },
      allowedModels: [],
      ignored: [],
    });
  });

  it("applies the issue's production override field by field, keeping what it does not set", () => {
    const resolution = resolve({ config, workspace: { name: 'production' } });
    expect(resolution.provider).toEqual({ value: 'openai', source: 'config:workspaces.production' });
    expect(resolution.model).toEqual({ value: 'gpt-4o', source: 'config:workspaces.production' });
    expect(resolution.temperature).toEqual({ value: 0.3, source: 'config:workspaces.production' });
    expect(resolution.maxTokens).toEqual({ value: 4096, source: 'config:llm_config' });
  });

  it('takes each field from the last layer that sets it: stored organisation over the file, stored workspace over its file override, key over both', () => {
    const resolution = resolve({
      config,
      organisation: { id: 'org_1', llm: { model: 'llama3:70b', maxTokens: 8192 } },
      workspace: { name: 'development', llm: { temperature: 0.2 } },
      key: { prefix: 'sk-sy-AbCd', llm: { maxTokens: 1024 } },
    });
    expect(resolution.provider).toEqual({ value: 'ollama', source: 'config:workspaces.development' });
    expect(resolution.model).toEqual({ value: 'codellama:13b', source: 'config:workspaces.development' });
    expect(resolution.temperature).toEqual({ value: 0.2, source: 'workspace development' });
    expect(resolution.maxTokens).toEqual({ value: 1024, source: 'key sk-sy-AbCd' });
  });

  it("lets a request's explicit values win, 0 included", () => {
    const resolution = resolve({ config, workspace: { name: 'production' }, request: { model: 'gpt-4o', temperature: 0, maxTokens: 50 } });
    expect(resolution.model).toEqual({ value: 'gpt-4o', source: 'request' });
    expect(resolution.temperature).toEqual({ value: 0, source: 'request' });
    expect(resolution.maxTokens).toEqual({ value: 50, source: 'request' });
    // The same model as the hierarchy's: its provider still applies.
    expect(resolution.provider).toEqual({ value: 'openai', source: 'config:workspaces.production' });
    expect(resolution.ignored).toEqual([]);
  });

  it('gives a request without a model, or with "default", the hierarchy\'s model', () => {
    for (const model of [undefined, 'default']) {
      const resolution = resolve({ config, workspace: { name: 'development' }, request: { model, temperature: 1 } });
      expect(resolution.model).toEqual({ value: 'codellama:13b', source: 'config:workspaces.development' });
      expect(resolution.provider).toEqual({ value: 'ollama', source: 'config:workspaces.development' });
      expect(resolution.temperature).toEqual({ value: 1, source: 'request' });
    }
  });

  it("drops the hierarchy's provider when the request names another model, and says why", () => {
    const resolution = resolve({ config, workspace: { name: 'development' }, request: { model: 'gpt-4o-mini' } });
    expect(resolution.provider).toBeUndefined();
    expect(resolution.model).toEqual({ value: 'gpt-4o-mini', source: 'request' });
    expect(resolution.ignored).toEqual([
      {
        field: 'provider',
        value: 'ollama',
        source: 'config:workspaces.development',
        reason: 'the request names its own model (gpt-4o-mini), which is routed by that name',
      },
    ]);
  });

  it('keeps a provider set without any model: it serves the model the request names', () => {
    const resolution = resolve({ organisation: { id: 'org_1', llm: { provider: 'ollama' } }, request: { model: 'llama3:8b' } });
    expect(resolution.provider).toEqual({ value: 'ollama', source: 'organisation org_1' });
    expect(resolution.model).toEqual({ value: 'llama3:8b', source: 'request' });
  });

  it('leaves every field unset with no layers', () => {
    expect(resolveLlmSettings([])).toEqual({ allowedModels: [], ignored: [] });
  });

  it('keeps every allow-list, top level first, and ignores empty ones', () => {
    const resolution = resolve({
      config: { llm_config: { allowedModels: ['gpt-4o*', 'llama*'] } },
      organisation: { id: 'org_1', llm: { allowedModels: [] } },
      workspace: { name: 'production', llm: { allowedModels: ['gpt-4o*'] } },
      key: { prefix: 'sk-sy-AbCd', allowedModels: ['gpt-4o-mini'] },
    });
    expect(resolution.allowedModels).toEqual([
      { patterns: ['gpt-4o*', 'llama*'], source: 'config:llm_config' },
      { patterns: ['gpt-4o*'], source: 'workspace production' },
      { patterns: ['gpt-4o-mini'], source: 'key sk-sy-AbCd' },
    ]);
  });

  it('does not let a hand-made request layer widen the allow-lists or pick the provider', () => {
    const resolution = resolveLlmSettings([
      { source: 'config:llm_config', settings: { provider: 'ollama', allowedModels: ['llama*'] } },
      { source: 'request', settings: { provider: 'openai', allowedModels: ['*'] }, fromRequest: true },
    ]);
    expect(resolution.provider).toEqual({ value: 'ollama', source: 'config:llm_config' });
    expect(resolution.allowedModels).toEqual([{ patterns: ['llama*'], source: 'config:llm_config' }]);
  });
});

describe('checkModelAllowed', () => {
  const resolution = resolve({
    config: { llm_config: { allowedModels: ['gpt-4o*', 'openai/*', 'llama*'] } },
    workspace: { name: 'production', llm: { allowedModels: ['gpt-4o*', 'o3*'] } },
    key: { prefix: 'sk-sy-AbCd', allowedModels: ['gpt-4o-mini*'] },
  });

  it('allows a model every level allows', () => {
    expect(checkModelAllowed(resolution, 'gpt-4o-mini')).toEqual({ allowed: true });
    expect(checkModelAllowed({ allowedModels: [] }, 'anything')).toEqual({ allowed: true });
  });

  it('refuses at the first level whose list the model misses: a lower level narrows, never widens', () => {
    expect(checkModelAllowed(resolution, 'gpt-4o')).toEqual({
      allowed: false,
      source: 'key sk-sy-AbCd',
      patterns: ['gpt-4o-mini*'],
      reason: 'model gpt-4o is not in the allowed models of key sk-sy-AbCd (gpt-4o-mini*)',
    });
    // o3 is in the workspace's list, but not in the file's: the workspace cannot add it.
    expect(checkModelAllowed(resolution, 'o3-mini')).toMatchObject({ allowed: false, source: 'config:llm_config' });
  });

  it('matches provider/* patterns with the provider given', () => {
    const byProvider = resolve({ config: { llm_config: { allowedModels: ['openai/*'] } } });
    expect(checkModelAllowed(byProvider, 'gpt-4.1', 'openai')).toEqual({ allowed: true });
    expect(checkModelAllowed(byProvider, 'gpt-4.1', 'azure')).toMatchObject({ allowed: false });
  });
});

describe('routedModelName', () => {
  it("puts the hierarchy's provider in front of its model", () => {
    const resolution = resolveLlmSettings([{ source: 'config:llm_config', settings: { provider: 'ollama', model: 'llama3:8b' } }]);
    expect(routedModelName(resolution)).toBe('ollama/llama3:8b');
  });

  it('leaves a model that already names the provider, or has no provider, as it is', () => {
    expect(routedModelName(resolveLlmSettings([{ source: 'a', settings: { provider: 'openai', model: 'openai/gpt-4o' } }]))).toBe('openai/gpt-4o');
    expect(routedModelName(resolveLlmSettings([{ source: 'a', settings: { model: 'gpt-4o' } }]))).toBe('gpt-4o');
    expect(routedModelName(resolveLlmSettings([{ source: 'a', settings: { provider: 'openai' } }]))).toBeUndefined();
  });
});
