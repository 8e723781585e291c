import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { llmLayers, resolveLlmSettings } from './llm-hierarchy.js';

// `llm_config` and `workspaces` in switchyard.yaml, spelt exactly as the governance issue writes them.

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-llm-config-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function load(text: string) {
  writeFileSync(join(directory, 'switchyard.yaml'), text);
  return loadConfig({ cwd: directory, environment: {} });
}

function problemsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.map((problem) => `${problem.path}: ${problem.message}`);
  }
  throw new Error('expected a ConfigError');
}

const issueExample = [
  'llm_config: { provider: ollama, model: "llama3:8b", temperature: 0.7, max_tokens: 4096 }',
  'workspaces:',
  '  production:  { llm_override: { provider: openai, model: gpt-4o, temperature: 0.3 } }',
  '  development: { llm_override: { provider: ollama, model: "codellama:13b" } }',
].join('\n');

describe('llm_config and workspaces in the config file', () => {
  it("reads the issue's example into the hierarchy's settings", () => {
    const { config } = load(issueExample);
    expect(config.llm_config).toEqual({ provider: 'ollama', model: 'llama3:8b', temperature: 0.7, maxTokens: 4096 });
    expect(config.workspaces).toEqual({
      production: { llm_override: { provider: 'openai', model: 'gpt-4o', temperature: 0.3 } },
      development: { llm_override: { provider: 'ollama', model: 'codellama:13b' } },
    });
  });

  it('feeds the hierarchy directly', () => {
    const { config } = load(issueExample);
    const resolution = resolveLlmSettings(llmLayers({ config, workspace: { name: 'development' } }));
    expect(resolution.model).toEqual({ value: 'codellama:13b', source: 'config:workspaces.development' });
    expect(resolution.maxTokens).toEqual({ value: 4096, source: 'config:llm_config' });
  });

  it('reads allowed_models', () => {
    const { config } = load('llm_config: { allowed_models: ["gpt-4o*", "openai/*"] }\nworkspaces: { lab: { llm_override: { allowed_models: [llama*] } } }');
    expect(config.llm_config).toEqual({ allowedModels: ['gpt-4o*', 'openai/*'] });
    expect(config.workspaces.lab.llm_override).toEqual({ allowedModels: ['llama*'] });
  });

  it('defaults to no llm_config and no workspaces', () => {
    const { config } = load('server: { port: 4100 }');
    expect(config.llm_config).toBeUndefined();
    expect(config.workspaces).toEqual({});
  });

  it('takes workspaces as JSON from SWITCHYARD_WORKSPACES', () => {
    const environment = { SWITCHYARD_WORKSPACES: JSON.stringify({ lab: { llm_override: { model: 'llama3:8b', max_tokens: 512 } } }) };
    const { config } = loadConfig({ cwd: directory, environment });
    expect(config.workspaces).toEqual({ lab: { llm_override: { model: 'llama3:8b', maxTokens: 512 } } });
  });

  it('reports misspelt keys and values that make no sense, with their paths', () => {
    const problems = problemsOf(
      [
        'llm_config: { temprature: 0.7, max_tokens: -1, allowed_models: [] }',
        'workspaces:',
        '  production: { llm_overide: { model: gpt-4o } }',
        '  staging: { llm_override: { temperature: 5, maxTokens: 10 } }',
      ].join('\n'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'llm_config: unknown key "temprature"',
        expect.stringMatching(/^llm_config\.max_tokens: /),
        'llm_config.allowed_models: list at least one model pattern, or leave allowed_models out',
        // The misspelling is the one problem there: a workspace may hold only `payloads`, so llm_override is optional.
        'workspaces.production: unknown key "llm_overide"',
        expect.stringMatching(/^workspaces\.staging\.llm_override\.temperature: /),
        // The file takes the issue's spelling only.
        'workspaces.staging.llm_override: unknown key "maxTokens"',
      ]),
    );
  });
});
