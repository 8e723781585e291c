import type { Command } from 'commander';
import type { z } from 'zod';
import type { storedPolicySchema } from '../governance/admin/policy-admin.js';
import { adminDelete, adminList, adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { collectList, formatDollars, formatTime, integerParser, parseDollars } from './command-values.js';
import { scopeFromOptions, scopeLabel, scopeLabels, scopeOrOrganisation, withScopeOptions, type ScopeOptions } from './scope-options.js';
import { formatList, type TableColumn } from './table.js';

/** A policy as the API shows it. */
export type PolicyView = z.output<typeof storedPolicySchema>;
type PolicyRulesView = PolicyView['rules'];

/** The rule flags of `policies create`, as commander parses them. */
export interface PolicyRuleOptions {
  allowModels?: string[];
  denyModels?: string[];
  allowProviders?: string[];
  denyProviders?: string[];
  maxCost?: number;
  maxTokens?: number;
  localOnly?: boolean;
  requireMetadata?: string[];
}

interface CreatePolicyOptions extends PolicyRuleOptions, Omit<ScopeOptions, 'team'> {
  id?: string;
}

/** The rules the flags name; at least one. */
export function policyRules(options: PolicyRuleOptions): PolicyRulesView {
  const rules: PolicyRulesView = {};
  if (options.allowModels !== undefined) rules.allowedModels = options.allowModels;
  if (options.denyModels !== undefined) rules.deniedModels = options.denyModels;
  if (options.allowProviders !== undefined) rules.allowedProviders = options.allowProviders;
  if (options.denyProviders !== undefined) rules.deniedProviders = options.denyProviders;
  if (options.maxCost !== undefined) rules.maxEstimatedCostMicros = options.maxCost;
  if (options.maxTokens !== undefined) rules.maxTokens = options.maxTokens;
  if (options.localOnly === true) rules.localOnly = true;
  if (options.requireMetadata !== undefined) rules.requiredMetadata = options.requireMetadata;
  if (Object.keys(rules).length === 0) {
    throw new Error('a policy needs at least one rule: --allow-models, --deny-models, --allow-providers, --deny-providers, --max-cost, --max-tokens, --local-only or --require-metadata');
  }
  return rules;
}

/** The rules in one line: `models=gpt-4o* max_cost=$0.50 local_only`. */
export function describeRules(rules: PolicyRulesView): string {
  const parts: string[] = [];
  if (rules.allowedModels !== undefined) parts.push(`models=${rules.allowedModels.join(',')}`);
  if (rules.deniedModels !== undefined) parts.push(`not_models=${rules.deniedModels.join(',')}`);
  if (rules.allowedProviders !== undefined) parts.push(`providers=${rules.allowedProviders.join(',')}`);
  if (rules.deniedProviders !== undefined) parts.push(`not_providers=${rules.deniedProviders.join(',')}`);
  if (rules.maxEstimatedCostMicros !== undefined) parts.push(`max_cost=${formatDollars(rules.maxEstimatedCostMicros)}`);
  if (rules.maxTokens !== undefined) parts.push(`max_tokens=${rules.maxTokens}`);
  if (rules.localOnly === true) parts.push('local_only');
  if (rules.requiredMetadata !== undefined) parts.push(`metadata=${rules.requiredMetadata.join(',')}`);
  return parts.join(' ');
}

function policyColumns(labels: ReadonlyMap<string, string>): Array<TableColumn<PolicyView>> {
  return [
    { header: 'id', cell: (policy) => policy.id },
    { header: 'owner', cell: (policy) => scopeLabel(labels, policy) },
    { header: 'rules', cell: (policy) => describeRules(policy.rules) },
    { header: 'updated', cell: (policy) => formatTime(policy.updatedAt) },
  ];
}

/** `switchyard policies [list|create|delete]`: rules checked before a request reaches a provider. */
export function registerPolicyCommands(program: Command): void {
  const policies = program.command('policies').description('policies checked before each call (admin API)');

  withAdminOptions(withScopeOptions(policies.command('list', { isDefault: true }).description('list policies (the default)'), { teams: false, purpose: 'only the policies of' })).action(
    adminAction<ScopeOptions>(async (session, options) => {
      const owner = await scopeFromOptions(session, options);
      const found = await adminList<PolicyView>(session.connection, '/admin/v1/policies', { organisationId: await session.organisationId(), scope: owner?.scope, scopeId: owner?.scopeId });
      const labels = session.json ? new Map<string, string>() : await scopeLabels(session, found);
      session.print(found, () => formatList(policyColumns(labels), found, 'No policies.'));
    }),
  );

  withAdminOptions(
    withScopeOptions(
      policies
        .command('create')
        .description('create a policy (default owner: the whole organisation)')
        .option('--allow-models <patterns>', 'model patterns requests must match, e.g. gpt-4o*,ollama/* (repeatable)', collectList)
        .option('--deny-models <patterns>', 'model patterns refused (repeatable)', collectList)
        .option('--allow-providers <patterns>', 'provider instances that may serve requests (repeatable)', collectList)
        .option('--deny-providers <patterns>', 'provider instances refused (repeatable)', collectList)
        .option('--max-cost <dollars>', "largest estimated worst-case cost of one request, in dollars", parseDollars)
        .option('--max-tokens <count>', 'largest max_tokens a request may ask for', integerParser(1))
        .option('--local-only', 'only self-hosted providers (e.g. Ollama) may serve requests')
        .option('--require-metadata <keys>', 'metadata keys every request must carry (repeatable)', collectList)
        .option('--id <id>', 'the policy id (default: chosen by the gateway)'),
      { teams: false, purpose: 'a policy for' },
    ),
  ).action(
    adminAction<CreatePolicyOptions>(async (session, options) => {
      const rules = policyRules(options);
      const owner = await scopeOrOrganisation(session, options);
      const created = await adminPost<PolicyView>(session.connection, '/admin/v1/policies', { ...owner, rules, ...(options.id === undefined ? {} : { id: options.id }) });
      const labels = await scopeLabels(session, [created]);
      session.print(created, () => `Created policy ${created.id} for ${scopeLabel(labels, created)}: ${describeRules(created.rules)}\n`);
    }),
  );

  withAdminOptions(policies.command('delete <id>').description('delete a policy')).action(
    adminAction(async (session, _options, [id]) => {
      const deleted = await adminDelete<{ id: string; deleted: true }>(session.connection, `/admin/v1/policies/${encodeURIComponent(id)}`);
      session.print(deleted, () => `Deleted policy ${deleted.id}\n`);
    }),
  );
}
