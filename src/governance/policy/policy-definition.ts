import { z } from 'zod';

/**
 * Policies: rules checked before a request reaches a provider. A policy belongs to one level of the
 * hierarchy (an organisation, a workspace or a key); every policy of the levels a request passes through
 * applies to it, and any of them can refuse it.
 */

/** The level a policy belongs to; `scopeId` is that organisation's, workspace's or key's id. */
export const policyScopeSchema = z.enum(['organisation', 'workspace', 'key']);
export type PolicyScope = z.infer<typeof policyScopeSchema>;

const patternList = (what: string) =>
  z.array(z.string().min(1, `a ${what} pattern cannot be empty`)).min(1, `list at least one ${what}, or leave the rule out`);

/** What a policy checks. Every rule is optional, but a policy needs at least one. */
export const policyRulesSchema = z
  .strictObject({
    /** Model patterns (`gpt-4o*`, `openai/*`): the model must match one. Lists at several levels intersect. */
    allowedModels: patternList('model').optional(),
    /** Model patterns refused, whatever any allow-list says. */
    deniedModels: patternList('model').optional(),
    /** Provider instance name patterns the request may be served by. */
    allowedProviders: patternList('provider').optional(),
    deniedProviders: patternList('provider').optional(),
    /** Largest estimated worst-case cost of one request, in integer micro-dollars (0: free models only). */
    maxEstimatedCostMicros: z.number().int('micro-dollars are whole numbers').nonnegative().optional(),
    /** Largest max_tokens a request may ask for; a request that asks none and implies none is refused. */
    maxTokens: z.number().int().positive().optional(),
    /** Only self-hosted providers (Ollama, a local server) may serve the request. */
    localOnly: z.boolean().optional(),
    /** Keys that must be present, with a non-empty value, in the request's `metadata`. */
    requiredMetadata: z.array(z.string().min(1, 'a metadata key cannot be empty')).min(1, 'list at least one metadata key, or leave the rule out').optional(),
  })
  .refine((rules) => Object.values(rules).some((value) => value !== undefined), { message: 'a policy needs at least one rule' });
export type PolicyRules = z.infer<typeof policyRulesSchema>;

/** A policy as the admin API takes it. */
export const policyDefinitionSchema = z.strictObject({
  id: z.string().min(1).max(200),
  scope: policyScopeSchema,
  scopeId: z.string().min(1).max(200),
  rules: policyRulesSchema,
});
export type PolicyDefinition = z.infer<typeof policyDefinitionSchema>;

/** The names of the rules, in the order a policy checks them (the first broken one is reported). */
export type PolicyRuleName = keyof PolicyRules;
