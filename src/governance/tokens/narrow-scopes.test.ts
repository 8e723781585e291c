import { describe, expect, it } from 'vitest';
import { narrowScopes } from './narrow-scopes.js';
import { agentTokenScopes, isAgentTokenScope, scopesAllow } from './token-scopes.js';

describe('narrowScopes', () => {
  it('grants a subset of the minter scopes, without duplicates, in the order asked', () => {
    expect(narrowScopes(['gateway:chat', 'gateway:embeddings', 'admin:keys:read'], ['admin:keys:read', 'gateway:chat', 'gateway:chat'])).toEqual([
      'admin:keys:read',
      'gateway:chat',
    ]);
  });

  it('lets a minter holding * grant anything, including *', () => {
    expect(narrowScopes(['*'], ['admin:secrets:write', '*'])).toEqual(['admin:secrets:write', '*']);
  });

  it('refuses every scope the minter lacks, naming them', () => {
    const attempt = () => narrowScopes(['gateway:chat', 'admin:keys:write'], ['gateway:chat', 'admin:keys:read', 'admin:budgets:write']);
    expect(attempt).toThrow(expect.objectContaining({ code: 'permission_denied', message: expect.stringContaining('admin:keys:read, admin:budgets:write') }));
  });

  it('refuses * to a minter without it', () => {
    expect(() => narrowScopes(agentTokenScopes.filter((scope) => scope !== '*'), ['*'])).toThrow(expect.objectContaining({ code: 'permission_denied' }));
  });

  it('refuses unknown scopes and an empty list as invalid requests', () => {
    expect(() => narrowScopes(['*'], ['admin:galaxy:read'])).toThrow(expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining("'admin:galaxy:read'") }));
    expect(() => narrowScopes(['*'], ['gateway:*'])).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(() => narrowScopes(['*'], [])).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});

describe('the scope vocabulary', () => {
  it('holds the gateway scopes, read and write for every admin resource, and *', () => {
    expect(agentTokenScopes).toHaveLength(1 + 3 + 15 * 2);
    for (const scope of ['*', 'gateway:chat', 'gateway:embeddings', 'gateway:models', 'admin:organisations:read', 'admin:audit:write', 'admin:secrets:read', 'admin:service-accounts:write', 'admin:role-bindings:read', 'admin:traces:write', 'admin:requests:read']) {
      expect(isAgentTokenScope(scope)).toBe(true);
    }
    for (const scope of ['gateway', 'admin:keys', 'admin:keys:delete', 'Gateway:chat', '']) expect(isAgentTokenScope(scope)).toBe(false);
  });

  it('allows only what is listed (write does not imply read), or everything with *', () => {
    expect(scopesAllow(['admin:keys:write'], 'admin:keys:read')).toBe(false);
    expect(scopesAllow(['admin:keys:write'], 'admin:keys:write')).toBe(true);
    expect(scopesAllow(['*'], 'admin:audit:read')).toBe(true);
    expect(scopesAllow([], 'gateway:chat')).toBe(false);
  });
});
