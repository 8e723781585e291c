import { matchesPattern, modelMatchesAny } from '../../config/llm-hierarchy-model-patterns.js';
import type { PolicyDefinition, PolicyRuleName, PolicyScope } from './policy-definition.js';

/** What a policy looks at in a request, once the hierarchy has resolved its settings. */
export interface PolicyRequest {
  /** The model as it will be asked for (the hierarchy's model when the request named none). */
  model: string;
  /**
   * The provider instance that will serve it, when known. Without it the provider rules (allowed / denied
   * providers, local only) cannot be judged and are left out: the router evaluates them per candidate
   * deployment by calling again with the deployment's provider.
   */
  provider?: string;
  /** The estimated worst-case cost, integer micro-dollars (what the budget reservation holds). */
  estimatedCostMicros: number;
  /** max_tokens as asked, or implied by the hierarchy; `undefined` when neither says. */
  maxTokens?: number;
  /** The request's `metadata` (absent: `{}`). */
  metadata: Readonly<Record<string, unknown>>;
}

/** What evaluation needs from outside. */
export interface PolicyDependencies {
  /** True when this provider instance is self-hosted (from its kind's definition; never a name in code). */
  isLocalProvider(providerName: string): boolean;
}

/** The outcome: allowed, or the first broken rule with a reason a person can act on. */
export type PolicyDecision =
  | { allowed: true }
  | { allowed: false; policyId: string; scope: PolicyScope; rule: PolicyRuleName; reason: string };

const scopeOrder: Record<PolicyScope, number> = { organisation: 0, workspace: 1, key: 2 };
const possessive: Record<PolicyScope, string> = { organisation: "organisation's", workspace: "workspace's", key: "key's" };

type Check = (policy: PolicyDefinition, request: PolicyRequest, dependencies: PolicyDependencies) => string | undefined;

// In the order they are checked: what a request is (model, provider) before what it asks (tokens, cost,
// metadata), so a refused model is reported as such even when its cost is also too high.
const checks: ReadonlyArray<readonly [PolicyRuleName, Check]> = [
  [
    'deniedModels',
    ({ scope, rules }, { model, provider }) =>
      rules.deniedModels !== undefined && modelMatchesAny(rules.deniedModels, model, provider)
        ? `model ${model} is in the ${possessive[scope]} denied models (${rules.deniedModels.join(', ')})`
        : undefined,
  ],
  [
    'allowedModels',
    ({ scope, rules }, { model, provider }) =>
      rules.allowedModels !== undefined && !modelMatchesAny(rules.allowedModels, model, provider)
        ? `model ${model} is not in the ${possessive[scope]} allowed models (${rules.allowedModels.join(', ')})`
        : undefined,
  ],
  [
    'deniedProviders',
    ({ scope, rules }, { provider }) =>
      provider !== undefined && rules.deniedProviders?.some((pattern) => matchesPattern(pattern, provider))
        ? `provider ${provider} is in the ${possessive[scope]} denied providers (${rules.deniedProviders.join(', ')})`
        : undefined,
  ],
  [
    'allowedProviders',
    ({ scope, rules }, { provider }) =>
      provider !== undefined && rules.allowedProviders !== undefined && !rules.allowedProviders.some((pattern) => matchesPattern(pattern, provider))
        ? `provider ${provider} is not in the ${possessive[scope]} allowed providers (${rules.allowedProviders.join(', ')})`
        : undefined,
  ],
  [
    'localOnly',
    ({ scope, rules }, { provider }, dependencies) =>
      provider !== undefined && rules.localOnly === true && !dependencies.isLocalProvider(provider)
        ? `the ${possessive[scope]} policy allows only self-hosted providers, and ${provider} is not self-hosted`
        : undefined,
  ],
  [
    'maxTokens',
    ({ scope, rules }, { maxTokens }) => {
      if (rules.maxTokens === undefined) return undefined;
      if (maxTokens === undefined) {
        return `the request sets no max_tokens and the ${possessive[scope]} policy allows at most ${rules.maxTokens}: set max_tokens to ${rules.maxTokens} or less`;
      }
      return maxTokens > rules.maxTokens ? `max_tokens ${maxTokens} is above the ${possessive[scope]} maximum of ${rules.maxTokens}` : undefined;
    },
  ],
  [
    'maxEstimatedCostMicros',
    ({ scope, rules }, { estimatedCostMicros }) =>
      rules.maxEstimatedCostMicros !== undefined && estimatedCostMicros > rules.maxEstimatedCostMicros
        ? `the estimated cost of ${formatMicros(estimatedCostMicros)} is above the ${possessive[scope]} maximum of ${formatMicros(rules.maxEstimatedCostMicros)} per request`
        : undefined,
  ],
  [
    'requiredMetadata',
    ({ scope, rules }, { metadata }) => {
      const missing = rules.requiredMetadata?.filter((key) => !hasValue(metadata, key)) ?? [];
      if (missing.length === 0) return undefined;
      const names = missing.map((key) => `"${key}"`).join(', ');
      return `metadata ${names} ${missing.length === 1 ? 'is' : 'are'} required by the ${possessive[scope]} policy`;
    },
  ],
];

/**
 * Evaluates every policy of the levels the request passes through (organisation, workspace, key; the caller
 * passes exactly those). Every rule of every policy must hold, so a denial at any level wins and allow-lists
 * at several levels intersect: a lower level can narrow what a higher one allows, never widen it. Policies
 * are checked top level first, so the reason names the broadest policy that refuses. The caller turns a
 * refusal into `GatewayError('policy_denied', reason)`.
 */
export function evaluatePolicies(policies: ReadonlyArray<PolicyDefinition>, request: PolicyRequest, dependencies: PolicyDependencies): PolicyDecision {
  const ordered = [...policies].sort((left, right) => scopeOrder[left.scope] - scopeOrder[right.scope]);
  for (const policy of ordered) {
    for (const [rule, check] of checks) {
      const reason = check(policy, request, dependencies);
      if (reason !== undefined) return { allowed: false, policyId: policy.id, scope: policy.scope, rule, reason };
    }
  }
  return { allowed: true };
}

function hasValue(metadata: Readonly<Record<string, unknown>>, key: string): boolean {
  if (!Object.hasOwn(metadata, key)) return false;
  const value = metadata[key];
  return value !== undefined && value !== null && value !== '';
}

/** `$0.012`, `$1.50`, `$0.000001`: dollars with as many decimals as the micro-dollars need (at least two). */
export function formatMicros(micros: number): string {
  const whole = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0').replace(/0{1,4}$/, '');
  return `$${whole}.${fraction.padEnd(2, '0')}`;
}
