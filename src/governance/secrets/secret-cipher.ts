import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GatewayError } from '../../spec/gateway-error.js';
import type { EncryptionKey } from './encryption-key.js';

/** Where a sealed value belongs. It is bound to the ciphertext as additional authenticated data. */
export interface SecretFieldContext {
  organisationId: string;
  name: string;
  field: string;
}

const algorithm = 'aes-256-gcm';
const ivLength = 12;
const tagLength = 16;
const formatVersion = 'v1';

// JSON of the three parts: unambiguous whatever characters the names hold (no delimiter to smuggle).
function associatedData(context: SecretFieldContext): Buffer {
  return Buffer.from(JSON.stringify([context.organisationId, context.name, context.field]), 'utf8');
}

function describe(context: SecretFieldContext): string {
  return `field '${context.field}' of secret '${context.name}' (organisation ${context.organisationId})`;
}

/**
 * AES-256-GCM for secret field values. Every value gets a fresh random 12-byte IV; the organisation,
 * secret name and field are authenticated with it, so a ciphertext copied to another row or field fails
 * to open. Sealed text: `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 */
export class SecretCipher {
  readonly #key: EncryptionKey;

  constructor(key: EncryptionKey) {
    this.#key = key;
  }

  /** The id of the key this cipher seals under. */
  get keyId(): string {
    return this.#key.id;
  }

  seal(plaintext: string, context: SecretFieldContext): string {
    const iv = randomBytes(ivLength);
    const cipher = createCipheriv(algorithm, this.#key.bytes(), iv, { authTagLength: tagLength });
    cipher.setAAD(associatedData(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [formatVersion, this.#key.id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /**
   * Opens a sealed value. Throws `GatewayError('internal_error')` when it was sealed under another key,
   * is not a sealed value, or fails authentication (altered, or moved from another secret or field). The
   * messages name the secret, never a value.
   */
  open(sealed: string, context: SecretFieldContext): string {
    const parts = sealed.split('.');
    const [version, keyId, ivText, ciphertextText, tagText] = parts;
    if (parts.length !== 5 || version !== formatVersion) {
      throw new GatewayError('internal_error', `The stored ${describe(context)} is not a sealed value`);
    }
    if (keyId !== this.#key.id) {
      throw new GatewayError(
        'internal_error',
        `The stored ${describe(context)} was sealed under another encryption key (id ${keyId}; SWITCHYARD_ENCRYPTION_KEY has id ${this.#key.id})`,
      );
    }
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== ivLength || tag.length !== tagLength) {
      throw new GatewayError('internal_error', `The stored ${describe(context)} is not a sealed value`);
    }
    try {
      const decipher = createDecipheriv(algorithm, this.#key.bytes(), iv, { authTagLength: tagLength });
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new GatewayError('internal_error', `The stored ${describe(context)} failed its integrity check: it was altered or moved from another secret`);
    }
  }
}
