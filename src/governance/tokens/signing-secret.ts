import { hkdfSync } from 'node:crypto';
import type { EncryptionKey } from '../secrets/encryption-key.js';

const salt = Buffer.from('switchyard', 'utf8');

/** Where the agent-token signing secret comes from. */
export interface SigningSecretSource {
  /** `SWITCHYARD_ENCRYPTION_KEY`, when set: preferred. */
  encryptionKey?: EncryptionKey;
  /** The SHA-256 of the master key, as stored in the `settings` table (always present). */
  masterKeyHash: Uint8Array;
}

/**
 * The 32-byte HS256 secret for agent tokens, derived with HKDF-SHA256 (a `info` label of its own, so the
 * output is independent of any other use of the same input key).
 *
 * Either source is acceptable because each is a 256-bit secret that every replica shares and no client
 * ever sees: the encryption key comes from the environment; the master key hash is the SHA-256 of a
 * random key of about 238 bits, the same on every replica because it lives in the shared database.
 * The encryption key is preferred: it is never written to the database, while deriving from the master
 * key hash means that whoever can read the `settings` table could mint tokens. So the scaled preset
 * should set `SWITCHYARD_ENCRYPTION_KEY`. With the master key hash, rotating the master key also
 * invalidates every outstanding agent token (at most 60 minutes' worth anyway).
 */
export function deriveAgentTokenSigningSecret(source: SigningSecretSource): Uint8Array {
  const [material, info] =
    source.encryptionKey !== undefined
      ? [source.encryptionKey.bytes(), 'switchyard agent-token signing v1 (encryption key)']
      : [Buffer.from(source.masterKeyHash), 'switchyard agent-token signing v1 (master key hash)'];
  if (material.length < 32) throw new RangeError('The signing secret needs 32 bytes of key material');
  return new Uint8Array(hkdfSync('sha256', material, salt, Buffer.from(info, 'utf8'), 32));
}
