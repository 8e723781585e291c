import type { Role } from '../identity/identity-types.js';
import { adminActions, type AdminAction, type AdminResource } from './actions.js';

/** Roles, strongest first. */
export const rolesStrongestFirst: readonly Role[] = Object.freeze(['owner', 'admin', 'developer', 'viewer']);

const rank: Readonly<Record<Role, number>> = { viewer: 0, developer: 1, admin: 2, owner: 3 };

/** True when `role` is `minimum` or stronger. */
export function isRoleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

/** The stronger of two roles. */
export function strongerRole(first: Role, second: Role): Role {
  return rank[first] >= rank[second] ? first : second;
}

/** The weaker of two roles (a key never acts above its own role, whatever its owner holds). */
export function weakerRole(first: Role, second: Role): Role {
  return rank[first] <= rank[second] ? first : second;
}

// Credentials and the audit trail are for administrators: a viewer sees configuration, not secrets' names
// and fields, nor who changed what.
const hiddenFromViewers: ReadonlySet<AdminResource> = new Set(['secrets', 'audit']);
const viewerActions = adminActions.filter((action) => action.endsWith(':read') && !hiddenFromViewers.has(action.split(':')[0] as AdminResource));

/**
 * What each role may do within its scope. Admin and owner hold the same actions; what separates them is
 * rank: only an owner may grant or remove the owner role (see `canGrantRole`).
 */
export const roleMatrix: Readonly<Record<Role, ReadonlySet<AdminAction>>> = Object.freeze({
  viewer: new Set(viewerActions),
  // Developers instrument their applications: they send observations and scores (traces:write).
  developer: new Set<AdminAction>([...viewerActions, 'keys:write-own', 'traces:write']),
  admin: new Set(adminActions),
  owner: new Set(adminActions),
});

/** True when the role's matrix holds the action. */
export function roleAllows(role: Role, action: AdminAction): boolean {
  return roleMatrix[role].has(action);
}

/** The weakest role that may do the action (for error messages). */
export function weakestRoleAllowing(action: AdminAction): Role {
  return [...rolesStrongestFirst].reverse().find((role) => roleAllows(role, action)) ?? 'owner';
}
