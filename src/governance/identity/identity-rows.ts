import type { Insertable, Selectable } from 'kysely';
import type {
  OrganisationsTable,
  RoleBindingsTable,
  ServiceAccountsTable,
  TeamsTable,
  UsersTable,
  VirtualKeysTable,
  WorkspacesTable,
} from '../../db/schema.js';
import type { VirtualKeyPatch } from './identity-store.js';
import type { KeyOwner, LlmSettings, Organisation, Role, RoleBinding, ServiceAccount, Team, User, VirtualKey, Workspace } from './identity-types.js';

// Row <-> record conversion for the SQL identity store. PostgreSQL hands back bigint columns as strings, so
// times go through Number; JSON columns are text; optional fields are left absent (not present-and-undefined)
// so records read back equal what was written.

function time(value: number | string | bigint): number {
  return Number(value);
}

function optionalTime(value: number | string | bigint | null): number | undefined {
  return value === null ? undefined : Number(value);
}

export function organisationFromRow(row: Selectable<OrganisationsTable>): Organisation {
  return { id: row.id, name: row.name, llm: JSON.parse(row.llm) as LlmSettings, createdAt: time(row.created_at) };
}

export function organisationToRow(organisation: Organisation): Insertable<OrganisationsTable> {
  return { id: organisation.id, name: organisation.name, llm: JSON.stringify(organisation.llm), created_at: organisation.createdAt };
}

export function workspaceFromRow(row: Selectable<WorkspacesTable>): Workspace {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    llm: JSON.parse(row.llm) as LlmSettings,
    createdAt: time(row.created_at),
  };
}

export function workspaceToRow(workspace: Workspace): Insertable<WorkspacesTable> {
  return {
    id: workspace.id,
    organisation_id: workspace.organisationId,
    name: workspace.name,
    llm: JSON.stringify(workspace.llm),
    created_at: workspace.createdAt,
  };
}

export function teamFromRow(row: Selectable<TeamsTable>): Team {
  return { id: row.id, organisationId: row.organisation_id, workspaceId: row.workspace_id, name: row.name, createdAt: time(row.created_at) };
}

export function teamToRow(team: Team): Insertable<TeamsTable> {
  return { id: team.id, organisation_id: team.organisationId, workspace_id: team.workspaceId, name: team.name, created_at: team.createdAt };
}

export function userFromRow(row: Selectable<UsersTable>): User {
  const user: User = { id: row.id, organisationId: row.organisation_id, email: row.email, createdAt: time(row.created_at) };
  if (row.name !== null) user.name = row.name;
  return user;
}

export function userToRow(user: User): Insertable<UsersTable> {
  return { id: user.id, organisation_id: user.organisationId, email: user.email, name: user.name ?? null, created_at: user.createdAt };
}

export function serviceAccountFromRow(row: Selectable<ServiceAccountsTable>): ServiceAccount {
  const account: ServiceAccount = { id: row.id, organisationId: row.organisation_id, name: row.name, createdAt: time(row.created_at) };
  if (row.workspace_id !== null) account.workspaceId = row.workspace_id;
  return account;
}

export function serviceAccountToRow(account: ServiceAccount): Insertable<ServiceAccountsTable> {
  return {
    id: account.id,
    organisation_id: account.organisationId,
    workspace_id: account.workspaceId ?? null,
    name: account.name,
    created_at: account.createdAt,
  };
}

export function roleBindingFromRow(row: Selectable<RoleBindingsTable>): RoleBinding {
  return {
    id: row.id,
    subject: { kind: row.subject_kind as RoleBinding['subject']['kind'], id: row.subject_id },
    role: row.role as Role,
    scope:
      row.workspace_id === null
        ? { kind: 'organisation', organisationId: row.organisation_id }
        : { kind: 'workspace', organisationId: row.organisation_id, workspaceId: row.workspace_id },
    createdAt: time(row.created_at),
  };
}

export function roleBindingToRow(binding: RoleBinding): Insertable<RoleBindingsTable> {
  return {
    id: binding.id,
    subject_kind: binding.subject.kind,
    subject_id: binding.subject.id,
    role: binding.role,
    organisation_id: binding.scope.organisationId,
    workspace_id: binding.scope.kind === 'workspace' ? binding.scope.workspaceId : null,
    created_at: binding.createdAt,
  };
}

function ownerFromColumns(kind: string, id: string | null): KeyOwner {
  if (kind === 'none' || id === null) return { kind: 'none' };
  return { kind: kind as Exclude<KeyOwner['kind'], 'none'>, id };
}

export function keyFromRow(row: Selectable<VirtualKeysTable>): VirtualKey {
  const key: VirtualKey = {
    id: row.id,
    organisationId: row.organisation_id,
    workspaceId: row.workspace_id,
    owner: ownerFromColumns(row.owner_kind, row.owner_id),
    name: row.name,
    prefix: row.prefix,
    role: row.role as Role,
    allowedModels: JSON.parse(row.allowed_models) as string[],
    allowedRoutes: JSON.parse(row.allowed_routes) as string[],
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    tags: JSON.parse(row.tags) as string[],
    llm: JSON.parse(row.llm) as LlmSettings,
    blocked: Number(row.blocked) === 1,
    createdAt: time(row.created_at),
  };
  if (row.team_id !== null) key.teamId = row.team_id;
  const expiresAt = optionalTime(row.expires_at);
  if (expiresAt !== undefined) key.expiresAt = expiresAt;
  const revokedAt = optionalTime(row.revoked_at);
  if (revokedAt !== undefined) key.revokedAt = revokedAt;
  const lastUsedAt = optionalTime(row.last_used_at);
  if (lastUsedAt !== undefined) key.lastUsedAt = lastUsedAt;
  return key;
}

export function keyToRow(key: VirtualKey): Insertable<VirtualKeysTable> {
  return {
    id: key.id,
    organisation_id: key.organisationId,
    workspace_id: key.workspaceId,
    team_id: key.teamId ?? null,
    owner_kind: key.owner.kind,
    owner_id: key.owner.kind === 'none' ? null : key.owner.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    allowed_models: JSON.stringify(key.allowedModels),
    allowed_routes: JSON.stringify(key.allowedRoutes),
    metadata: JSON.stringify(key.metadata),
    tags: JSON.stringify(key.tags),
    llm: JSON.stringify(key.llm),
    expires_at: key.expiresAt ?? null,
    blocked: key.blocked ? 1 : 0,
    revoked_at: key.revokedAt ?? null,
    last_used_at: key.lastUsedAt ?? null,
    created_at: key.createdAt,
  };
}

/** The columns a patch changes; fields left `undefined` are not touched. */
export function keyPatchToColumns(patch: VirtualKeyPatch): Partial<Insertable<VirtualKeysTable>> {
  const columns: Partial<Insertable<VirtualKeysTable>> = {};
  if (patch.name !== undefined) columns.name = patch.name;
  if (patch.prefix !== undefined) columns.prefix = patch.prefix;
  if (patch.role !== undefined) columns.role = patch.role;
  if (patch.allowedModels !== undefined) columns.allowed_models = JSON.stringify(patch.allowedModels);
  if (patch.allowedRoutes !== undefined) columns.allowed_routes = JSON.stringify(patch.allowedRoutes);
  if (patch.metadata !== undefined) columns.metadata = JSON.stringify(patch.metadata);
  if (patch.tags !== undefined) columns.tags = JSON.stringify(patch.tags);
  if (patch.llm !== undefined) columns.llm = JSON.stringify(patch.llm);
  if (patch.expiresAt !== undefined) columns.expires_at = patch.expiresAt;
  if (patch.blocked !== undefined) columns.blocked = patch.blocked ? 1 : 0;
  if (patch.revokedAt !== undefined) columns.revoked_at = patch.revokedAt;
  if (patch.teamId !== undefined) columns.team_id = patch.teamId;
  return columns;
}
