import type {
  KeySecret,
  LlmSettings,
  Organisation,
  RoleBinding,
  ServiceAccount,
  Team,
  User,
  VirtualKey,
  Workspace,
} from './identity-types.js';

/**
 * A change to a virtual key (every field optional; `undefined` leaves it as it is). `prefix` changes with a
 * rotation, so lists show the prefix of the key in use.
 */
/** Fields to change on a key; `null` clears an optional field (the key no longer expires, or leaves its team). */
export type VirtualKeyPatch = Partial<Pick<VirtualKey, 'name' | 'prefix' | 'role' | 'allowedModels' | 'allowedRoutes' | 'metadata' | 'tags' | 'llm' | 'blocked' | 'revokedAt'>> & {
  expiresAt?: number | null;
  teamId?: string | null;
};

/**
 * The identity store port (SQL: one Kysely codebase for SQLite and PostgreSQL). Writes that belong together
 * run in one transaction through {@link IdentityStore.transaction}, so an admin mutation is never half done.
 * Lookups of unknown ids return `undefined`; creating a duplicate name throws `GatewayError('conflict')`.
 */
export interface IdentityStore {
  /** Runs `work` in one database transaction with a store bound to it. */
  transaction<T>(work: (store: IdentityStore) => Promise<T>): Promise<T>;

  createOrganisation(organisation: Organisation): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  listOrganisations(): Promise<Organisation[]>;
  updateOrganisationLlm(id: string, llm: LlmSettings): Promise<void>;

  createWorkspace(workspace: Workspace): Promise<void>;
  getWorkspace(id: string): Promise<Workspace | undefined>;
  findWorkspaceByName(organisationId: string, name: string): Promise<Workspace | undefined>;
  listWorkspaces(organisationId: string): Promise<Workspace[]>;
  updateWorkspaceLlm(id: string, llm: LlmSettings): Promise<void>;
  deleteWorkspace(id: string): Promise<void>;

  createTeam(team: Team): Promise<void>;
  getTeam(id: string): Promise<Team | undefined>;
  listTeams(workspaceId: string): Promise<Team[]>;
  deleteTeam(id: string): Promise<void>;

  createUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  listUsers(organisationId: string): Promise<User[]>;

  createServiceAccount(account: ServiceAccount): Promise<void>;
  getServiceAccount(id: string): Promise<ServiceAccount | undefined>;
  listServiceAccounts(organisationId: string): Promise<ServiceAccount[]>;

  createRoleBinding(binding: RoleBinding): Promise<void>;
  listRoleBindings(subject: RoleBinding['subject']): Promise<RoleBinding[]>;
  listRoleBindingsInOrganisation(organisationId: string): Promise<RoleBinding[]>;
  deleteRoleBinding(id: string): Promise<void>;

  /** Stores a key and its first secret. */
  createKey(key: VirtualKey, secret: KeySecret): Promise<void>;
  getKey(id: string): Promise<VirtualKey | undefined>;
  listKeys(filter: { organisationId: string; workspaceId?: string; teamId?: string }): Promise<VirtualKey[]>;
  updateKey(id: string, patch: VirtualKeyPatch): Promise<void>;
  /** Adds a secret (rotation) and sets `expiresAt` on the secrets that were current. */
  rotateKeySecret(keyId: string, secret: KeySecret, previousExpiresAt: number): Promise<void>;
  /** The key whose unexpired secret has this hash, with that secret. */
  findKeyBySecretHash(hash: string, nowMs: number): Promise<{ key: VirtualKey; secret: KeySecret } | undefined>;
  /** Records use; callers batch it (at most once a minute per key), it is not on the response path. */
  touchKey(id: string, usedAt: number): Promise<void>;
}
