import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError } from '../../config/config-error.js';

/** The environment variable that holds the encryption key. */
export const encryptionKeyVariable = 'SWITCHYARD_ENCRYPTION_KEY';

const keyLength = 32;
const hexPattern = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet, padded or not: 32 bytes are 43 characters plus one `=`.
const base64Pattern = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * The 32-byte key that seals secrets (AES-256-GCM) and, through HKDF, signs agent tokens. The bytes stay
 * in a private field: printing, logging or serialising the key shows only its public {@link id}.
 */
export class EncryptionKey {
  readonly #bytes: Buffer;
  /**
   * A short fingerprint (HMAC-SHA256 of a fixed label, 16 hex characters), stored with every sealed value
   * so a value sealed under another key is named as such instead of looking tampered. It reveals nothing
   * usable about the key.
   */
  readonly id: string;

  constructor(bytes: Uint8Array) {
    if (bytes.length !== keyLength) throw new RangeError(`An encryption key is ${keyLength} bytes, not ${bytes.length}`);
    this.#bytes = Buffer.from(bytes);
    this.id = createHmac('sha256', this.#bytes).update('switchyard encryption key id').digest('hex').slice(0, 16);
  }

  /** A copy of the raw bytes, for the cipher and key derivation only. */
  bytes(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toString(): string {
    return `EncryptionKey(${this.id})`;
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function keyProblem(message: string): ConfigError {
  // The message names the variable and what was expected; the value itself never appears.
  return new ConfigError([{ source: 'environment', path: encryptionKeyVariable, message }]);
}

/** Parses a key written as 64 hex characters or as base64 (standard or URL-safe) of 32 bytes. */
export function parseEncryptionKey(text: string): EncryptionKey {
  const trimmed = text.trim();
  if (hexPattern.test(trimmed)) return new EncryptionKey(Buffer.from(trimmed, 'hex'));
  if (base64Pattern.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === keyLength) return new EncryptionKey(bytes);
  }
  throw keyProblem(
    `expected 32 random bytes written as 64 hexadecimal characters or as base64 (got ${trimmed.length} characters); ` +
      'generate one with `openssl rand -hex 32`',
  );
}

/**
 * Reads `SWITCHYARD_ENCRYPTION_KEY`. Throws a {@link ConfigError} naming the variable (never its value)
 * when it is missing or malformed: use this where secrets must be sealed or opened.
 */
export function loadEncryptionKey(environment: Readonly<Record<string, string | undefined>>): EncryptionKey {
  const key = loadOptionalEncryptionKey(environment);
  if (key === undefined) throw keyProblem('is not set; secrets are stored encrypted under it (generate one with `openssl rand -hex 32`)');
  return key;
}

/** Like {@link loadEncryptionKey}, but an unset or empty variable gives `undefined` (a malformed one still throws). */
export function loadOptionalEncryptionKey(environment: Readonly<Record<string, string | undefined>>): EncryptionKey | undefined {
  const text = environment[encryptionKeyVariable];
  if (text === undefined || text.trim() === '') return undefined;
  return parseEncryptionKey(text);
}
