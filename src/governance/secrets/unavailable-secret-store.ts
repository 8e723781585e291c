import { GatewayError } from '../../spec/index.js';
import type { SecretDescriptor, SecretStore } from './secret-store.js';

/**
 * The secret store of a gateway started without `SWITCHYARD_ENCRYPTION_KEY`: nothing can be stored or read
 * encrypted, so every call answers with how to enable it (listing shows an empty store).
 */
export class UnavailableSecretStore implements SecretStore {
  async put(): Promise<SecretDescriptor> {
    throw missingKey();
  }

  async list(): Promise<SecretDescriptor[]> {
    return [];
  }

  async describe(): Promise<SecretDescriptor | undefined> {
    return undefined;
  }

  async reveal(): Promise<Record<string, string> | undefined> {
    throw missingKey();
  }

  async delete(): Promise<boolean> {
    throw missingKey();
  }
}

function missingKey(): GatewayError {
  return new GatewayError('invalid_request', "Secrets are stored encrypted and need SWITCHYARD_ENCRYPTION_KEY (32 bytes as 64 hex characters or base64) in the gateway's environment.");
}
