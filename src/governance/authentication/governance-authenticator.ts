import { GatewayError } from '../../spec/index.js';
import { masterPrincipal, missingKeyError, type Authenticator } from '../authenticator.js';
import { digestMatches, hashKey } from '../master-key.js';
import { judgeKey } from '../identity/key-verdict.js';
import type { IdentityStore } from '../identity/identity-store.js';
import type { VirtualKey } from '../identity/identity-types.js';
import type { AgentTokenIssuer } from '../tokens/agent-token.js';
import { keyPrincipalOf, type AgentTokenPrincipal, type KeyPrincipal, type Principal } from '../principal.js';
import type { KeyCache } from './key-cache.js';

/** What the authenticator checks keys against. */
export interface GovernanceAuthenticatorDependencies {
  masterKeyHash: Buffer;
  keys: KeyCache;
  identity: Pick<IdentityStore, 'getKey' | 'touchKey'>;
  tokens?: AgentTokenIssuer;
  now: () => number;
  /** Called when a store read fails (the request gets a 503, not a 401: the key may well be valid). */
  onStoreError?: (error: Error) => void;
}

/** `last_used_at` is written at most this often per key: it is for humans, not accounting. */
const touchIntervalMs = 60_000;

/**
 * Master key, virtual keys and agent tokens. A virtual key is looked up by the SHA-256 of what was presented
 * (so no comparison of secrets happens in JavaScript), through the key cache; a known key answers without
 * awaiting anything. Revocation, blocking and expiry are judged on every call.
 */
export function createGovernanceAuthenticator(dependencies: GovernanceAuthenticatorDependencies): Authenticator {
  const { keys, now } = dependencies;
  const principals = new WeakMap<VirtualKey, KeyPrincipal>();
  const lastTouched = new Map<string, number>();

  const accept = (key: VirtualKey, secret: Parameters<typeof judgeKey>[1]): KeyPrincipal => {
    const at = now();
    judgeKey(key, secret, at);
    const touched = lastTouched.get(key.id);
    if (touched === undefined || at - touched >= touchIntervalMs) {
      lastTouched.set(key.id, at);
      dependencies.identity.touchKey(key.id, at).catch((error: Error) => dependencies.onStoreError?.(error));
    }
    let principal = principals.get(key);
    if (principal === undefined) {
      principal = keyPrincipalOf(key);
      principals.set(key, principal);
    }
    return principal;
  };

  const verifyToken = async (token: string): Promise<AgentTokenPrincipal> => {
    const claims = await dependencies.tokens!.verify(token, now());
    // The minter must still be valid: revoking a key ends the tokens it minted.
    const minter = claims.subject.startsWith('key_') ? await dependencies.identity.getKey(claims.subject) : undefined;
    if (claims.subject.startsWith('key_') && (minter === undefined || minter.revokedAt !== undefined || minter.blocked)) {
      throw new GatewayError('authentication_failed', 'The agent token was minted by a key that is no longer valid.');
    }
    return Object.freeze({
      kind: 'agent-token',
      keyId: minter?.id ?? claims.subject,
      tokenId: claims.tokenId,
      subject: claims.subject,
      organisationId: claims.organisationId,
      workspaceId: claims.workspaceId ?? minter?.workspaceId,
      teamId: minter?.teamId,
      role: minter?.role ?? 'viewer',
      scopes: claims.scopes,
      allowedModels: claims.models.length > 0 ? claims.models : minter?.allowedModels ?? [],
    });
  };

  return {
    authenticate(presentedKey): Principal | Promise<Principal> {
      if (presentedKey === undefined || presentedKey === '') throw missingKeyError();
      // One SHA-256 serves both checks: against the master key (in constant time) and as the cache key.
      const digest = hashKey(presentedKey);
      if (digestMatches(digest, dependencies.masterKeyHash)) return masterPrincipal;
      if (dependencies.tokens !== undefined && looksLikeJwt(presentedKey)) return verifyToken(presentedKey);
      const hash = digest.toString('hex');
      const cached = keys.peek(hash);
      if (cached !== 'miss') {
        if (cached === undefined) throw invalidKey();
        return accept(cached.key, cached.secret);
      }
      return keys.load(hash).then(
        (found) => {
          if (found === undefined) throw invalidKey();
          return accept(found.key, found.secret);
        },
        (error: Error) => {
          if (error instanceof GatewayError) throw error;
          dependencies.onStoreError?.(error);
          throw new GatewayError('service_unavailable', 'The key store is unreachable; try again shortly.', { cause: error });
        },
      );
    },
  };
}

function invalidKey(): GatewayError {
  return new GatewayError('authentication_failed', 'Invalid API key.');
}

function looksLikeJwt(value: string): boolean {
  return value.startsWith('eyJ') && value.split('.').length === 3;
}
