import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/config-error.js';
import { EncryptionKey, loadEncryptionKey, loadOptionalEncryptionKey } from './encryption-key.js';

const bytes = randomBytes(32);

function errorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEncryptionKey', () => {
  it('reads 64 hex characters, upper or lower case, and base64 in either alphabet', () => {
    const expected = new EncryptionKey(bytes).id;
    for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('hex')}\n`]) {
      const key = loadEncryptionKey({ SWITCHYARD_ENCRYPTION_KEY: text });
      expect(key.id).toBe(expected);
      expect(key.bytes().equals(bytes)).toBe(true);
    }
  });

  it('names the variable when it is missing', () => {
    for (const environment of [{}, { SWITCHYARD_ENCRYPTION_KEY: '' }]) {
      const error = errorOf(() => loadEncryptionKey(environment));
      expect(error.problems).toEqual([{ source: 'environment', path: 'SWITCHYARD_ENCRYPTION_KEY', message: expect.stringContaining('is not set') }]);
    }
  });

  it('names the variable, never the value, when it is malformed', () => {
    const malformed = [
      'correct-horse-battery-staple',
      bytes.toString('hex').slice(0, 62),
      `${bytes.toString('hex')}00`,
      randomBytes(48).toString('base64'),
      'z'.repeat(64),
    ];
    for (const text of malformed) {
      const error = errorOf(() => loadEncryptionKey({ SWITCHYARD_ENCRYPTION_KEY: text }));
      expect(error.message).toContain('SWITCHYARD_ENCRYPTION_KEY');
      expect(error.message).toContain('64 hexadecimal characters or as base64');
      expect(error.message).not.toContain(text);
    }
  });

  it('leaves an unset key optional but still refuses a malformed one', () => {
    expect(loadOptionalEncryptionKey({})).toBeUndefined();
    expect(loadOptionalEncryptionKey({ SWITCHYARD_ENCRYPTION_KEY: '  ' })).toBeUndefined();
    expect(() => loadOptionalEncryptionKey({ SWITCHYARD_ENCRYPTION_KEY: 'short' })).toThrow(ConfigError);
  });
});

describe('EncryptionKey', () => {
  it('never shows its bytes when printed, logged or serialised', () => {
    const key = new EncryptionKey(bytes);
    const shown = [String(key), JSON.stringify(key), inspect(key), inspect({ nested: key }), `${key}`].join(' ');
    expect(shown).not.toContain(bytes.toString('hex'));
    expect(shown).not.toContain(bytes.toString('base64'));
    expect(shown).toContain(key.id);
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('refuses a key of the wrong length and hands out copies of its bytes', () => {
    expect(() => new EncryptionKey(randomBytes(16))).toThrow(RangeError);
    const key = new EncryptionKey(bytes);
    key.bytes().fill(0);
    expect(key.bytes().equals(bytes)).toBe(true);
  });
});
