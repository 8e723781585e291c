import type { IdentityStore } from '../identity/identity-store.js';
import { resolveScope, type ScopeKind } from './admin-lookups.js';
import type { AdminOperation, AdminScope } from './admin-operation.js';

/**
 * Keeps the definitions (budgets, limits) whose owner the caller may read. Owners are looked up once each;
 * an owner that no longer exists hides its definitions (nobody can be charged through it any more).
 */
export async function filterReadable<Definition extends { scope: ScopeKind; scopeId: string }>(
  operation: AdminOperation,
  action: 'budgets:read' | 'limits:read',
  definitions: ReadonlyArray<Definition>,
): Promise<Definition[]> {
  const scopes = new Map<string, AdminScope | undefined>();
  const readable: Definition[] = [];
  for (const definition of definitions) {
    const owner = `${definition.scope}:${definition.scopeId}`;
    if (!scopes.has(owner)) scopes.set(owner, await scopeOrUndefined(operation.stores.identity, definition.scope, definition.scopeId));
    const scope = scopes.get(owner);
    if (scope !== undefined && operation.may(action, scope)) readable.push(definition);
  }
  return readable;
}

async function scopeOrUndefined(identity: IdentityStore, kind: ScopeKind, id: string): Promise<AdminScope | undefined> {
  try {
    return await resolveScope(identity, kind, id);
  } catch {
    return undefined;
  }
}
