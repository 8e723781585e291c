import { GatewayError } from '../../spec/index.js';
import type { IdentityStore } from '../identity/identity-store.js';
import type { Organisation, Team, VirtualKey, Workspace } from '../identity/identity-types.js';
import type { Principal } from '../principal.js';
import type { AdminScope } from './admin-operation.js';

/** Loaders that turn an unknown id into a 404 naming what was not found. */

export async function requireOrganisation(identity: IdentityStore, id: string): Promise<Organisation> {
  return found(await identity.getOrganisation(id), 'organisation', id);
}

export async function requireWorkspace(identity: IdentityStore, id: string): Promise<Workspace> {
  return found(await identity.getWorkspace(id), 'workspace', id);
}

export async function requireTeam(identity: IdentityStore, id: string): Promise<Team> {
  return found(await identity.getTeam(id), 'team', id);
}

export async function requireKey(identity: IdentityStore, id: string): Promise<VirtualKey> {
  return found(await identity.getKey(id), 'key', id);
}

/** The kinds of owner a budget, limit or policy can have. */
export type ScopeKind = 'key' | 'team' | 'workspace' | 'organisation';

/** Where the owner of a budget, limit or policy lives, for authorisation (404 when the owner is unknown). */
export async function resolveScope(identity: IdentityStore, kind: ScopeKind, id: string): Promise<AdminScope> {
  switch (kind) {
    case 'organisation':
      return { organisationId: (await requireOrganisation(identity, id)).id };
    case 'workspace': {
      const workspace = await requireWorkspace(identity, id);
      return { organisationId: workspace.organisationId, workspaceId: workspace.id };
    }
    case 'team': {
      const team = await requireTeam(identity, id);
      return { organisationId: team.organisationId, workspaceId: team.workspaceId };
    }
    case 'key': {
      const key = await requireKey(identity, id);
      return { organisationId: key.organisationId, workspaceId: key.workspaceId };
    }
  }
}

/**
 * The scope a list is taken in: the organisation asked for (by default the caller's own), and the workspace
 * asked for (by default, for a caller bound to a workspace of that organisation, its own workspace).
 */
export function listScope(principal: Principal, organisationId: string | undefined, workspaceId?: string): AdminScope {
  const organisation = organisationId ?? (principal.kind === 'master' ? undefined : principal.organisationId);
  if (organisation === undefined) {
    throw new GatewayError('invalid_request', 'organisationId: required with the master key (which organisation to list)', { param: 'organisationId' });
  }
  if (workspaceId !== undefined) return { organisationId: organisation, workspaceId };
  const ownWorkspace = principal.kind === 'master' || principal.organisationId !== organisation ? undefined : principal.workspaceId;
  return ownWorkspace === undefined ? { organisationId: organisation } : { organisationId: organisation, workspaceId: ownWorkspace };
}

function found<T>(value: T | undefined, what: string, id: string): T {
  if (value === undefined) throw new GatewayError('not_found', `No ${what} with id ${id}`, { param: 'id' });
  return value;
}
