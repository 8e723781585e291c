import { GatewayError } from '../spec/index.js';
import { matchesKeyHash } from './master-key.js';

/** Who is calling. Virtual keys arrive with the governance issue; today the master key is the only one. */
export interface Principal {
  keyId: string;
  kind: 'master';
}

/** Checks a presented API key. */
export interface Authenticator {
  /** Returns the principal, or throws `authentication_failed` (never echoing the key). */
  authenticate(presentedKey: string | undefined): Principal;
}

const masterPrincipal: Principal = Object.freeze({ keyId: 'master', kind: 'master' });

/**
 * The embedded authenticator: the master key's hash, compared in constant time on every call (no cache of
 * accepted keys, whose plain comparison would leak timing).
 */
export function createMasterKeyAuthenticator(masterKeyHash: Buffer): Authenticator {
  return {
    authenticate(presentedKey) {
      if (presentedKey === undefined || presentedKey === '') {
        throw new GatewayError('authentication_failed', 'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
      }
      if (matchesKeyHash(presentedKey, masterKeyHash)) return masterPrincipal;
      throw new GatewayError('authentication_failed', 'Invalid API key.');
    },
  };
}

/** Extracts the key from `Authorization: Bearer <key>` or `x-api-key` (the Anthropic SDK's header). */
export function readPresentedKey(authorization: string | undefined, apiKeyHeader: string | string[] | undefined): string | undefined {
  if (authorization !== undefined && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim();
  }
  if (typeof apiKeyHeader === 'string') return apiKeyHeader.trim();
  return undefined;
}
