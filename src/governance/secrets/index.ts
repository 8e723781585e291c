export type { SecretDescriptor, SecretStore } from './secret-store.js';
export { EncryptionKey, encryptionKeyVariable, loadEncryptionKey, loadOptionalEncryptionKey, parseEncryptionKey } from './encryption-key.js';
export { SecretCipher, type SecretFieldContext } from './secret-cipher.js';
export { SqlSecretStore, type SecretStoreExecutor } from './sql-secret-store.js';
