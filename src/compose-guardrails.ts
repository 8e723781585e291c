import type { Clock, Logger } from './spec/index.js';
import type { SwitchyardConfig } from './config/index.js';
import type { GuardStageDependencies } from './gateway/stages/guard-stage.js';
import type { AuditLog } from './governance/audit/audit-log.js';
import type { IdentityStore } from './governance/identity/identity-store.js';
import { GuardrailPolicyResolver } from './sentinel/guardrails/guardrail-policy-resolver.js';

/** What the guardrails are built from. */
export interface GuardrailsOptions {
  config: Pick<SwitchyardConfig, 'guardrails' | 'workspaces'>;
  identity: Pick<IdentityStore, 'getWorkspace'>;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  logger: Logger;
}

/**
 * Builds the guardrail stage's dependencies, or `undefined` when no level of the configuration names a
 * scanner: then the gateway composes no guardrail stage at all and requests pay nothing for the feature.
 * Every configured scanner is built here (the injection model decoded), not on the first request.
 */
export function composeGuardrails(options: GuardrailsOptions): GuardStageDependencies | undefined {
  const { config, identity, audit, clock, logger } = options;
  if (!GuardrailPolicyResolver.isConfigured(config)) return undefined;
  const resolver = new GuardrailPolicyResolver(config);
  resolver.warm();
  // Workspace names by id, looked up once each: the configuration's workspace levels are keyed by name.
  const names = new Map<string, Promise<string | undefined>>();
  return {
    resolver,
    clock,
    workspaceNameOf(workspaceId) {
      let name = names.get(workspaceId);
      if (name === undefined) {
        name = identity.getWorkspace(workspaceId).then(
          (workspace) => workspace?.name,
          (error: Error) => {
            names.delete(workspaceId);
            throw error;
          },
        );
        names.set(workspaceId, name);
      }
      return name;
    },
    auditBlock(entry) {
      audit.append(entry, clock.now()).catch((error: Error) => logger.error({ error: error.message }, 'audit append failed'));
    },
  };
}
