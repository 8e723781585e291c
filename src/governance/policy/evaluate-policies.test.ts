import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../spec/index.js';
import { evaluatePolicies, formatMicros, type PolicyDecision, type PolicyRequest } from './evaluate-policies.js';
import { matchesModelPattern } from './model-pattern.js';
import type { PolicyDefinition, PolicyRules, PolicyScope } from './policy-definition.js';

// Which provider instances are self-hosted comes from outside (their kinds' definitions); these names are test data.
const localInstances = new Set(['ollama', 'ollama-gpu', 'vllm-lab']);
const dependencies = { isLocalProvider: (name: string) => localInstances.has(name) };

function policy(scope: PolicyScope, rules: PolicyRules, id = `pol_${scope}`): PolicyDefinition {
  return { id, scope, scopeId: `${scope}_1`, rules };
}

function request(changes: Partial<PolicyRequest> = {}): PolicyRequest {
  return { model: 'gpt-4o-mini', provider: 'openai', estimatedCostMicros: 1_200, maxTokens: 1_000, metadata: {}, ...changes };
}

interface Case {
  name: string;
  policies: PolicyDefinition[];
  request?: Partial<PolicyRequest>;
  /** `allowed`, or the refusal expected (policy id, rule and reason). */
  expected: 'allowed' | { policyId: string; rule: string; reason: string };
}

const cases: Case[] = [
  { name: 'no policies allow everything', policies: [], expected: 'allowed' },
  { name: 'a model matching the allow-list passes', policies: [policy('workspace', { allowedModels: ['gpt-4o-mini*'] })], expected: 'allowed' },
  {
    name: 'a model outside the allow-list is refused with the patterns named',
    policies: [policy('workspace', { allowedModels: ['gpt-4o-mini*'] })],
    request: { model: 'gpt-4o' },
    expected: { policyId: 'pol_workspace', rule: 'allowedModels', reason: "model gpt-4o is not in the workspace's allowed models (gpt-4o-mini*)" },
  },
  {
    name: 'a provider/* pattern matches the model served by that provider',
    policies: [policy('organisation', { allowedModels: ['openai/*'] })],
    request: { model: 'gpt-4o', provider: 'openai' },
    expected: 'allowed',
  },
  {
    name: 'a provider/* pattern refuses the same model at another provider',
    policies: [policy('organisation', { allowedModels: ['openai/*'] })],
    request: { model: 'gpt-4o', provider: 'azure' },
    expected: { policyId: 'pol_organisation', rule: 'allowedModels', reason: "model gpt-4o is not in the organisation's allowed models (openai/*)" },
  },
  {
    name: 'a bare pattern matches a model asked as provider/model',
    policies: [policy('key', { allowedModels: ['llama3*'] })],
    request: { model: 'ollama/llama3:8b', provider: 'ollama' },
    expected: 'allowed',
  },
  {
    name: 'allow-lists at two levels intersect: the lower one narrows',
    policies: [policy('organisation', { allowedModels: ['gpt-4o*'] }), policy('key', { allowedModels: ['gpt-4o-mini'] })],
    request: { model: 'gpt-4o' },
    expected: { policyId: 'pol_key', rule: 'allowedModels', reason: "model gpt-4o is not in the key's allowed models (gpt-4o-mini)" },
  },
  {
    name: 'a lower allow-list never widens a higher one',
    policies: [policy('organisation', { allowedModels: ['gpt-4o-mini'] }), policy('workspace', { allowedModels: ['*'] })],
    request: { model: 'claude-sonnet-4' },
    expected: { policyId: 'pol_organisation', rule: 'allowedModels', reason: "model claude-sonnet-4 is not in the organisation's allowed models (gpt-4o-mini)" },
  },
  {
    name: 'a denial at a lower level wins over an allow-list above',
    policies: [policy('organisation', { allowedModels: ['gpt-4o*'] }), policy('key', { deniedModels: ['gpt-4o-mini*'] })],
    expected: { policyId: 'pol_key', rule: 'deniedModels', reason: "model gpt-4o-mini is in the key's denied models (gpt-4o-mini*)" },
  },
  {
    name: 'a denial wins over an allow-list of the same policy',
    policies: [policy('workspace', { allowedModels: ['*'], deniedModels: ['gpt-4o-mini'] })],
    expected: { policyId: 'pol_workspace', rule: 'deniedModels', reason: "model gpt-4o-mini is in the workspace's denied models (gpt-4o-mini)" },
  },
  {
    name: 'a denied provider is refused',
    policies: [policy('workspace', { deniedProviders: ['openai*'] })],
    expected: { policyId: 'pol_workspace', rule: 'deniedProviders', reason: "provider openai is in the workspace's denied providers (openai*)" },
  },
  {
    name: 'a provider outside the allowed providers is refused',
    policies: [policy('organisation', { allowedProviders: ['anthropic', 'ollama'] })],
    expected: { policyId: 'pol_organisation', rule: 'allowedProviders', reason: "provider openai is not in the organisation's allowed providers (anthropic, ollama)" },
  },
  { name: 'an allowed provider passes', policies: [policy('organisation', { allowedProviders: ['open*'] })], expected: 'allowed' },
  {
    name: 'local only refuses a hosted provider',
    policies: [policy('workspace', { localOnly: true })],
    expected: { policyId: 'pol_workspace', rule: 'localOnly', reason: "the workspace's policy allows only self-hosted providers, and openai is not self-hosted" },
  },
  { name: 'local only lets a self-hosted provider through', policies: [policy('workspace', { localOnly: true })], request: { model: 'llama3:8b', provider: 'ollama-gpu' }, expected: 'allowed' },
  { name: 'local only set to false restricts nothing', policies: [policy('workspace', { localOnly: false })], expected: 'allowed' },
  {
    name: 'provider rules wait for the provider: without one they are not judged',
    policies: [policy('workspace', { localOnly: true, allowedProviders: ['ollama'], deniedProviders: ['openai'] })],
    request: { provider: undefined },
    expected: 'allowed',
  },
  { name: 'max_tokens at the maximum passes', policies: [policy('key', { maxTokens: 1_000 })], expected: 'allowed' },
  {
    name: 'max_tokens above the maximum is refused',
    policies: [policy('key', { maxTokens: 512 })],
    expected: { policyId: 'pol_key', rule: 'maxTokens', reason: "max_tokens 1000 is above the key's maximum of 512" },
  },
  {
    name: 'a request that neither asks nor implies max_tokens is refused under a maximum',
    policies: [policy('key', { maxTokens: 512 })],
    request: { maxTokens: undefined },
    expected: { policyId: 'pol_key', rule: 'maxTokens', reason: "the request sets no max_tokens and the key's policy allows at most 512: set max_tokens to 512 or less" },
  },
  { name: 'an estimated cost at the maximum passes', policies: [policy('workspace', { maxEstimatedCostMicros: 1_200 })], expected: 'allowed' },
  {
    name: 'an estimated cost above the maximum is refused, in dollars',
    policies: [policy('workspace', { maxEstimatedCostMicros: 1_000 })],
    expected: { policyId: 'pol_workspace', rule: 'maxEstimatedCostMicros', reason: "the estimated cost of $0.0012 is above the workspace's maximum of $0.001 per request" },
  },
  {
    name: 'a zero maximum lets only free requests through',
    policies: [policy('workspace', { maxEstimatedCostMicros: 0 })],
    request: { estimatedCostMicros: 0, provider: 'ollama', model: 'llama3:8b' },
    expected: 'allowed',
  },
  {
    name: 'missing required metadata is refused, naming every missing key',
    policies: [policy('organisation', { requiredMetadata: ['project', 'cost_centre', 'team'] })],
    request: { metadata: { team: 'search', cost_centre: '' } },
    expected: { policyId: 'pol_organisation', rule: 'requiredMetadata', reason: `metadata "project", "cost_centre" are required by the organisation's policy` },
  },
  {
    name: 'a null metadata value counts as missing',
    policies: [policy('organisation', { requiredMetadata: ['project'] })],
    request: { metadata: { project: null } },
    expected: { policyId: 'pol_organisation', rule: 'requiredMetadata', reason: `metadata "project" is required by the organisation's policy` },
  },
  {
    name: 'an inherited property is not metadata',
    policies: [policy('organisation', { requiredMetadata: ['constructor'] })],
    request: { metadata: {} },
    expected: { policyId: 'pol_organisation', rule: 'requiredMetadata', reason: `metadata "constructor" is required by the organisation's policy` },
  },
  { name: 'present metadata passes', policies: [policy('organisation', { requiredMetadata: ['project'] })], request: { metadata: { project: 'atlas', count: 0 } }, expected: 'allowed' },
  {
    name: 'the broadest refusing level is reported, whatever the order given',
    policies: [policy('key', { maxTokens: 10 }), policy('workspace', { localOnly: true }), policy('organisation', { requiredMetadata: ['project'] })],
    expected: { policyId: 'pol_organisation', rule: 'requiredMetadata', reason: `metadata "project" is required by the organisation's policy` },
  },
  {
    name: 'within a policy, what the request is is reported before what it asks',
    policies: [policy('workspace', { maxEstimatedCostMicros: 1, deniedModels: ['gpt-*'] })],
    expected: { policyId: 'pol_workspace', rule: 'deniedModels', reason: "model gpt-4o-mini is in the workspace's denied models (gpt-*)" },
  },
  {
    name: 'every rule of every level satisfied: allowed',
    policies: [
      policy('organisation', { allowedModels: ['llama*', 'gpt-4o*'], requiredMetadata: ['project'], maxEstimatedCostMicros: 50_000 }),
      policy('workspace', { localOnly: true, allowedProviders: ['ollama*'], deniedModels: ['llama2*'] }),
      policy('key', { allowedModels: ['llama3*'], maxTokens: 4_096 }),
    ],
    request: { model: 'llama3:8b', provider: 'ollama', estimatedCostMicros: 0, maxTokens: 2_048, metadata: { project: 'atlas' } },
    expected: 'allowed',
  },
];

describe('evaluatePolicies', () => {
  it.each(cases)('$name', ({ policies, request: changes, expected }) => {
    const decision = evaluatePolicies(policies, request(changes), dependencies);
    if (expected === 'allowed') expect(decision).toEqual({ allowed: true });
    else expect(decision).toMatchObject({ allowed: false, ...expected });
  });

  it('reports the scope of the refusing policy, for the audit record', () => {
    const decision = evaluatePolicies([policy('key', { localOnly: true }, 'pol_custom')], request(), dependencies);
    expect(decision).toEqual({
      allowed: false,
      policyId: 'pol_custom',
      scope: 'key',
      rule: 'localOnly',
      reason: "the key's policy allows only self-hosted providers, and openai is not self-hosted",
    });
  });

  it('gives a reason the caller throws as a 403 policy_denied', () => {
    const decision: PolicyDecision = evaluatePolicies([policy('workspace', { allowedModels: ['gpt-4o-mini*'] })], request({ model: 'gpt-4o' }), dependencies);
    if (decision.allowed) throw new Error('expected a refusal');
    const error = new GatewayError('policy_denied', decision.reason);
    expect(error.status).toBe(403);
    expect(error.message).toBe("model gpt-4o is not in the workspace's allowed models (gpt-4o-mini*)");
  });
});

describe('formatMicros', () => {
  it.each([
    [0, '$0.00'],
    [1, '$0.000001'],
    [12_000, '$0.012'],
    [500_000, '$0.50'],
    [1_000_000, '$1.00'],
    [12_345_678, '$12.345678'],
  ])('%i micro-dollars is %s', (micros, text) => {
    expect(formatMicros(micros)).toBe(text);
  });
});

describe('matchesModelPattern', () => {
  it('matches one pattern as policies do, provider spelling included', () => {
    expect(matchesModelPattern('gpt-4o*', 'gpt-4o-mini')).toBe(true);
    expect(matchesModelPattern('gpt-4o*', 'o3')).toBe(false);
    expect(matchesModelPattern('openai/*', 'gpt-4o')).toBe(false);
    expect(matchesModelPattern('openai/*', 'gpt-4o', 'openai')).toBe(true);
  });
});
