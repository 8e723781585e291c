import type { LlmSettings, Role, VirtualKey } from './identity/identity-types.js';

/**
 * Who is calling, once authenticated. The master key acts as `owner` of every organisation; a virtual key
 * acts within its organisation and workspace with its role; an agent token with the scopes it was minted
 * with, never more than its minter's.
 */
export type Principal = MasterPrincipal | KeyPrincipal | AgentTokenPrincipal;

export interface MasterPrincipal {
  kind: 'master';
  /** `master`, as written in the ledger. */
  keyId: string;
  role: 'owner';
}

export interface KeyPrincipal {
  kind: 'key';
  keyId: string;
  /** The key's visible prefix (`sk-sy-AbCd`), for explanations and audit. */
  prefix: string;
  /** The key's own model settings (its level of the organisation -> workspace -> key hierarchy). */
  llm: LlmSettings;
  organisationId: string;
  workspaceId: string;
  teamId?: string;
  role: Role;
  /** Models the key may call; empty means any the workspace allows. */
  allowedModels: readonly string[];
  /** Route prefixes the key may call; empty means the gateway API only. */
  allowedRoutes: readonly string[];
  metadata: Readonly<Record<string, string>>;
  tags: readonly string[];
}

export interface AgentTokenPrincipal {
  kind: 'agent-token';
  /** The minter's key id (the ledger attributes the call to it). */
  keyId: string;
  tokenId: string;
  /** The minter (`key_...`, `user_...`, `sa_...`). */
  subject: string;
  organisationId: string;
  workspaceId?: string;
  teamId?: string;
  role: Role;
  scopes: readonly string[];
  allowedModels: readonly string[];
}

/** The principal a stored virtual key authenticates as. */
export function keyPrincipalOf(key: VirtualKey): KeyPrincipal {
  return Object.freeze({
    kind: 'key',
    keyId: key.id,
    prefix: key.prefix,
    llm: key.llm,
    organisationId: key.organisationId,
    workspaceId: key.workspaceId,
    teamId: key.teamId,
    role: key.role,
    allowedModels: key.allowedModels,
    allowedRoutes: key.allowedRoutes,
    metadata: key.metadata,
    tags: key.tags,
  });
}
