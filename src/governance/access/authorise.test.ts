import { describe, expect, it } from 'vitest';
import type { Role, RoleBinding } from '../identity/identity-types.js';
import type { AgentTokenPrincipal, KeyPrincipal, MasterPrincipal, Principal } from '../principal.js';
import { adminActions, type AdminAction } from './actions.js';
import { authorise, authoriseRoleGrant, canGrantRole, effectiveRole, type AccessTarget } from './authorise.js';

// What each role may do, written out by hand (not derived from the role matrix, so the matrix is checked).
const viewerMay: readonly AdminAction[] = [
  'organisations:read',
  'workspaces:read',
  'teams:read',
  'users:read',
  'service-accounts:read',
  'role-bindings:read',
  'keys:read',
  'budgets:read',
  'limits:read',
  'policies:read',
  'requests:read',
  'traces:read',
  'alerts:read',
];
const everything: readonly AdminAction[] = [
  ...['organisations', 'workspaces', 'teams', 'users', 'service-accounts', 'role-bindings', 'keys', 'budgets', 'limits', 'policies', 'secrets', 'audit', 'requests', 'traces', 'alerts'].flatMap(
    (resource) => [`${resource}:read`, `${resource}:write`] as AdminAction[],
  ),
  'keys:write-own',
];
const expectedByRole: Record<Role, ReadonlySet<AdminAction>> = {
  viewer: new Set(viewerMay),
  developer: new Set([...viewerMay, 'keys:write-own', 'traces:write']),
  admin: new Set(everything),
  owner: new Set(everything),
};
const roles: Role[] = ['viewer', 'developer', 'admin', 'owner'];

/** Where the call lands, seen from a principal of organisation `org_a`, workspace `ws_a`. */
const targets = {
  'its own workspace': { organisationId: 'org_a', workspaceId: 'ws_a' },
  'another workspace of its organisation': { organisationId: 'org_a', workspaceId: 'ws_b' },
  'its organisation (organisation level)': { organisationId: 'org_a' },
  'a workspace of another organisation': { organisationId: 'org_b', workspaceId: 'ws_a' },
  'another organisation (organisation level)': { organisationId: 'org_b' },
} satisfies Record<string, AccessTarget>;
type TargetName = keyof typeof targets;

function keyPrincipal(role: Role): KeyPrincipal {
  return { kind: 'key', keyId: 'key_1', prefix: 'sk-sy-AbCdEf', llm: {}, organisationId: 'org_a', workspaceId: 'ws_a', role, allowedModels: [], allowedRoutes: [], metadata: {}, tags: [] };
}

function agentToken(changes: Partial<AgentTokenPrincipal>): AgentTokenPrincipal {
  return { kind: 'agent-token', keyId: 'key_1', tokenId: 'tok_1', subject: 'key_1', organisationId: 'org_a', workspaceId: 'ws_a', role: 'owner', scopes: ['*'], allowedModels: [], ...changes };
}

function organisationBinding(role: Role, organisationId = 'org_a'): RoleBinding {
  return { id: `rb_${role}`, subject: { kind: 'user', id: 'user_1' }, role, scope: { kind: 'organisation', organisationId }, createdAt: 0 };
}

function workspaceBinding(role: Role, workspaceId: string): RoleBinding {
  return { id: `rb_${role}_${workspaceId}`, subject: { kind: 'user', id: 'user_1' }, role, scope: { kind: 'workspace', organisationId: 'org_a', workspaceId }, createdAt: 0 };
}

function outcome(principal: Principal, action: AdminAction, target: AccessTarget, bindings?: RoleBinding[]): 'allowed' | string {
  try {
    authorise(principal, action, target, bindings);
    return 'allowed';
  } catch (error) {
    expect(error).toMatchObject({ name: 'GatewayError', code: 'permission_denied', status: 403 });
    return (error as Error).message;
  }
}

/** A workspace-scoped role reaches only its workspace, and its organisation only to read the organisation. */
function expectedForWorkspaceScope(role: Role, action: AdminAction, target: TargetName): boolean {
  if (target === 'its own workspace') return expectedByRole[role].has(action);
  if (target === 'its organisation (organisation level)') return action === 'organisations:read';
  return false;
}

/** An organisation-scoped role reaches every workspace of its organisation and the organisation itself. */
function expectedForOrganisationScope(role: Role, action: AdminAction, target: TargetName): boolean {
  return targets[target].organisationId === 'org_a' && expectedByRole[role].has(action);
}

const cases = roles.flatMap((role) => adminActions.flatMap((action) => (Object.keys(targets) as TargetName[]).map((target) => [role, action, target] as const)));

describe('authorise', () => {
  it('knows every action of the admin API', () => {
    expect([...adminActions].sort()).toEqual([...everything].sort());
    expect(cases).toHaveLength(4 * 31 * 5);
  });

  it.each(cases)('a %s key: %s on %s', (role, action, target) => {
    const result = outcome(keyPrincipal(role), action, targets[target]);
    expect(result === 'allowed').toBe(expectedForWorkspaceScope(role, action, target));
  });

  it.each(cases)('a %s key whose owner is bound at organisation scope as owner: %s on %s', (role, action, target) => {
    // The binding widens the key's reach to its organisation, never its role.
    const result = outcome(keyPrincipal(role), action, targets[target], [organisationBinding('owner')]);
    expect(result === 'allowed').toBe(expectedForOrganisationScope(role, action, target));
  });

  it.each(cases)("a user's agent token with an organisation-scoped %s binding: %s on %s", (role, action, target) => {
    const token = agentToken({ subject: 'user_1', keyId: 'user_1', workspaceId: undefined, role: 'viewer' });
    const result = outcome(token, action, targets[target], [organisationBinding(role)]);
    expect(result === 'allowed').toBe(expectedForOrganisationScope(role, action, target));
  });

  it.each(cases)("a user's agent token narrowed to a workspace, minter bound %s at organisation scope: %s on %s", (role, action, target) => {
    const token = agentToken({ subject: 'user_1', keyId: 'user_1', workspaceId: 'ws_a', role: 'viewer' });
    const result = outcome(token, action, targets[target], [organisationBinding(role)]);
    expect(result === 'allowed').toBe(expectedForWorkspaceScope(role, action, target));
  });

  it('lets the master key do everything, anywhere', () => {
    const master: MasterPrincipal = { kind: 'master', keyId: 'master', role: 'owner' };
    for (const action of adminActions) {
      for (const target of Object.values(targets)) expect(outcome(master, action, target)).toBe('allowed');
    }
  });

  it('says why it refuses: another organisation, another workspace, organisation level, too weak a role', () => {
    expect(outcome(keyPrincipal('owner'), 'keys:read', targets['another organisation (organisation level)'])).toMatch(/organisation org_b/);
    expect(outcome(keyPrincipal('owner'), 'keys:read', targets['another workspace of its organisation'])).toMatch(/workspace ws_b/);
    expect(outcome(keyPrincipal('owner'), 'workspaces:write', targets['its organisation (organisation level)'])).toMatch(/organisation scope/);
    expect(outcome(keyPrincipal('viewer'), 'keys:write', targets['its own workspace'])).toMatch(/viewer may not perform keys:write.*admin or above/);
    expect(outcome(keyPrincipal('developer'), 'secrets:read', targets['its own workspace'])).toMatch(/admin or above/);
  });

  it('ignores bindings of other organisations and, for keys, bindings of other workspaces', () => {
    expect(outcome(keyPrincipal('admin'), 'keys:write', targets['a workspace of another organisation'], [organisationBinding('owner', 'org_b')])).not.toBe('allowed');
    expect(outcome(keyPrincipal('admin'), 'keys:write', targets['another workspace of its organisation'], [workspaceBinding('owner', 'ws_b')])).not.toBe('allowed');
  });

  it("narrows a user's token to its workspace, dropping the minter's bindings elsewhere", () => {
    const token = agentToken({ subject: 'user_1', keyId: 'user_1', workspaceId: 'ws_a', role: 'viewer' });
    const bindings = [workspaceBinding('admin', 'ws_b'), workspaceBinding('developer', 'ws_a')];
    expect(outcome(token, 'keys:write-own', targets['its own workspace'], bindings)).toBe('allowed');
    expect(outcome(token, 'keys:write', targets['its own workspace'], bindings)).not.toBe('allowed');
    expect(outcome(token, 'keys:read', targets['another workspace of its organisation'], bindings)).not.toBe('allowed');
    // Without bindings a user's token holds nothing: its authority is its minter's, never assumed.
    expect(outcome(token, 'keys:read', targets['its own workspace'])).not.toBe('allowed');
  });

  it('requires an agent token to carry a scope for the action, besides the role', () => {
    const withScopes = (scopes: string[]) => agentToken({ role: 'admin', scopes });
    const own = targets['its own workspace'];
    expect(outcome(withScopes(['admin:keys:read']), 'keys:read', own)).toBe('allowed');
    expect(outcome(withScopes(['admin:keys:read']), 'keys:write', own)).toMatch(/no scope for keys:write/);
    expect(outcome(withScopes(['admin:keys:write']), 'keys:write-own', own)).toBe('allowed');
    expect(outcome(withScopes(['admin:keys:write-own']), 'keys:write', own)).not.toBe('allowed');
    expect(outcome(withScopes(['admin:*']), 'budgets:write', own)).toBe('allowed');
    expect(outcome(withScopes(['*']), 'audit:read', own)).toBe('allowed');
    expect(outcome(withScopes(['gateway:chat']), 'keys:read', own)).not.toBe('allowed');
    // A scope never lifts the role: a viewer key's token with every scope still only reads.
    expect(outcome(agentToken({ role: 'viewer', scopes: ['*'] }), 'keys:write', own)).not.toBe('allowed');
    expect(outcome(agentToken({ role: 'admin', scopes: ['*'] }), 'keys:write', targets['another workspace of its organisation'])).not.toBe('allowed');
  });
});

describe('canGrantRole', () => {
  const own = targets['its own workspace'];

  it.each(roles.flatMap((granter) => roles.map((granted) => [granter, granted] as const)))('a %s key granting %s', (granter, granted) => {
    const order = roles.indexOf(granter) >= roles.indexOf(granted);
    expect(canGrantRole(keyPrincipal(granter), granted, own)).toBe(order);
    if (order) expect(() => authoriseRoleGrant(keyPrincipal(granter), granted, own)).not.toThrow();
    else expect(() => authoriseRoleGrant(keyPrincipal(granter), granted, own)).toThrow(/above their own/);
  });

  it('keeps an admin from making or removing an owner, also through an organisation binding', () => {
    const admin = keyPrincipal('admin');
    expect(canGrantRole(admin, 'owner', targets['its organisation (organisation level)'], [organisationBinding('owner')])).toBe(false);
    expect(canGrantRole(admin, 'admin', targets['its organisation (organisation level)'], [organisationBinding('owner')])).toBe(true);
    expect(canGrantRole(admin, 'admin', targets['its organisation (organisation level)'])).toBe(false);
    expect(canGrantRole(admin, 'viewer', targets['another workspace of its organisation'])).toBe(false);
    expect(() => authoriseRoleGrant(admin, 'viewer', targets['a workspace of another organisation'])).toThrow(/No role here/);
  });

  it('lets the master key grant any role', () => {
    const master: MasterPrincipal = { kind: 'master', keyId: 'master', role: 'owner' };
    expect(canGrantRole(master, 'owner', targets['another organisation (organisation level)'])).toBe(true);
    expect(effectiveRole(master, own)).toBe('owner');
  });

  it("reports a principal's strongest role at a target", () => {
    const token = agentToken({ subject: 'sa_1', keyId: 'sa_1', workspaceId: undefined, role: 'viewer' });
    const bindings = [organisationBinding('viewer'), workspaceBinding('admin', 'ws_b')];
    expect(effectiveRole(token, targets['another workspace of its organisation'], bindings)).toBe('admin');
    expect(effectiveRole(token, own, bindings)).toBe('viewer');
    expect(effectiveRole(token, targets['a workspace of another organisation'], bindings)).toBeUndefined();
  });
});
