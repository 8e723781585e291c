import { describe, expect, it } from 'vitest';
import { formatExplanation } from './explain-request.js';
import { llmLayers, resolveLlmSettings } from './llm-hierarchy.js';

const config = {
  llm_config: { provider: 'ollama', model: 'llama3:8b', temperature: 0.7, maxTokens: 4096 },
  workspaces: { production: { llm_override: { provider: 'openai', model: 'gpt-4o', temperature: 0.3, allowedModels: ['gpt-4o*'] } } },
};

describe('formatExplanation', () => {
  it('prints each setting with its value and source, the allow-lists, the verdict and the deployment', () => {
    const resolution = resolveLlmSettings(
      llmLayers({ config, organisation: { id: 'org_1' }, workspace: { name: 'production' }, key: { prefix: 'sk-sy-AbCd', llm: { maxTokens: 1024 } }, request: {} }),
    );
    const { table } = formatExplanation(resolution, { provider: 'openai', model: 'gpt-4o', id: 'openai-main', group: 'gpt-4o', strategy: 'weighted' });
    expect(table).toBe(
      [
        'SETTING         VALUE                                              SOURCE',
        'provider        openai                                             config:workspaces.production',
        'model           gpt-4o                                             config:workspaces.production',
        'temperature     0.3                                                config:workspaces.production',
        'max_tokens      1024                                               key sk-sy-AbCd',
        'allowed_models  gpt-4o*                                            config:workspaces.production',
        'deployment      openai/gpt-4o (id openai-main, strategy weighted)  routing: group gpt-4o',
        '',
        'Model gpt-4o is allowed.',
        '',
      ].join('\n'),
    );
  });

  it('says what is unset, what was refused and what was ignored', () => {
    const resolution = resolveLlmSettings(llmLayers({ config, workspace: { name: 'production' }, request: { model: 'claude-sonnet-4' } }));
    const { table, json } = formatExplanation(resolution);
    expect(table).toContain('provider        (not set)        routed by the model name');
    expect(table).toContain('model           claude-sonnet-4  request');
    expect(table).toContain('Refused: model claude-sonnet-4 is not in the allowed models of config:workspaces.production (gpt-4o*).');
    expect(table).toContain('Ignored: provider openai from config:workspaces.production: the request names its own model (claude-sonnet-4), which is routed by that name.');
    expect(table).not.toContain('deployment');
    expect(json.modelAllowed).toMatchObject({ allowed: false, source: 'config:workspaces.production' });
    expect(json.deployment).toBeNull();
  });

  it('explains an empty hierarchy: no model, any model allowed, provider defaults', () => {
    const { table, json } = formatExplanation(resolveLlmSettings([]));
    expect(table).toBe(
      [
        'SETTING         VALUE      SOURCE',
        'provider        (not set)',
        'model           (not set)',
        "temperature     (not set)  the provider's default",
        "max_tokens      (not set)  the provider's default",
        'allowed_models  any',
        '',
        'No model: the request names none and no level sets one.',
        '',
      ].join('\n'),
    );
    expect(json).toEqual({
      settings: { provider: null, model: null, temperature: null, max_tokens: null },
      allowedModels: [],
      modelAllowed: null,
      ignored: [],
      deployment: null,
    });
  });

  it('gives a JSON form with the same facts, ready for --json', () => {
    const resolution = resolveLlmSettings(llmLayers({ config, workspace: { name: 'production' }, key: { prefix: 'sk-sy-AbCd', allowedModels: ['gpt-4o-mini'] } }));
    const { json } = formatExplanation(resolution, { provider: 'openai', model: 'gpt-4o' });
    expect(JSON.parse(JSON.stringify(json))).toEqual({
      settings: {
        provider: { value: 'openai', source: 'config:workspaces.production' },
        model: { value: 'gpt-4o', source: 'config:workspaces.production' },
        temperature: { value: 0.3, source: 'config:workspaces.production' },
        max_tokens: { value: 4096, source: 'config:llm_config' },
      },
      allowedModels: [
        { patterns: ['gpt-4o*'], source: 'config:workspaces.production' },
        { patterns: ['gpt-4o-mini'], source: 'key sk-sy-AbCd' },
      ],
      modelAllowed: {
        allowed: false,
        source: 'key sk-sy-AbCd',
        patterns: ['gpt-4o-mini'],
        reason: 'model gpt-4o is not in the allowed models of key sk-sy-AbCd (gpt-4o-mini)',
      },
      ignored: [],
      deployment: { provider: 'openai', model: 'gpt-4o' },
    });
  });
});
