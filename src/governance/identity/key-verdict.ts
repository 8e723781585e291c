import { GatewayError } from '../../spec/index.js';
import type { KeySecret, VirtualKey } from './identity-types.js';

/**
 * Judges a key found by its secret's hash at `nowMs`: returns when it may be used, throws
 * `GatewayError('authentication_failed')` naming why not. The store finds revoked and blocked keys on
 * purpose, so the client hears the real reason; messages name the key's visible prefix, never the key.
 */
export function judgeKey(key: VirtualKey, secret: KeySecret, nowMs: number): void {
  if (secret.keyId !== key.id) {
    // A store bug, not a client error: refuse rather than let a secret open another key.
    throw new GatewayError('authentication_failed', 'Invalid API key.');
  }
  if (key.revokedAt !== undefined) {
    throw new GatewayError('authentication_failed', `The API key ${key.prefix}... has been revoked.`);
  }
  if (key.blocked) {
    throw new GatewayError('authentication_failed', `The API key ${key.prefix}... is blocked; an administrator can unblock it.`);
  }
  if (key.expiresAt !== undefined && key.expiresAt <= nowMs) {
    throw new GatewayError('authentication_failed', `The API key ${key.prefix}... has expired.`);
  }
  if (secret.expiresAt !== undefined && secret.expiresAt <= nowMs) {
    throw new GatewayError(
      'authentication_failed',
      `The API key ${key.prefix}... was rotated and its grace period has ended; use the new key.`,
    );
  }
}
