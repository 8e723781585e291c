/**
 * The governance hierarchy: organisation -> workspaces -> teams -> virtual keys; users and service accounts
 * with roles at organisation or workspace scope. Ids are prefixed strings (`org_`, `ws_`, `team_`, `key_`,
 * `user_`, `sa_`) so a log line says what an id is.
 */

/** Roles, strongest first. An owner may do everything an admin may, and so on. */
export type Role = 'owner' | 'admin' | 'developer' | 'viewer';

/** Where a role applies. A workspace-scoped role grants nothing in another workspace. */
export type RoleScope = { kind: 'organisation'; organisationId: string } | { kind: 'workspace'; organisationId: string; workspaceId: string };

/** Model defaults at one level of the hierarchy; unset fields inherit from the level above. */
export interface LlmSettings {
  provider?: string;
  model?: string;
  temperature?: number;
  maxTokens?: number;
  allowedModels?: string[];
}

export interface Organisation {
  id: string;
  name: string;
  llm: LlmSettings;
  createdAt: number;
}

export interface Workspace {
  id: string;
  organisationId: string;
  /** Unique within the organisation, used on the command line (`switchyard workspace set-llm production`). */
  name: string;
  llm: LlmSettings;
  createdAt: number;
}

export interface Team {
  id: string;
  organisationId: string;
  workspaceId: string;
  name: string;
  createdAt: number;
}

export interface User {
  id: string;
  organisationId: string;
  email: string;
  name?: string;
  createdAt: number;
}

export interface ServiceAccount {
  id: string;
  organisationId: string;
  workspaceId?: string;
  name: string;
  createdAt: number;
}

/** A role held by a user or service account. */
export interface RoleBinding {
  id: string;
  subject: { kind: 'user' | 'service-account'; id: string };
  role: Role;
  scope: RoleScope;
  createdAt: number;
}

/** Who owns a virtual key. */
export type KeyOwner = { kind: 'user' | 'service-account' | 'team'; id: string } | { kind: 'none' };

/** A virtual key as stored: never the key itself, only its hash and a visible prefix. */
export interface VirtualKey {
  id: string;
  organisationId: string;
  workspaceId: string;
  teamId?: string;
  owner: KeyOwner;
  name: string;
  /** The first characters of the key (`sk-sy-AbCd`), to recognise it in lists. */
  prefix: string;
  /** The role the key acts with on the admin API (`viewer` unless granted more). */
  role: Role;
  /** Model names this key may call; empty means any the workspace allows. */
  allowedModels: string[];
  /** Route prefixes this key may call (`/v1/chat/completions`, `/admin/v1/keys`); empty means the gateway API only. */
  allowedRoutes: string[];
  metadata: Record<string, string>;
  tags: string[];
  llm: LlmSettings;
  expiresAt?: number;
  blocked: boolean;
  revokedAt?: number;
  lastUsedAt?: number;
  createdAt: number;
}

/** One accepted secret of a key: the current one, and during a rotation's grace period the previous one. */
export interface KeySecret {
  keyId: string;
  hash: string;
  /** After this instant the secret is refused (set on the old secret by a rotation). */
  expiresAt?: number;
}
