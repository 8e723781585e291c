import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionKey } from '../secrets/encryption-key.js';
import { createAgentTokenIssuer } from './jwt-agent-token-issuer.js';
import { deriveAgentTokenSigningSecret } from './signing-secret.js';

const masterKeyHash = createHash('sha256').update('sk-sy-a-master-key').digest();
const encryptionKey = new EncryptionKey(randomBytes(32));

describe('deriveAgentTokenSigningSecret', () => {
  it('gives the same 32 bytes for the same input, so every replica verifies the others tokens', () => {
    const first = deriveAgentTokenSigningSecret({ encryptionKey, masterKeyHash });
    const second = deriveAgentTokenSigningSecret({ encryptionKey: new EncryptionKey(encryptionKey.bytes()), masterKeyHash: Buffer.from(masterKeyHash) });
    expect(first).toHaveLength(32);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
  });

  it('prefers the encryption key and never hands out the input key itself', () => {
    const fromKey = Buffer.from(deriveAgentTokenSigningSecret({ encryptionKey, masterKeyHash }));
    const fromKeyOtherMaster = Buffer.from(deriveAgentTokenSigningSecret({ encryptionKey, masterKeyHash: randomBytes(32) }));
    const fromHash = Buffer.from(deriveAgentTokenSigningSecret({ masterKeyHash }));
    expect(fromKey.equals(fromKeyOtherMaster)).toBe(true);
    expect(fromKey.equals(fromHash)).toBe(false);
    expect(fromKey.equals(encryptionKey.bytes())).toBe(false);
    expect(fromHash.equals(masterKeyHash)).toBe(false);
  });

  it('without an encryption key, a rotated master key invalidates tokens signed before', async () => {
    const now = Date.UTC(2026, 10, 20);
    const before = createAgentTokenIssuer({ secret: deriveAgentTokenSigningSecret({ masterKeyHash }), issuer: 'switchyard' });
    const after = createAgentTokenIssuer({ secret: deriveAgentTokenSigningSecret({ masterKeyHash: randomBytes(32) }), issuer: 'switchyard' });
    const { token } = await before.mint({ subject: 'user_a', organisationId: 'org-a', scopes: ['gateway:chat'], models: [] }, 60, now);
    await expect(before.verify(token, now)).resolves.toBeDefined();
    await expect(after.verify(token, now)).rejects.toMatchObject({ code: 'authentication_failed' });
  });

  it('refuses key material shorter than 32 bytes', () => {
    expect(() => deriveAgentTokenSigningSecret({ masterKeyHash: randomBytes(16) })).toThrow(RangeError);
  });
});
