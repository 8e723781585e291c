import { describe, expect, it } from 'vitest';
import { policyDefinitionSchema } from './policy-definition.js';

function messagesOf(input: unknown): string[] {
  const parsed = policyDefinitionSchema.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const valid = { id: 'pol_1', scope: 'workspace', scopeId: 'ws_1', rules: { allowedModels: ['gpt-4o*'] } };

describe('policyDefinitionSchema', () => {
  it('accepts a policy with every rule', () => {
    const rules = {
      allowedModels: ['gpt-4o*'],
      deniedModels: ['gpt-4o-realtime*'],
      allowedProviders: ['openai'],
      deniedProviders: ['azure*'],
      maxEstimatedCostMicros: 0,
      maxTokens: 4096,
      localOnly: true,
      requiredMetadata: ['project'],
    };
    expect(policyDefinitionSchema.parse({ ...valid, rules })).toEqual({ ...valid, rules });
  });

  it.each([
    ['a policy without rules', { ...valid, rules: {} }, 'rules: a policy needs at least one rule'],
    ['an empty allow-list', { ...valid, rules: { allowedModels: [] } }, 'rules.allowedModels: list at least one model, or leave the rule out'],
    ['an empty pattern', { ...valid, rules: { deniedProviders: [''] } }, 'rules.deniedProviders.0: a provider pattern cannot be empty'],
    ['fractional micro-dollars', { ...valid, rules: { maxEstimatedCostMicros: 1.5 } }, 'rules.maxEstimatedCostMicros: micro-dollars are whole numbers'],
    ['a negative cost', { ...valid, rules: { maxEstimatedCostMicros: -1 } }, 'rules.maxEstimatedCostMicros'],
    ['zero max tokens', { ...valid, rules: { maxTokens: 0 } }, 'rules.maxTokens'],
    ['an empty metadata list', { ...valid, rules: { requiredMetadata: [] } }, 'rules.requiredMetadata: list at least one metadata key, or leave the rule out'],
    ['an unknown rule', { ...valid, rules: { maxCost: 5 } }, 'rules: Unrecognized key: "maxCost"'],
    ['an unknown scope', { ...valid, scope: 'team' }, 'scope'],
    ['a missing owner', { id: 'pol_1', scope: 'key', rules: { localOnly: true } }, 'scopeId'],
    ['local only as a string', { ...valid, rules: { localOnly: 'yes' } }, 'rules.localOnly'],
  ])('refuses %s', (_name, input, expected) => {
    const messages = messagesOf(input);
    expect(messages.some((message) => message.startsWith(expected))).toBe(true);
  });
});
