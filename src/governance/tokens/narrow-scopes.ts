import { GatewayError } from '../../spec/gateway-error.js';
import { isAgentTokenScope, scopesAllow } from './token-scopes.js';

/**
 * The scopes of a new agent token: `requested`, each checked against the vocabulary and against what the
 * minter holds, so a token can never do more than whoever minted it. Returns them without duplicates, in
 * the order asked. Throws `invalid_request` for an empty list or an unknown scope, and
 * `permission_denied` naming every scope the minter lacks.
 */
export function narrowScopes(minterScopes: readonly string[], requested: readonly string[]): string[] {
  if (requested.length === 0) throw new GatewayError('invalid_request', 'An agent token needs at least one scope', { param: 'scopes' });
  const unknown = requested.filter((scope) => !isAgentTokenScope(scope));
  if (unknown.length > 0) {
    throw new GatewayError(
      'invalid_request',
      `Unknown scope ${unknown.map((scope) => `'${scope}'`).join(', ')}; scopes are '*', gateway:chat|embeddings|models and admin:<resource>:read|write`,
      { param: 'scopes' },
    );
  }
  const narrowed = [...new Set(requested)];
  const lacking = narrowed.filter((scope) => !scopesAllow(minterScopes, scope));
  if (lacking.length > 0) {
    throw new GatewayError('permission_denied', `An agent token cannot hold scopes its minter lacks: ${lacking.join(', ')}`, { param: 'scopes' });
  }
  return narrowed;
}
