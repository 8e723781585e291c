import { describe, expect, it } from 'vitest';
import { matchesPattern, modelMatchesAny, modelNames } from './llm-hierarchy-model-patterns.js';

describe('matchesPattern', () => {
  it.each([
    ['gpt-4o*', 'gpt-4o', true],
    ['gpt-4o*', 'gpt-4o-mini', true],
    ['gpt-4o*', 'gpt-4', false],
    ['gpt-4o*', 'xgpt-4o', false],
    ['openai/*', 'openai/gpt-4o', true],
    ['openai/*', 'openai-eu/gpt-4o', false],
    ['*', 'meta-llama/Llama-3.1-8B', true],
    ['llama3:?b', 'llama3:8b', true],
    ['llama3:?b', 'llama3:70b', false],
    // Characters that mean something in a regular expression match themselves.
    ['gpt-4.1', 'gpt-4.1', true],
    ['gpt-4.1', 'gpt-4x1', false],
    ['model(1)+[a]', 'model(1)+[a]', true],
    ['a|b', 'a', false],
    // Case matters: some providers' model ids are case-sensitive.
    ['Qwen/*', 'qwen/qwen2', false],
  ])('%s against %s is %s', (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });
});

describe('modelNames', () => {
  it('gives the bare name without a provider', () => {
    expect(modelNames('gpt-4o')).toEqual(['gpt-4o']);
  });

  it('adds the provider/model spelling, or takes the provider prefix off', () => {
    expect(modelNames('gpt-4o', 'openai')).toEqual(['gpt-4o', 'openai/gpt-4o']);
    expect(modelNames('openai/gpt-4o', 'openai')).toEqual(['openai/gpt-4o', 'gpt-4o']);
    // A model id with a slash of its own keeps it.
    expect(modelNames('meta-llama/Llama-3', 'together')).toEqual(['meta-llama/Llama-3', 'together/meta-llama/Llama-3']);
  });
});

describe('modelMatchesAny', () => {
  it('matches any pattern against any of the names', () => {
    expect(modelMatchesAny(['anthropic/*', 'openai/*'], 'gpt-4o', 'openai')).toBe(true);
    expect(modelMatchesAny(['gpt-4o'], 'openai/gpt-4o', 'openai')).toBe(true);
    expect(modelMatchesAny(['anthropic/*'], 'gpt-4o', 'openai')).toBe(false);
    expect(modelMatchesAny(['openai/*'], 'gpt-4o')).toBe(false);
    expect(modelMatchesAny([], 'gpt-4o', 'openai')).toBe(false);
  });
});
