import { GatewayError } from '../../spec/index.js';
import type { IdentityStore, VirtualKeyPatch } from '../identity/identity-store.js';
import type { KeyOwner, Role, VirtualKey } from '../identity/identity-types.js';
import { generateVirtualKey, newId } from '../identity/virtual-key-material.js';
import type { Principal } from '../principal.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { listScope, requireKey, requireTeam, requireWorkspace } from './admin-lookups.js';
import type { AdminOperation, AdminScope, AuditTarget } from './admin-operation.js';
import { runAdminChange, runAdminRead } from './admin-operation.js';
import { createKeySchema, listKeysQuerySchema, updateKeySchema } from './key-schemas.js';

/** A key and its secret, which this answer shows once. */
export interface KeyWithSecret {
  key: VirtualKey;
  secret: string;
  previousSecretExpiresAt?: number;
}

export async function listKeys(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<VirtualKey[]> {
  const query = parseInput(listKeysQuerySchema, input, 'query');
  return runAdminRead(dependencies, call, 'keys.list', async (operation) => {
    const scope = listScope(call.principal, query.organisationId, query.workspaceId);
    operation.authorise('keys:read', scope, { kind: scope.workspaceId === undefined ? 'organisation' : 'workspace', id: scope.workspaceId ?? scope.organisationId });
    const keys = await operation.stores.identity.listKeys({ ...scope, teamId: query.teamId });
    return keys.filter((key) => operation.may('keys:read', keyScope(key)));
  });
}

export async function getKey(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<VirtualKey> {
  return runAdminRead(dependencies, call, 'keys.get', async (operation) => {
    const key = await requireKey(operation.stores.identity, id);
    operation.authorise('keys:read', keyScope(key), keyTarget(key));
    return key;
  });
}

/** Creates a key and returns its secret once. A key with a role or routes beyond the caller's is refused. */
export async function createKey(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<KeyWithSecret> {
  const body = parseInput(createKeySchema, input);
  return runAdminChange(dependencies, call, 'keys.create', async (operation) => {
    const { identity } = operation.stores;
    const workspace = await requireWorkspace(identity, body.workspaceId);
    const scope = { organisationId: workspace.organisationId, workspaceId: workspace.id };
    const id = newId('key');
    const target = { kind: 'key', id };
    const ownKey = authoriseKeyWrite(operation, scope, target, body.owner);
    refuseRoleEscalation(operation, body.role, scope, target);
    refuseRouteEscalation(operation, body.allowedRoutes, scope, target);
    if (body.teamId !== undefined) await requireTeamIn(identity, body.teamId, workspace.id);
    // A developer's key belongs to the developer: that is what lets them rotate it later.
    const owner: KeyOwner = body.owner ?? (ownKey ? operation.caller.owner! : { kind: 'none' });
    await requireOwnerIn(identity, owner, scope);
    const material = generateVirtualKey();
    const key: VirtualKey = {
      id,
      organisationId: workspace.organisationId,
      workspaceId: workspace.id,
      teamId: body.teamId,
      owner,
      name: body.name,
      prefix: material.prefix,
      role: body.role,
      allowedModels: body.allowedModels,
      allowedRoutes: body.allowedRoutes,
      metadata: body.metadata,
      tags: body.tags,
      llm: body.llm,
      expiresAt: body.expiresAt,
      blocked: false,
      createdAt: operation.nowMs,
    };
    if (key.expiresAt !== undefined && key.expiresAt <= operation.nowMs) {
      throw new GatewayError('invalid_request', 'expiresAt: must be in the future', { param: 'expiresAt' });
    }
    await identity.createKey(key, { keyId: id, hash: material.hash });
    await operation.record(target, scope, { name: key.name, prefix: key.prefix, role: key.role });
    operation.changed('keys', id);
    return { key, secret: material.key };
  });
}

export async function updateKey(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<VirtualKey> {
  const body = parseInput(updateKeySchema, input);
  return runAdminChange(dependencies, call, 'keys.update', async (operation) => {
    const { identity } = operation.stores;
    const key = await requireWritableKey(operation, id);
    const scope = keyScope(key);
    const target = keyTarget(key);
    if (body.role !== undefined) refuseRoleEscalation(operation, body.role, scope, target);
    if (body.allowedRoutes !== undefined) refuseRouteEscalation(operation, body.allowedRoutes, scope, target);
    if (body.teamId !== undefined && body.teamId !== null) await requireTeamIn(identity, body.teamId, key.workspaceId);
    if (body.expiresAt !== undefined && body.expiresAt !== null && body.expiresAt <= operation.nowMs) {
      throw new GatewayError('invalid_request', 'expiresAt: must be in the future', { param: 'expiresAt' });
    }
    const patch: VirtualKeyPatch = Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
    await identity.updateKey(id, patch);
    await operation.record(target, scope, { changed: Object.keys(patch) });
    operation.changed('keys', id);
    const updated: VirtualKey = { ...key, ...patch } as VirtualKey;
    // A cleared field is absent from a key, as it is on one that never had it.
    if (patch.teamId === null) delete updated.teamId;
    if (patch.expiresAt === null) delete updated.expiresAt;
    return updated;
  });
}

/**
 * Loads a key the caller may change: authorised for `keys:write` in its workspace (or, with `allowOwn`,
 * `keys:write-own` on a key the caller owns), not above the caller's role (an admin cannot touch an owner's
 * key), and not revoked (409: a revoked key stays revoked).
 */
export async function requireWritableKey(operation: AdminOperation, id: string, allowOwn = false): Promise<VirtualKey> {
  const key = await requireKey(operation.stores.identity, id);
  const scope = keyScope(key);
  const target = keyTarget(key);
  if (allowOwn) authoriseKeyWrite(operation, scope, target, key.owner);
  else operation.authorise('keys:write', scope, target);
  refuseRoleEscalation(operation, key.role, scope, target);
  if (key.revokedAt !== undefined) throw new GatewayError('conflict', `Key ${key.prefix}… is revoked; create a new key instead`);
  return key;
}

export function keyScope(key: VirtualKey): AdminScope {
  return { organisationId: key.organisationId, workspaceId: key.workspaceId };
}

export function keyTarget(key: VirtualKey): AuditTarget {
  return { kind: 'key', id: key.id };
}

/**
 * `keys:write`, or `keys:write-own` (developers) when the key is, or will be, owned by the user or service
 * account behind the caller. Returns true when the call goes through as the caller's own key.
 */
function authoriseKeyWrite(operation: AdminOperation, scope: AdminScope, target: AuditTarget, owner: KeyOwner | undefined): boolean {
  const caller = operation.caller.owner;
  const owned = caller !== undefined && (owner === undefined || (owner.kind !== 'none' && owner.kind === caller.kind && owner.id === caller.id));
  if (owned && !operation.may('keys:write', scope) && operation.may('keys:write-own', scope)) return true;
  operation.authorise('keys:write', scope, target);
  return false;
}

function refuseRoleEscalation(operation: AdminOperation, role: Role, scope: AdminScope, target: AuditTarget): void {
  if (!operation.canGrantRole(role, scope)) {
    operation.deny(`Role escalation: a caller with role ${operation.principal.role} cannot give or change a key with role ${role}`, scope, target);
  }
}

/**
 * A key may hand on only routes it holds itself: each requested prefix must lie under one of its own. An
 * agent token holds no routes of its own, so it may only create keys for the gateway API.
 */
function refuseRouteEscalation(operation: AdminOperation, routes: readonly string[], scope: AdminScope, target: AuditTarget): void {
  const beyond = routes.filter((route) => !routeWithin(operation.principal, route));
  if (beyond.length > 0) operation.deny(`Route escalation: the caller may not grant routes it does not hold itself (${beyond.join(', ')})`, scope, target);
}

function routeWithin(principal: Principal, route: string): boolean {
  if (principal.kind === 'master') return true;
  if (principal.kind === 'agent-token') return false;
  return principal.allowedRoutes.some((own) => route === own || route.startsWith(own.endsWith('/') ? own : `${own}/`));
}

async function requireTeamIn(identity: IdentityStore, teamId: string, workspaceId: string): Promise<void> {
  const team = await requireTeam(identity, teamId);
  if (team.workspaceId !== workspaceId) throw new GatewayError('invalid_request', `teamId: team ${teamId} is not in workspace ${workspaceId}`, { param: 'teamId' });
}

async function requireOwnerIn(identity: IdentityStore, owner: KeyOwner, scope: AdminScope): Promise<void> {
  if (owner.kind === 'none') return;
  const found =
    owner.kind === 'user'
      ? (await identity.getUser(owner.id))?.organisationId === scope.organisationId
      : owner.kind === 'service-account'
        ? (await identity.getServiceAccount(owner.id))?.organisationId === scope.organisationId
        : (await identity.getTeam(owner.id))?.workspaceId === scope.workspaceId;
  if (!found) throw new GatewayError('invalid_request', `owner.id: no ${owner.kind} ${owner.id} in this ${owner.kind === 'team' ? 'workspace' : 'organisation'}`, { param: 'owner.id' });
}
