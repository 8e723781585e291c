import { GatewayError } from '../spec/index.js';
import type { MasterPrincipal, Principal } from './principal.js';

export type { Principal } from './principal.js';

/** Checks a presented API key. */
export interface Authenticator {
  /**
   * Returns the principal, or throws / rejects with `authentication_failed` (never echoing the key). A key
   * already known answers synchronously, so the hot path awaits nothing.
   */
  authenticate(presentedKey: string | undefined): Principal | Promise<Principal>;
}

/** The master key's principal: `owner` of everything. */
export const masterPrincipal: MasterPrincipal = Object.freeze({ kind: 'master', keyId: 'master', role: 'owner' });

/** The error for a request without any key. */
export function missingKeyError(): GatewayError {
  return new GatewayError('authentication_failed', 'Missing API key: send it as "Authorization: Bearer <key>" or "x-api-key: <key>".');
}

/** Extracts the key from `Authorization: Bearer <key>` or `x-api-key` (the Anthropic SDK's header). */
export function readPresentedKey(authorization: string | undefined, apiKeyHeader: string | string[] | undefined): string | undefined {
  if (authorization !== undefined && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim();
  }
  if (typeof apiKeyHeader === 'string') return apiKeyHeader.trim();
  return undefined;
}
