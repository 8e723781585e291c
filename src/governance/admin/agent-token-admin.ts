import { z } from 'zod';
import { GatewayError, isGatewayError } from '../../spec/index.js';
import type { AdminAction } from '../access/actions.js';
import type { Principal } from '../principal.js';
import { narrowScopes } from '../tokens/narrow-scopes.js';
import { adminResources } from '../access/actions.js';
import { agentTokenScopes } from '../tokens/token-scopes.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';
import { runAdminChange } from './admin-operation.js';

/** Agent tokens live minutes, never more than an hour. */
const longestTtlSeconds = 3600;

export const mintAgentTokenSchema = z.strictObject({
  scopes: z
    .array(z.enum(agentTokenScopes as [string, ...string[]]))
    .min(1, 'name at least one scope (e.g. gateway:chat)')
    .max(50),
  models: z.array(z.string().trim().min(1).max(200)).max(100).default([]).describe("Models the token may call; empty: whatever the minter may. Never beyond the minter's."),
  ttlSeconds: z.number().int().min(1).max(longestTtlSeconds, `at most ${longestTtlSeconds} seconds (agent tokens are short-lived)`).default(900),
});

export const mintedAgentTokenSchema = z.object({
  token: z.string().describe('The signed token (a JWT), shown only in this answer.'),
  tokenId: z.string(),
  scopes: z.array(z.string()),
  models: z.array(z.string()),
  organisationId: z.string(),
  workspaceId: z.string().optional(),
  expiresAt: z.number().int().describe('Epoch seconds.'),
});

export type MintedAgentToken = z.output<typeof mintedAgentTokenSchema>;

/**
 * Mints a short-lived token for an automated agent, narrowed from the caller: scopes the caller lacks, admin
 * scopes its role could not use, and models it may not call are refused as escalations (and audited).
 */
export async function mintAgentToken(dependencies: AdminDependencies, call: AdminCall, input: unknown): Promise<MintedAgentToken> {
  const body = parseInput(mintAgentTokenSchema, input);
  const principal = call.principal;
  if (principal.kind === 'master') {
    throw new GatewayError('invalid_request', 'Agent tokens are minted by a virtual key (they act with its role and workspace); the master key has none to narrow');
  }
  return runAdminChange(dependencies, call, 'agent-tokens.mint', async (operation) => {
    const scope: AdminScope = principal.workspaceId === undefined ? { organisationId: principal.organisationId } : { organisationId: principal.organisationId, workspaceId: principal.workspaceId };
    const target = { kind: 'agent-token', id: principal.keyId };
    let scopes: string[];
    try {
      scopes = narrowScopes(principal.kind === 'agent-token' ? principal.scopes : ['*'], body.scopes);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'permission_denied') operation.deny(error.message, scope, target);
      throw error;
    }
    const beyondRole = scopes.filter((requested) => !roleAllows(operation, requested, scope));
    if (beyondRole.length > 0) operation.deny(`Role escalation: a caller with role ${principal.role} cannot mint a token with ${beyondRole.join(', ')}`, scope, target);
    const beyondModels = body.models.filter((model) => principal.allowedModels.length > 0 && !principal.allowedModels.includes(model));
    if (beyondModels.length > 0) operation.deny(`The caller may not call ${beyondModels.join(', ')}, so its tokens may not either`, scope, target);
    const { token, claims } = await dependencies.agentTokens.mint(
      { subject: minterOf(principal), organisationId: scope.organisationId, workspaceId: scope.workspaceId, scopes, models: body.models },
      body.ttlSeconds,
      operation.nowMs,
    );
    // The token itself never reaches the audit log: its id, scopes and expiry do.
    await operation.record({ kind: 'agent-token', id: claims.tokenId }, scope, { scopes: claims.scopes, models: claims.models, expiresAt: claims.expiresAt });
    return { token, tokenId: claims.tokenId, scopes: claims.scopes, models: claims.models, organisationId: claims.organisationId, workspaceId: claims.workspaceId, expiresAt: claims.expiresAt };
  });
}

/** The minter recorded in the token: the key itself, or for a token minting a narrower one, its own minter. */
function minterOf(principal: Exclude<Principal, { kind: 'master' }>): string {
  return principal.kind === 'key' ? principal.keyId : principal.subject;
}

/** Whether the caller's role could itself use an admin scope in its own scope (gateway scopes need no role). */
function roleAllows(operation: AdminOperation, requested: string, scope: AdminScope): boolean {
  if (requested.startsWith('gateway:')) return true;
  if (requested === '*') return adminResources.every((resource) => operation.may(`${resource}:write` as AdminAction, scope) && operation.may(`${resource}:read` as AdminAction, scope));
  const [, resource, verb] = requested.split(':');
  if (!(adminResources as readonly string[]).includes(resource)) return false;
  return operation.may(`${resource}:${verb}` as AdminAction, scope);
}
