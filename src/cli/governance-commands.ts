import type { Command } from 'commander';
import { registerAuditCommands } from './audit-commands.js';
import { registerBudgetCommands } from './budget-commands.js';
import { registerKeyCommands } from './key-commands.js';
import { registerLimitCommands } from './limit-commands.js';
import { registerOrgCommands } from './org-commands.js';
import { registerPolicyCommands } from './policy-commands.js';
import { registerSecretCommands } from './secret-commands.js';
import { registerTokenCommands } from './token-commands.js';
import { registerWorkspaceCommands } from './workspace-commands.js';

/**
 * The governance verbs over the admin API (`/admin/v1`): org, workspace, secret, keys, budgets, limits,
 * policies, audit and token. Each talks to a running gateway; none opens the store itself.
 */
export function registerGovernanceCommands(program: Command): void {
  registerOrgCommands(program);
  registerWorkspaceCommands(program);
  registerSecretCommands(program);
  registerKeyCommands(program);
  registerBudgetCommands(program);
  registerLimitCommands(program);
  registerPolicyCommands(program);
  registerAuditCommands(program);
  registerTokenCommands(program);
}
