import { GatewayError } from '../../spec/index.js';
import type { Role, RoleBinding, RoleScope } from '../identity/identity-types.js';
import type { AgentTokenPrincipal, KeyPrincipal, Principal } from '../principal.js';
import type { AdminAction } from './actions.js';
import { isRoleAtLeast, roleAllows, strongerRole, weakerRole, weakestRoleAllowing } from './role-matrix.js';

/**
 * What an admin call acts on: an organisation-level resource (no `workspaceId`: the organisation itself, its
 * workspaces list, users, secrets, ...) or something inside one workspace.
 */
export interface AccessTarget {
  organisationId: string;
  workspaceId?: string;
}

/** A role that applies somewhere. */
interface Grant {
  role: Role;
  scope: RoleScope;
}

/**
 * Allows the call or throws `GatewayError('permission_denied')` saying why. `bindings` are the role bindings
 * of the user or service account behind the principal (a key's owner, an agent token's minter); the caller
 * loads them.
 *
 * - The master key may do everything.
 * - A key acts with its role in its own workspace only. Its owner's organisation-scoped bindings widen that
 *   to the whole organisation, capped at the key's role; other workspaces' bindings never count for a key.
 * - An agent token needs a matching scope (`admin:<action>`, `admin:*` or `*`) on top. A token minted by a
 *   key acts as that key; one minted by a user or service account acts with its minter's bindings, narrowed
 *   to the token's workspace when it names one.
 * - A workspace-scoped role reaches organisation-level targets only to read the organisation itself (its
 *   name and the defaults its workspaces inherit); listings that span workspaces need organisation scope.
 */
export function authorise(principal: Principal, action: AdminAction, target: AccessTarget, bindings: readonly RoleBinding[] = []): void {
  if (principal.kind === 'master') return;
  if (principal.kind === 'agent-token' && !tokenScopesAllow(principal.scopes, action)) {
    throw denied(`The agent token has no scope for ${action} (it needs "admin:${action}").`);
  }
  const covering = grantsOf(principal, bindings).filter((grant) => covers(grant.scope, target, action));
  if (covering.length === 0) throw denied(outOfScopeReason(principal, target));
  if (covering.some((grant) => roleAllows(grant.role, action))) return;
  const strongest = covering.map((grant) => grant.role).reduce(strongerRole);
  throw denied(`The role ${strongest} may not perform ${action} here; it needs ${weakestRoleAllowing(action)} or above.`);
}

/**
 * The strongest role the principal holds at the target (`owner` for the master key), or `undefined` when it
 * holds none there.
 */
export function effectiveRole(principal: Principal, target: AccessTarget, bindings: readonly RoleBinding[] = []): Role | undefined {
  if (principal.kind === 'master') return 'owner';
  const roles = grantsOf(principal, bindings)
    .filter((grant) => covers(grant.scope, target, undefined))
    .map((grant) => grant.role);
  return roles.length === 0 ? undefined : roles.reduce(strongerRole);
}

/**
 * True when the granter may hand out `role` at the target: never a role above the granter's own there (an
 * admin cannot make an owner, nor remove one). Check it when creating or deleting a role binding and when
 * setting a key's role, besides {@link authorise} for the action itself.
 */
export function canGrantRole(granter: Principal, role: Role, target: AccessTarget, bindings: readonly RoleBinding[] = []): boolean {
  const own = effectiveRole(granter, target, bindings);
  return own !== undefined && isRoleAtLeast(own, role);
}

/** {@link canGrantRole}, throwing `GatewayError('permission_denied')` with the reason when it is false. */
export function authoriseRoleGrant(granter: Principal, role: Role, target: AccessTarget, bindings: readonly RoleBinding[] = []): void {
  if (canGrantRole(granter, role, target, bindings)) return;
  const own = effectiveRole(granter, target, bindings);
  throw denied(
    own === undefined
      ? `No role here to grant ${role} from.`
      : `The role ${own} cannot grant or remove the role ${role}: nobody may grant a role above their own.`,
  );
}

function tokenScopesAllow(scopes: readonly string[], action: AdminAction): boolean {
  return scopes.some(
    (scope) => scope === '*' || scope === 'admin:*' || scope === `admin:${action}` || (action === 'keys:write-own' && scope === 'admin:keys:write'),
  );
}

function grantsOf(principal: KeyPrincipal | AgentTokenPrincipal, bindings: readonly RoleBinding[]): Grant[] {
  const inOrganisation = bindings.filter((binding) => binding.scope.organisationId === principal.organisationId);
  const actsAsKey = principal.kind === 'key' || principal.subject.startsWith('key_');
  if (actsAsKey) {
    if (principal.workspaceId === undefined) return [];
    const own: Grant = { role: principal.role, scope: { kind: 'workspace', organisationId: principal.organisationId, workspaceId: principal.workspaceId } };
    const widened = inOrganisation
      .filter((binding) => binding.scope.kind === 'organisation')
      .map((binding): Grant => ({ role: weakerRole(binding.role, principal.role), scope: binding.scope }));
    return [own, ...widened];
  }
  // A user's or service account's token: its minter's bindings, narrowed to the token's workspace if any.
  const workspaceId = principal.workspaceId;
  if (workspaceId === undefined) return inOrganisation.map((binding) => ({ role: binding.role, scope: binding.scope }));
  return inOrganisation
    .filter((binding) => binding.scope.kind === 'organisation' || binding.scope.workspaceId === workspaceId)
    .map((binding) => ({ role: binding.role, scope: { kind: 'workspace', organisationId: principal.organisationId, workspaceId } }));
}

function covers(scope: RoleScope, target: AccessTarget, action: AdminAction | undefined): boolean {
  if (scope.organisationId !== target.organisationId) return false;
  if (scope.kind === 'organisation') return true;
  if (target.workspaceId === undefined) return action === 'organisations:read';
  return scope.workspaceId === target.workspaceId;
}

function outOfScopeReason(principal: KeyPrincipal | AgentTokenPrincipal, target: AccessTarget): string {
  const who = principal.kind === 'key' ? `The key ${principal.keyId}` : 'The agent token';
  if (target.organisationId !== principal.organisationId) return `${who} may not act in organisation ${target.organisationId}.`;
  if (target.workspaceId === undefined) {
    return `${who} is scoped to a workspace; organisation-level resources need a role bound at organisation scope.`;
  }
  return `${who} may not act in workspace ${target.workspaceId}.`;
}

function denied(message: string): GatewayError {
  return new GatewayError('permission_denied', message);
}
