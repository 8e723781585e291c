import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EncryptionKey } from './encryption-key.js';
import { SecretCipher, type SecretFieldContext } from './secret-cipher.js';

const cipher = new SecretCipher(new EncryptionKey(randomBytes(32)));
const context: SecretFieldContext = { organisationId: 'org-a', name: 'openai', field: 'key' };
const value = 'sk-proj-a-provider-credential-0123456789';

function withPart(sealed: string, index: number, change: (bytes: Buffer) => void): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  change(bytes);
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretCipher', () => {
  it('opens what it sealed, including empty and non-ASCII values', () => {
    for (const plaintext of [value, '', 'clé-🔑-ключ']) expect(cipher.open(cipher.seal(plaintext, context), context)).toBe(plaintext);
  });

  it('seals the same value differently every time (random IV) and never in the clear', () => {
    const first = cipher.seal(value, context);
    const second = cipher.seal(value, context);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
    expect(Buffer.from(first.split('.')[2], 'base64url')).toHaveLength(12);
    expect(first).not.toContain(value);
  });

  it('refuses a value opened under another organisation, secret name or field', () => {
    const sealed = cipher.seal(value, context);
    for (const other of [{ ...context, organisationId: 'org-b' }, { ...context, name: 'openai-2' }, { ...context, field: 'endpoint' }]) {
      expect(() => cipher.open(sealed, other)).toThrow(/failed its integrity check/);
    }
  });

  it('does not confuse contexts whose joined text is the same', () => {
    const sealed = cipher.seal(value, { organisationId: 'org', name: 'a.b', field: 'c' });
    expect(() => cipher.open(sealed, { organisationId: 'org', name: 'a', field: 'b.c' })).toThrow(/failed its integrity check/);
  });

  it('refuses altered ciphertext, IV or tag', () => {
    const sealed = cipher.seal(value, context);
    for (const index of [2, 3, 4]) {
      const altered = withPart(sealed, index, (bytes) => void (bytes[bytes.length - 1] ^= 0x80));
      expect(() => cipher.open(altered, context)).toThrow(expect.objectContaining({ code: 'internal_error' }));
    }
  });

  it('names another key, and refuses text that is not a sealed value, without the value in the message', () => {
    const other = new SecretCipher(new EncryptionKey(randomBytes(32)));
    const sealed = other.seal(value, context);
    expect(() => cipher.open(sealed, context)).toThrow(/sealed under another encryption key/);
    expect(() => cipher.open(value, context)).toThrow(/is not a sealed value/);
    try {
      cipher.open(value, context);
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });
});
