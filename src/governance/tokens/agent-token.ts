/**
 * Agent tokens: short-lived signed JWTs (minutes) that a key or user mints for an automated agent, with
 * scopes narrowed from the minter's. Expired, tampered or out-of-scope tokens are refused.
 */

/** What a token may do. A token's scopes are always a subset of its minter's. */
export interface AgentTokenClaims {
  /** The minter: `key_...`, `user_...` or `sa_...`. */
  subject: string;
  organisationId: string;
  workspaceId?: string;
  /** Narrowed abilities, e.g. `gateway:chat`, `gateway:embeddings`, `admin:keys:read`. */
  scopes: string[];
  /** Models the token may call (empty: whatever the minter may). */
  models: string[];
  /** Epoch seconds. */
  issuedAt: number;
  expiresAt: number;
  /** Unique token id (`jti`). */
  tokenId: string;
}

/** Mints and checks agent tokens. */
export interface AgentTokenIssuer {
  mint(claims: Omit<AgentTokenClaims, 'issuedAt' | 'expiresAt' | 'tokenId'>, ttlSeconds: number, nowMs: number): Promise<{ token: string; claims: AgentTokenClaims }>;
  /** The claims, or throws `GatewayError('authentication_failed')` for an expired, tampered or foreign token. */
  verify(token: string, nowMs: number): Promise<AgentTokenClaims>;
}
