import { describe, expect, it } from 'vitest';
import { judgeKey } from './key-verdict.js';
import type { KeySecret, VirtualKey } from './identity-types.js';

const now = Date.UTC(2026, 2, 1);
const presented = 'sk-sy-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd';

const key: VirtualKey = {
  id: 'key_a',
  organisationId: 'org_default',
  workspaceId: 'ws_default',
  owner: { kind: 'none' },
  name: 'ci',
  prefix: presented.slice(0, 12),
  role: 'viewer',
  allowedModels: [],
  allowedRoutes: [],
  metadata: {},
  tags: [],
  llm: {},
  blocked: false,
  createdAt: now - 1000,
};
const secret: KeySecret = { keyId: 'key_a', hash: 'h' };

function refusal(candidate: VirtualKey, candidateSecret: KeySecret): { code: string; message: string } {
  try {
    judgeKey(candidate, candidateSecret, now);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('the key was accepted');
}

describe('judgeKey', () => {
  it('accepts a valid key, one expiring later and a rotated secret still in its grace period', () => {
    expect(() => judgeKey(key, secret, now)).not.toThrow();
    expect(() => judgeKey({ ...key, expiresAt: now + 1 }, { ...secret, expiresAt: now + 1 }, now)).not.toThrow();
  });

  it.each([
    ['revoked', { ...key, revokedAt: now - 1 }, secret, /revoked/],
    ['blocked', { ...key, blocked: true }, secret, /blocked/],
    ['expired', { ...key, expiresAt: now }, secret, /expired/],
    ['rotated past its grace period', key, { ...secret, expiresAt: now }, /rotated/],
  ])('refuses a %s key with authentication_failed, naming its prefix only', (_case, candidate, candidateSecret, reason) => {
    const error = refusal(candidate, candidateSecret);
    expect(error.code).toBe('authentication_failed');
    expect(error.message).toMatch(reason);
    expect(error.message).toContain(key.prefix);
    expect(error.message).not.toContain(presented.slice(0, 13));
  });

  it('names revocation before blocking and expiry, so the client hears the final reason', () => {
    expect(refusal({ ...key, revokedAt: now - 1, blocked: true, expiresAt: now - 1 }, secret).message).toMatch(/revoked/);
  });

  it('refuses a secret that belongs to another key', () => {
    expect(refusal(key, { keyId: 'key_b', hash: 'h' }).code).toBe('authentication_failed');
  });
});
