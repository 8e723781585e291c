import { adminResources } from '../access/actions.js';

// Every admin resource can be granted to a token as `admin:<resource>:read|write`: one list with the access
// control's, so a resource added there is grantable here.

/** Every scope an agent token can carry; `*` grants all of them. */
export const agentTokenScopes: readonly string[] = [
  '*',
  'gateway:chat',
  'gateway:embeddings',
  'gateway:models',
  ...adminResources.flatMap((resource) => [`admin:${resource}:read`, `admin:${resource}:write`]),
];

const knownScopes = new Set(agentTokenScopes);

/** Whether `scope` is in the vocabulary (`gateway:chat`, `admin:keys:read`, `*`, ...). */
export function isAgentTokenScope(scope: string): boolean {
  return knownScopes.has(scope);
}

/**
 * Whether a holder of `granted` may do what `required` names. Only `*` covers other scopes: `write` does
 * not imply `read`, so a token does exactly what its scope list says.
 */
export function scopesAllow(granted: readonly string[], required: string): boolean {
  return granted.includes('*') || granted.includes(required);
}
